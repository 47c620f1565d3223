# syntax=docker/dockerfile:1.6
# ascension-api image (also carries ascension-admin for the migrate and bucket-init jobs).
# Build from the repository root:
#   docker build -f deploy/docker/api.Dockerfile -t ascension/api:vX.Y.Z .
# Stage 1 installs the project's Debian build dependencies (scripts/debian-packages.txt, its build
# tools and C++ libraries sections) and builds with the cmake preset; stage 2 is debian:12-slim
# with only the shared libraries the binaries link against (found with ldd + dpkg -S at build
# time), curl for the healthcheck, and a non-root user.
ARG DEBIAN_IMAGE=debian:12

FROM ${DEBIAN_IMAGE} AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/debian-packages.txt /tmp/debian-packages.txt
# Everything above the "services" section of the list: compilers, cmake, ninja and the -dev libs.
RUN sed -n '1,/^# services/p' /tmp/debian-packages.txt | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' \
      > /tmp/build-packages.txt \
 && apt-get update \
 && xargs -a /tmp/build-packages.txt apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
# The web client is built with Debian's own Node.js and npm (web/package-lock.json).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/web.sh build /out/web
RUN cmake --preset default -DASCENSION_SKIP_MODULES="testsuite;bench" \
 && cmake --build --preset default --parallel "$(nproc)" --target ascension-api ascension-admin \
 && mkdir -p /out/bin \
 && for b in ascension-api ascension-admin; do \
      f="$(find build -type f -perm -u+x -name "$b" | head -n 1)"; \
      test -n "$f" || { echo "$b was not built" >&2; exit 1; }; \
      cp "$f" /out/bin/; \
    done \
 && strip --strip-debug /out/bin/*
# The runtime packages: the owner of every shared library the binaries load.
RUN for b in /out/bin/*; do ldd "$b"; done | awk '/=> \//{print $3}' | sort -u \
    | while read -r f; do \
        dpkg -S "$f" 2>/dev/null || dpkg -S "$(readlink -f "$f")" 2>/dev/null || dpkg -S "/usr$f" 2>/dev/null || true; \
      done \
    | sed -e 's/: .*//' -e 's/, /\n/g' | sed -e 's/:[a-z0-9]*$//' | sort -u > /out/runtime-packages.txt \
 && test -s /out/runtime-packages.txt && cat /out/runtime-packages.txt

FROM ${DEBIAN_IMAGE}-slim AS production
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /out/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && xargs -a /tmp/runtime-packages.txt apt-get install -y --no-install-recommends curl ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --system --gid 10001 ascension \
 && useradd --system --uid 10001 --gid ascension --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ascension
COPY --from=build /out/bin/ /usr/local/bin/
COPY api/openapi.json /opt/ascension/openapi.json
COPY --from=build /out/web/ /opt/ascension/web/
ENV API_BIND=0.0.0.0 \
    API_PORT=8080 \
    OPENAPI_PATH=/opt/ascension/openapi.json \
    WEB_ROOT=/opt/ascension/web \
    LOG_LEVEL=info
USER 10001:10001
EXPOSE 8080
# Liveness only: /ready also checks PostgreSQL, RabbitMQ and S3, which must not restart the API.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS --max-time 4 "http://127.0.0.1:${API_PORT}/health" >/dev/null || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/ascension-api"]
