#!/usr/bin/env bash
# scripts/ops/deploy.sh against stand-ins for docker and curl (no Docker engine here): the order
# of operations (pull, migrate, bucket-init, api-1 replaced + nginx reloaded + healthy before
# api-2 is touched, then the workers), the recorded version, and the roll-back of an instance
# that does not become healthy (the other instance is never touched).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
fails=0
check() { if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi; }

mkdir -p "${work}/bin" "${work}/site"
cat >"${work}/bin/docker" <<'FAKE'
#!/usr/bin/env bash
# Stand-in for docker: records "VERSION=... args" and answers what deploy.sh asks.
echo "VERSION=${VERSION:-} $*" >>"${FAKE_LOG}"
if [[ "$1" == compose && "$2" == ps && "$3" == -q ]]; then echo "id-$4"; exit 0; fi
if [[ "$1" == inspect ]]; then
  svc="${*: -1}"; svc="${svc#id-}"
  if [[ "${svc}" == "${FAIL_SERVICE:-none}" && "$(cat "${FAKE_STATE}/${svc}" 2>/dev/null)" == "${FAIL_VERSION:-none}" ]]; then
    echo unhealthy
  else
    echo healthy
  fi
  exit 0
fi
if [[ "$1" == compose && "$2" == up ]]; then echo "${VERSION}" >"${FAKE_STATE}/${*: -1}"; fi
if [[ "$1" == compose && "$2" == run && "${*: -1}" == migrate && -n "${FAIL_MIGRATE:-}" ]]; then exit 1; fi
exit 0
FAKE
cat >"${work}/bin/curl" <<'FAKE'
#!/usr/bin/env bash
printf 'HTTP/2 200\r\nx-instance: api-1\r\nx-instance: api-2\r\n\r\n'
FAKE
chmod +x "${work}/bin/docker" "${work}/bin/curl"
export PATH="${work}/bin:${PATH}" FAKE_LOG="${work}/log" FAKE_STATE="${work}/state"
mkdir -p "${FAKE_STATE}"
touch "${work}/site/docker-compose.yml"
printf 'REGISTRY=example\nVERSION=v1.0.0\n' >"${work}/site/.env"

# A normal deployment.
DEPLOY_HEALTH_TIMEOUT=5 "${root}/scripts/ops/deploy.sh" v1.1.0 --dir "${work}/site" 2>"${work}/err" || { cat "${work}/err"; exit 1; }
order="$(grep -oE 'compose (pull|run --rm --no-deps (migrate|bucket-init|web-files)|up -d --no-deps( --force-recreate)? (api-1|api-2|worker)|exec -T nginx nginx -s reload)' "${FAKE_LOG}" |
  sed -E 's/ --rm --no-deps//; s/ -d --no-deps( --force-recreate)?//; s/exec -T nginx nginx -s reload/reload/' | tr '\n' ',')"
check "order: pull, migrate, bucket-init, web-files, api-1, reload, api-2, reload, workers" \
  "compose pull,compose run migrate,compose run bucket-init,compose run web-files,compose up api-1,compose reload,compose up api-2,compose reload,compose up worker," "${order}"
check "every compose call ran with the new VERSION" 0 "$(grep ' compose ' "${FAKE_LOG}" | grep -vc '^VERSION=v1.1.0 ' || true)"
check "api-1 healthy checked before api-2 replaced" 1 "$(awk '/inspect .*id-api-1/{h=NR} /up -d --no-deps --force-recreate api-2/{u=NR} END{print (h && u && h < u) ? 1 : 0}' "${FAKE_LOG}")"
check ".env records the version" "VERSION=v1.1.0" "$(grep '^VERSION=' "${work}/site/.env")"
check "history records the version" "v1.1.0" "$(tail -n 1 "${work}/site/.deploy-history" | cut -d' ' -f2)"

# api-2 never becomes healthy on v1.2.0: it is put back on v1.1.0, the workers are not touched,
# the version is not recorded, the script fails.
: >"${FAKE_LOG}"
if FAIL_SERVICE=api-2 FAIL_VERSION=v1.2.0 DEPLOY_HEALTH_TIMEOUT=5 "${root}/scripts/ops/deploy.sh" v1.2.0 --dir "${work}/site" 2>"${work}/err"; then
  check "unhealthy api-2 fails the deployment" failed succeeded
else
  check "unhealthy api-2 fails the deployment" 1 1
fi
check "api-2 put back on the previous version" "v1.1.0" "$(cat "${FAKE_STATE}/api-2")"
check "api-1 stays on the new version (compatible by the migration rule)" "v1.2.0" "$(cat "${FAKE_STATE}/api-1")"
check "workers untouched" 0 "$(grep -c 'up -d --no-deps worker' "${FAKE_LOG}" || true)"
check ".env still on the last good version" "VERSION=v1.1.0" "$(grep '^VERSION=' "${work}/site/.env")"

# Failed migrations change nothing.
: >"${FAKE_LOG}"
if FAIL_MIGRATE=1 "${root}/scripts/ops/deploy.sh" v1.3.0 --dir "${work}/site" 2>/dev/null; then
  check "failed migration stops the deployment" failed succeeded
else
  check "failed migration stops the deployment" 0 "$(grep -c ' up ' "${FAKE_LOG}" || true)"
fi
echo "${fails} failure(s)"
exit $((fails > 0))
