# syntax=docker/dockerfile:1.6
# ascension-worker image (with ascension-analyze for one-off runs and ascension-admin).
# Build from the repository root:
#   docker build -f deploy/docker/worker.Dockerfile -t ascension/worker:vX.Y.Z .
# Stages: build (Debian build dependencies from scripts/debian-packages.txt, cmake preset),
# models (scripts/fetch-models.sh: the MediaPipe pose models from npm, checked against
# scripts/models.sha256), production (debian:12-slim, the libraries the binaries load, the
# models, a non-root user).
ARG DEBIAN_IMAGE=debian:12

FROM ${DEBIAN_IMAGE} AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/debian-packages.txt /tmp/debian-packages.txt
RUN sed -n '1,/^# services/p' /tmp/debian-packages.txt | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' \
      > /tmp/build-packages.txt \
 && apt-get update \
 && xargs -a /tmp/build-packages.txt apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake --preset default -DASCENSION_SKIP_MODULES="testsuite;bench" \
 && cmake --build --preset default --parallel "$(nproc)" --target ascension-worker ascension-analyze ascension-admin \
 && mkdir -p /out/bin \
 && for b in ascension-worker ascension-analyze ascension-admin; do \
      f="$(find build -type f -perm -u+x -name "$b" | head -n 1)"; \
      test -n "$f" || { echo "$b was not built" >&2; exit 1; }; \
      cp "$f" /out/bin/; \
    done \
 && strip --strip-debug /out/bin/*
RUN for b in /out/bin/*; do ldd "$b"; done | awk '/=> \//{print $3}' | sort -u \
    | while read -r f; do \
        dpkg -S "$f" 2>/dev/null || dpkg -S "$(readlink -f "$f")" 2>/dev/null || dpkg -S "/usr$f" 2>/dev/null || true; \
      done \
    | sed -e 's/: .*//' -e 's/, /\n/g' | sed -e 's/:[a-z0-9]*$//' | sort -u > /out/runtime-packages.txt \
 && test -s /out/runtime-packages.txt && cat /out/runtime-packages.txt

FROM ${DEBIAN_IMAGE} AS models
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/fetch-models.sh scripts/models.sha256 /src/scripts/
RUN /src/scripts/fetch-models.sh /models && ls -l /models

FROM ${DEBIAN_IMAGE}-slim AS production
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /out/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && xargs -a /tmp/runtime-packages.txt apt-get install -y --no-install-recommends curl ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --system --gid 10001 ascension \
 && useradd --system --uid 10001 --gid ascension --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ascension \
 && install -d -o 10001 -g 10001 -m 0700 /var/tmp/ascension
COPY --from=build /out/bin/ /usr/local/bin/
COPY --from=models /models/ /opt/ascension/models/
ENV ASCENSION_MODELS_DIR=/opt/ascension/models \
    WORKER_METRICS_PORT=9101 \
    WORKER_TMP_DIR=/var/tmp/ascension \
    LOG_LEVEL=info
USER 10001:10001
EXPOSE 9101
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS --max-time 4 "http://127.0.0.1:${WORKER_METRICS_PORT}/health" >/dev/null || exit 1
# SIGTERM: the worker stops taking jobs and finishes (or hands back) the current ones within
# SHUTDOWN_GRACE_SECONDS (30 s); compose's stop_grace_period leaves it that long.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/ascension-worker"]
