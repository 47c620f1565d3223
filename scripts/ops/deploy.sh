#!/usr/bin/env bash
# Zero-downtime deployment of version VERSION on the production host (Docker Compose, phase 1).
# Run on the server, from the deploy folder (/opt/ascension: docker-compose.yml, .env, configs),
# by hand or by .github/workflows/deploy.yml over SSH.
#
# Usage: scripts/ops/deploy.sh VERSION [--dir DIR] [--skip-pull]
#   1. pull the api and worker images of VERSION
#   2. run the migrations and the bucket set-up with the new image (one-shot containers)
#   3. replace api-1, reload nginx (it resolves the new container), wait until api-1 is healthy
#      and answers through nginx; then the same for api-2. While one instance restarts, nginx
#      sends every request to the other (proxy_next_upstream): no request is lost.
#   4. replace the workers (each finishes or hands back its jobs on SIGTERM; RabbitMQ redelivers)
#   5. record VERSION in .env (VERSION=) and in .deploy-history
# If an API instance does not become healthy, it is put back on the previous version and the
# script fails (the other instance never stopped serving). Rollback = deploy the previous version:
#   scripts/ops/deploy.sh "$(tail -n 2 .deploy-history | head -n 1 | cut -d' ' -f2)"
set -euo pipefail

version="" dir="${ASCENSION_DEPLOY_DIR:-/opt/ascension}" pull=1
while (($#)); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --skip-pull) pull=0; shift ;;
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "deploy: unknown option $1" >&2; exit 2 ;;
    *) version="$1"; shift ;;
  esac
done
[[ "${version}" =~ ^v?[0-9A-Za-z._-]+$ ]] || { echo "usage: deploy.sh VERSION [--dir DIR]" >&2; exit 2; }

log() { printf '%s deploy %s: %s\n' "$(date -u +%H:%M:%S)" "${version}" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

cd "${dir}"
[[ -f docker-compose.yml && -f .env ]] || die "no docker-compose.yml and .env in ${dir}"
compose() { docker compose "$@"; }
previous="$(sed -n 's/^VERSION=//p' .env | tail -n 1)"
export VERSION="${version}"

# Serialize deployments.
exec 9>"${dir}/.deploy.lock"
flock -n 9 || die "another deployment is running"

if ((pull)); then
  log "pulling images"
  compose pull --quiet api-1 api-2 worker migrate bucket-init web-files
fi

log "migrations"
compose run --rm --no-deps migrate || die "migrations failed; nothing else was changed"
log "bucket set-up"
compose run --rm --no-deps bucket-init || die "bucket set-up failed"
# The new web client's files join the old ones in nginx's volume before any API changes: pages
# already open keep their (hashed) assets, new loads get the new index.html.
log "web client files"
compose run --rm --no-deps web-files || die "copying the web client's files failed"

# container_health SERVICE: the Docker health status of SERVICE's container.
container_health() {
  local id
  id="$(compose ps -q "$1")"
  [[ -n "${id}" ]] || { echo missing; return; }
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "${id}"
}

# through_nginx INSTANCE: nginx routes to INSTANCE (its X-Instance seen within 20 requests).
through_nginx() {
  for _ in $(seq 1 20); do
    if curl -sk --max-time 3 -D - -o /dev/null --resolve "api.ascension.app:443:127.0.0.1" \
        https://api.ascension.app/health | tr -d '\r' | grep -ci "^x-instance: $1\$" >/dev/null; then
      return 0
    fi
  done
  return 1
}

roll_api() {
  local svc="$1" deadline status
  log "replacing ${svc}"
  compose up -d --no-deps --force-recreate "${svc}"
  # The new container has a new address: let nginx resolve it (graceful: old workers finish).
  compose exec -T nginx nginx -s reload
  deadline=$(($(date +%s) + ${DEPLOY_HEALTH_TIMEOUT:-120}))
  until [[ "$(container_health "${svc}")" == healthy ]]; do
    status="$(container_health "${svc}")"
    if [[ "${status}" == unhealthy || "${status}" == exited || "${status}" == dead ]] || (($(date +%s) > deadline)); then
      log "${svc} is ${status}; putting it back on ${previous:-the previous version}"
      compose logs --tail 50 "${svc}" >&2 || true
      VERSION="${previous}" compose up -d --no-deps --force-recreate "${svc}" || true
      compose exec -T nginx nginx -s reload || true
      die "${svc} did not become healthy on ${version}"
    fi
    sleep 2
  done
  through_nginx "${svc}" || die "${svc} is healthy but nginx does not reach it"
  log "${svc} healthy and serving through nginx"
}

roll_api api-1
roll_api api-2

log "replacing the workers"
compose up -d --no-deps worker
log "workers: $(compose ps worker --format '{{.Name}} {{.Status}}' | tr '\n' ';')"

# Later `docker compose up` runs use this version.
if grep -q '^VERSION=' .env; then sed -i "s/^VERSION=.*/VERSION=${version}/" .env; else echo "VERSION=${version}" >>.env; fi
echo "$(date -u +%FT%TZ) ${version}" >>.deploy-history
compose ps
log "done (previous: ${previous:-none})"
