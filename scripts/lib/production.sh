# shellcheck shell=bash
# The production profile (ASCENSION_PROFILE=production): on top of the default stack, a PostgreSQL
# streaming replica the API reads from (DATABASE_READ_URL), a second API instance, nginx with a
# self-signed certificate in front of both (deploy/nginx/nginx.conf rendered by
# scripts/ops/render-nginx-conf.sh) and Prometheus with the alert rules (deploy/prometheus rendered
# by scripts/ops/render-prometheus-conf.sh). Sourced by ./ascension; it only defines functions and
# records the caller's settings, the default profile calls none of them.
#
# The profile is chosen by ASCENSION_PROFILE at `up` and recorded in the stack's env file, so that
# down/status/stop/start on that ASCENSION_HOME handle the extra processes without it.

# NAME DEFAULT (shifted by ASCENSION_PORT_OFFSET like the others). API2_PORT: "+1" = API_PORT + 1.
PROD_PORTS=(
  "ASCENSION_HTTPS_PORT 8443"
  "ASCENSION_HTTP_PORT 8088"
  "ASCENSION_NGINX_STATUS_PORT 8089"
  "API2_PORT +1"
  "ASCENSION_PG_REPLICA_PORT 54321"
  "ASCENSION_PROMETHEUS_PORT 9090"
  "ASCENSION_PG_EXPORTER_PORT 9187"
  "ASCENSION_PG_EXPORTER_REPLICA_PORT 9188"
)

# The caller's own values, before any load exports recorded ones (as asc_snapshot_env does).
for _prod_entry in "${PROD_PORTS[@]}" "ASCENSION_NGINX_TRUST_XFF_FROM -"; do
  _prod_name="${_prod_entry% *}"
  printf -v "_ASC_ORIG_${_prod_name}" '%s' "${!_prod_name:-}"
done
unset _prod_entry _prod_name
_ASC_ORIG_ASCENSION_PROFILE="${ASCENSION_PROFILE:-}"

# prod_on MODE: the production profile applies. `up` follows ASCENSION_PROFILE only; the other
# commands also follow the profile recorded in the stack's env file.
prod_on() {
  [[ "${_ASC_ORIG_ASCENSION_PROFILE}" == production ]] && return 0
  [[ -z "${_ASC_ORIG_ASCENSION_PROFILE}" && "$1" == existing && "$(recorded ASCENSION_PROFILE)" == production ]]
}

# prod_leftovers: a process of the profile has a pid file in this stack (an `up` without the
# profile over a production stack rewrote the env file): down and status still handle it.
prod_leftovers() {
  local n
  for n in api-2 nginx prometheus postgres-replica pg-exporter pg-exporter-replica; do [[ -f "$(pidfile_of "${n}")" ]] && return 0; done
  return 1
}

prod_load_config() {
  local mode="$1"
  asc_resolve_ports "${mode}" "${PROD_PORTS[@]}"
  # RabbitMQ's metrics endpoint (rabbitmq_prometheus), scraped by Prometheus.
  export ASCENSION_AMQP_PROMETHEUS=1
  PROD_TRUST_XFF_FROM="$(_setting ASCENSION_NGINX_TRUST_XFF_FROM '' "${mode}")"
  PROD_NGINX_DIR="${ASCENSION_HOME}/nginx"
  PROD_PROM_DIR="${ASCENSION_HOME}/prometheus"
}

# Appended to the env file written by asc_write_env.
prod_write_env() {
  {
    echo "# Production profile (scripts/lib/production.sh)."
    _envline ASCENSION_PROFILE production
    _envline INSTANCE_ID api-1
    _envline DATABASE_READ_URL "postgresql://ascension:${PG_PASSWORD}@127.0.0.1:${ASCENSION_PG_REPLICA_PORT}/ascension"
    # Clients reach the store through nginx's s3.* server (TLS); the processes keep MINIO_ENDPOINT.
    _envline S3_PUBLIC_ENDPOINT "https://s3.ascension.app:${ASCENSION_HTTPS_PORT}"
    local entry name
    for entry in "${PROD_PORTS[@]}"; do
      name="${entry% *}"
      _envline "${name}" "${!name}"
    done
    [[ -z "${PROD_TRUST_XFF_FROM}" ]] || _envline ASCENSION_NGINX_TRUST_XFF_FROM "${PROD_TRUST_XFF_FROM}"
  } >>"${ASC_ENV_FILE}"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL streaming replica: pg_basebackup -R -X stream from a replication role, beside the
# primary's data dir (so that wipe_home deletes it with the primary's), on its own port.

replica_paths() {
  pg_paths
  PGR_DIR="$(dirname "${PGDATA_DIR}")/replica"
  PGR_LOG="${ASC_LOGS}/postgres-replica.log"
  local hash
  hash="$(printf '%s' "${ASCENSION_HOME}" | sha256sum | cut -c1-12)"
  if ((${#PGR_DIR} < 80)); then PGR_SOCKDIR="${PGR_DIR}"; else PGR_SOCKDIR="/tmp/.ascension-pgr-${hash}"; fi
  PGR_SECRET="${ASCENSION_HOME}/secrets-replication"
}

replica_pid() { running postgres-replica postgres; }

_sysid() { as_postgres "${PG_BIN}/pg_controldata" "$1" 2>/dev/null | sed -n 's/^Database system identifier: *//p'; }

replica_start() {
  replica_paths
  local pid t0 pw
  if pid="$(replica_pid)"; then
    ok "postgres-replica already running (pid ${pid}, port ${ASCENSION_PG_REPLICA_PORT})"
    return 0
  fi
  t0="$(now_ms)"
  require_port_free "${ASCENSION_PG_REPLICA_PORT}" ASCENSION_PG_REPLICA_PORT
  if [[ ! -f "${PGR_SECRET}" ]]; then (umask 077 && openssl rand -hex 16 >"${PGR_SECRET}"); fi
  pw="$(cat "${PGR_SECRET}")"
  # The replication role, on the primary (idempotent; the password follows the secret file).
  as_postgres "${PG_BIN}/psql" -X -q -h "${PG_SOCKDIR}" -p "${ASCENSION_PG_PORT}" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -v pw="${pw}" >>"${PGR_LOG}" 2>&1 <<'EOF' || die "could not create the replicator role; see ${PGR_LOG}"
SELECT 'CREATE ROLE replicator WITH REPLICATION LOGIN'
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'replicator') \gexec
SELECT format('ALTER ROLE replicator PASSWORD %L', :'pw') \gexec
EOF
  # A replica cloned from another cluster (the primary was re-created) is cloned again.
  if [[ -f "${PGR_DIR}/PG_VERSION" && "$(_sysid "${PGR_DIR}")" != "$(_sysid "${PGDATA_DIR}")" ]]; then
    warn "postgres-replica belongs to an older primary: cloning it again"
    rm -rf "${PGR_DIR}"
  fi
  if [[ ! -f "${PGR_DIR}/PG_VERSION" ]]; then
    rm -rf "${PGR_DIR}"
    mkdir -p "${PGR_DIR}"
    chown postgres:postgres "${PGR_DIR}"
    chmod 700 "${PGR_DIR}"
    as_postgres env PGPASSWORD="${pw}" "${PG_BIN}/pg_basebackup" -h 127.0.0.1 -p "${ASCENSION_PG_PORT}" \
      -U replicator -D "${PGR_DIR}" -R -X stream -c fast >>"${PGR_LOG}" 2>&1 ||
      { _show_log_tail "${PGR_LOG}"; die "pg_basebackup of the replica failed; see ${PGR_LOG}"; }
    rm -f "${PGR_DIR}/postmaster.pid"
  fi
  if [[ "${PGR_SOCKDIR}" != "${PGR_DIR}" ]]; then
    mkdir -p "${PGR_SOCKDIR}" && chown postgres:postgres "${PGR_SOCKDIR}" && chmod 700 "${PGR_SOCKDIR}"
  fi
  # The copied ascension.conf names the primary's port and socket: the replica's own.
  cat >"${PGR_DIR}/ascension.conf" <<EOF
# Written by ./ascension up (production profile) on every start of the replica.
listen_addresses = '127.0.0.1'
port = ${ASCENSION_PG_REPLICA_PORT}
unix_socket_directories = '${PGR_SOCKDIR}'
max_connections = 200
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
hot_standby = on
hot_standby_feedback = on
EOF
  chown postgres:postgres "${PGR_DIR}/ascension.conf"
  if [[ -f "${PGR_DIR}/postmaster.pid" ]]; then
    local old
    old="$(head -n 1 "${PGR_DIR}/postmaster.pid" | tr -dc '0-9' || true)"
    if ! { pid_alive "${old}" && proc_matches "${old}" postgres; }; then rm -f "${PGR_DIR}/postmaster.pid"; fi
  fi
  as_postgres "${PG_BIN}/pg_ctl" -D "${PGR_DIR}" -w -t 60 -s start </dev/null >>"${PGR_LOG}" 2>&1 || true
  pid="$(head -n 1 "${PGR_DIR}/postmaster.pid" 2>/dev/null | tr -dc '0-9' || true)"
  [[ -n "${pid}" ]] && pid_alive "${pid}" || { _show_log_tail "${PGR_LOG}"; die "postgres-replica did not start; see ${PGR_LOG}"; }
  echo "${pid}" >"$(pidfile_of postgres-replica)"
  wait_for postgres-replica 60 "${PGR_LOG}" "${pid}" replica_health
  ok "postgres-replica streaming (pid ${pid}, port ${ASCENSION_PG_REPLICA_PORT}) in $(since "${t0}")"
}

replica_stop() {
  replica_paths
  local pid
  if pid="$(replica_pid)"; then
    as_postgres "${PG_BIN}/pg_ctl" -D "${PGR_DIR}" -m fast -w -t 30 -s stop >/dev/null 2>&1 || true
    stop_pid postgres-replica "${pid}" 30
    ok "postgres-replica stopped (pid ${pid})"
  fi
  rm -f "$(pidfile_of postgres-replica)"
}

# Accepting connections and in recovery (a standby, not a promoted copy).
replica_health() {
  replica_paths
  "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${ASCENSION_PG_REPLICA_PORT}" -t 3 || return 1
  local pw="${PG_PASSWORD:-}"
  [[ -n "${pw}" ]] || pw="$(sed -n 's/^PG_PASSWORD=//p' "${ASC_SECRETS}")"
  [[ "$(PGPASSWORD="${pw}" psql -X -qAt -h 127.0.0.1 -p "${ASCENSION_PG_REPLICA_PORT}" -U ascension -d ascension \
    -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" == t ]]
}

# ---------------------------------------------------------------------------------------------
# The second API instance: the same binary and env file, its own port and INSTANCE_ID.

api2_health() { [[ "$(http_code "http://127.0.0.1:${API2_PORT}/ready" 3)" == 200 ]]; }

api2_start() {
  local api pid t0
  api="$(api_bin)"
  [[ -x "${api}" ]] || die "${api} not built: the production profile needs the API"
  if pid="$(running api-2 ascension-api)"; then
    ok "api-2 already running (pid ${pid}, port ${API2_PORT})"
    return 0
  fi
  t0="$(now_ms)"
  require_port_free "${API2_PORT}" API2_PORT
  spawn api-2 "${ASC_LOGS}/api-2.log" bash -c \
    'set -a; source "$1"; set +a; export API_PORT="$3" INSTANCE_ID=api-2
    if [[ -n "${S3_API_ACCESS_KEY:-}" ]]; then unset MINIO_ROOT_USER MINIO_ROOT_PASSWORD; fi
    exec "$2"' _ "${ASC_ENV_FILE}" "${api}" "${API2_PORT}"
  wait_for "ascension-api (api-2, port ${API2_PORT})" "${ASCENSION_READY_TIMEOUT:-90}" "${ASC_LOGS}/api-2.log" \
    "$(pid_of api-2)" api2_health
  ok "api-2 ready (pid $(pid_of api-2), http://127.0.0.1:${API2_PORT}) in $(since "${t0}")"
}

api2_stop() { stop_named api-2 ascension-api api-2 45 && ok "api-2 stopped"; }

# ---------------------------------------------------------------------------------------------
# postgres_exporter (Debian's prometheus-postgres-exporter), one per server like production's
# postgres / postgres-replica exporters. Debian's 0.11 has no replication collector: the queries
# file gives the metrics the alert rules use under production's (0.15) names,
# pg_replication_lag_seconds and pg_replication_is_replica.

pgexp_queries() {
  mkdir -p "${ASCENSION_HOME}/postgres-exporter"
  PGEXP_QUERIES="${ASCENSION_HOME}/postgres-exporter/queries.yml"
  cat >"${PGEXP_QUERIES}" <<'EOF'
pg_replication:
  query: |
    SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
                WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())) END AS lag_seconds,
           CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END AS is_replica
  master: true
  metrics:
    - lag_seconds:
        usage: GAUGE
        description: "Seconds since the last transaction replayed (0 when caught up or a primary)"
    - is_replica:
        usage: GAUGE
        description: "1 when the server is in recovery (a standby)"
EOF
}

# pgexp_start NAME PORT DBPORT
pgexp_start() {
  local name="$1" port="$2" dbport="$3" pid t0 pw
  command -v prometheus-postgres-exporter >/dev/null ||
    die "prometheus-postgres-exporter is not installed (scripts/install-deps.sh installs it)"
  if pid="$(running "${name}" postgres-exporter)"; then
    ok "${name} already running (pid ${pid}, port ${port})"
    return 0
  fi
  t0="$(now_ms)"
  require_port_free "${port}" "${name} port"
  pgexp_queries
  pw="${PG_PASSWORD:-$(sed -n 's/^PG_PASSWORD=//p' "${ASC_SECRETS}")}"
  spawn "${name}" "${ASC_LOGS}/${name}.log" env \
    DATA_SOURCE_NAME="postgresql://ascension:${pw}@127.0.0.1:${dbport}/ascension?sslmode=disable" \
    prometheus-postgres-exporter --web.listen-address="127.0.0.1:${port}" --extend.query-path="${PGEXP_QUERIES}"
  wait_for "${name}" 30 "${ASC_LOGS}/${name}.log" "$(pid_of "${name}")" pgexp_health "${port}"
  ok "${name} up (pid $(pid_of "${name}"), http://127.0.0.1:${port}/metrics) in $(since "${t0}")"
}

# The exporter queries PostgreSQL on every scrape: on a loaded machine one answer can be late, so a
# second try decides before calling it unhealthy. The page is read whole before it is searched:
# `curl | grep -q` under pipefail fails when grep stops at the match while curl still writes
# (curl exits 23), which made a healthy exporter look unhealthy now and then.
pgexp_health() {
  local try page
  for try in 1 2; do
    page="$(curl -s --max-time 10 "http://127.0.0.1:$1/metrics" 2>/dev/null || true)"
    grep -q '^pg_up 1' <<<"${page}" && return 0
    ((try == 2)) || sleep 1
  done
  return 1
}
pgexp_primary_health() { pgexp_health "${ASCENSION_PG_EXPORTER_PORT}"; }
pgexp_replica_health() { pgexp_health "${ASCENSION_PG_EXPORTER_REPLICA_PORT}"; }

pgexp_stop() {
  local pid
  if pid="$(running "$1" postgres-exporter)"; then
    stop_pid "$1" "${pid}" 15
    ok "$1 stopped (pid ${pid})"
  fi
  rm -f "$(pidfile_of "$1")"
}

# ---------------------------------------------------------------------------------------------
# nginx: deploy/nginx/nginx.conf rendered into $ASCENSION_HOME/nginx, self-signed certificate.

nginx_health() { [[ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 3 "https://127.0.0.1:${ASCENSION_HTTPS_PORT}/health" 2>/dev/null)" == 200 ]]; }

nginx_start() {
  local pid t0 trust=(--no-cloudflare)
  command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx-light or nginx)"
  if pid="$(running nginx nginx)"; then
    ok "nginx already running (pid ${pid}, https://127.0.0.1:${ASCENSION_HTTPS_PORT})"
    return 0
  fi
  t0="$(now_ms)"
  local p
  for p in ASCENSION_HTTPS_PORT ASCENSION_HTTP_PORT ASCENSION_NGINX_STATUS_PORT; do require_port_free "${!p}" "${p}"; done
  [[ -z "${PROD_TRUST_XFF_FROM}" ]] || trust=(--trust-xff-from "${PROD_TRUST_XFF_FROM}")
  "${ASC_SCRIPTS}/ops/render-nginx-conf.sh" --prefix "${PROD_NGINX_DIR}" \
    --api "127.0.0.1:${API_PORT}" --api "127.0.0.1:${API2_PORT}" --s3 "127.0.0.1:${ASCENSION_S3_PORT}" \
    --http-port "${ASCENSION_HTTP_PORT}" --https-port "${ASCENSION_HTTPS_PORT}" \
    --status-port "${ASCENSION_NGINX_STATUS_PORT}" --self-signed "${trust[@]}" \
    --web-root "${ASC_BUILD_DIR}/web" --storage-origin "${S3_PUBLIC_ENDPOINT:-http://127.0.0.1:${ASCENSION_S3_PORT}}" >/dev/null ||
    die "rendering deploy/nginx/nginx.conf failed"
  nginx -p "${PROD_NGINX_DIR}" -c "${PROD_NGINX_DIR}/nginx.conf" -e "${PROD_NGINX_DIR}/logs/error.log" -t \
    >>"${ASC_LOGS}/nginx.log" 2>&1 || { _show_log_tail "${ASC_LOGS}/nginx.log"; die "nginx -t failed; see ${ASC_LOGS}/nginx.log"; }
  spawn nginx "${ASC_LOGS}/nginx.log" nginx -p "${PROD_NGINX_DIR}" -c "${PROD_NGINX_DIR}/nginx.conf" \
    -e "${PROD_NGINX_DIR}/logs/error.log" -g 'daemon off;'
  wait_for nginx 30 "${PROD_NGINX_DIR}/logs/error.log" "$(pid_of nginx)" nginx_health
  ok "nginx up (pid $(pid_of nginx), https://127.0.0.1:${ASCENSION_HTTPS_PORT}) in $(since "${t0}")"
}

nginx_stop() {
  local pid
  if pid="$(running nginx nginx)"; then
    # SIGQUIT: graceful (workers finish their requests).
    stop_pid nginx "${pid}" 20 QUIT
    ok "nginx stopped (pid ${pid})"
  fi
  rm -f "$(pidfile_of nginx)"
}

# ---------------------------------------------------------------------------------------------
# Prometheus: deploy/prometheus rendered onto this stack's ports, with the alert rules.

prometheus_health() { [[ "$(http_code "http://127.0.0.1:${ASCENSION_PROMETHEUS_PORT}/-/ready" 3)" == 200 ]]; }

prometheus_start() {
  local pid t0
  command -v prometheus >/dev/null || die "prometheus is not installed (apt-get install prometheus)"
  if pid="$(running prometheus prometheus)"; then
    ok "prometheus already running (pid ${pid}, port ${ASCENSION_PROMETHEUS_PORT})"
    return 0
  fi
  t0="$(now_ms)"
  require_port_free "${ASCENSION_PROMETHEUS_PORT}" ASCENSION_PROMETHEUS_PORT
  mkdir -p "${PROD_PROM_DIR}"
  "${ASC_SCRIPTS}/ops/render-prometheus-conf.sh" --out "${PROD_PROM_DIR}" \
    --scrape-interval "${ASCENSION_SCRAPE_INTERVAL:-5s}" \
    --target "prometheus=127.0.0.1:${ASCENSION_PROMETHEUS_PORT}" \
    --target "ascension-api=127.0.0.1:${API_PORT},127.0.0.1:${API2_PORT}" \
    --target "ascension-worker=127.0.0.1:${WORKER_METRICS_PORT}" \
    --target "rabbitmq=127.0.0.1:${ASCENSION_AMQP_METRICS_PORT}" \
    --target "rabbitmq-queues=127.0.0.1:${ASCENSION_AMQP_METRICS_PORT}" \
    --target "postgres=127.0.0.1:${ASCENSION_PG_EXPORTER_PORT},127.0.0.1:${ASCENSION_PG_EXPORTER_REPLICA_PORT}" >/dev/null ||
    die "rendering deploy/prometheus/prometheus.yml failed"
  spawn prometheus "${ASC_LOGS}/prometheus.log" prometheus --config.file="${PROD_PROM_DIR}/prometheus.yml" \
    --storage.tsdb.path="${PROD_PROM_DIR}/data" --storage.tsdb.use-lockfile \
    --web.listen-address="127.0.0.1:${ASCENSION_PROMETHEUS_PORT}" --web.enable-lifecycle
  wait_for prometheus 60 "${ASC_LOGS}/prometheus.log" "$(pid_of prometheus)" prometheus_health
  # Ready is not enough for an operator who opens the dashboards at once: wait until every target
  # has been scraped once and answered (the targets list is empty or "unknown" before that).
  local deadline=$(( $(now_ms) + ${ASCENSION_SCRAPE_TIMEOUT:-60} * 1000 )) pending
  until pending="$(prometheus_unscraped)" && [[ -z "${pending}" ]]; do
    if (( $(now_ms) >= deadline )); then
      die "prometheus has not scraped every target within ${ASCENSION_SCRAPE_TIMEOUT:-60}s; not up yet: ${pending:-the targets API did not answer}"
    fi
    sleep 0.5
  done
  ok "prometheus up, every target scraped (pid $(pid_of prometheus), http://127.0.0.1:${ASCENSION_PROMETHEUS_PORT}) in $(since "${t0}")"
}

# Prints the targets not yet scraped successfully (job@address, one per line); nothing when all
# are up. Fails when the targets API does not answer or lists no target at all.
prometheus_unscraped() {
  curl -fsS --max-time 3 "http://127.0.0.1:${ASCENSION_PROMETHEUS_PORT}/api/v1/targets?state=active" |
    /usr/bin/python3 -c '
import json, sys
targets = json.load(sys.stdin).get("data", {}).get("activeTargets", [])
if not targets:
    sys.exit(1)
for t in targets:
    if t.get("health") != "up":
        print(t.get("labels", {}).get("job", "?") + "@" + t.get("labels", {}).get("instance", "?"))
'
}

prometheus_stop() {
  local pid
  if pid="$(running prometheus prometheus)"; then
    stop_pid prometheus "${pid}" 30
    ok "prometheus stopped (pid ${pid})"
  fi
  rm -f "$(pidfile_of prometheus)"
}

# ---------------------------------------------------------------------------------------------
# Hooks called by ./ascension.

# After the API and the worker: the second instance, nginx in front, Prometheus scraping them.
prod_app_start() {
  api2_start
  pgexp_start pg-exporter "${ASCENSION_PG_EXPORTER_PORT}" "${ASCENSION_PG_PORT}"
  pgexp_start pg-exporter-replica "${ASCENSION_PG_EXPORTER_REPLICA_PORT}" "${ASCENSION_PG_REPLICA_PORT}"
  nginx_start
  prometheus_start
}

# Before the default stop order: the front first, the replica before its primary.
prod_stop() {
  nginx_stop
  prometheus_stop
  pgexp_stop pg-exporter
  pgexp_stop pg-exporter-replica
  api2_stop
  replica_stop
}

prod_status() {
  local all=0
  replica_paths
  _status_line pg-replica "$(replica_pid || true)" replica_health || all=1
  _status_line api-2 "$(running api-2 ascension-api || true)" api2_health || all=1
  _status_line nginx "$(running nginx nginx || true)" nginx_health || all=1
  _status_line prometheus "$(running prometheus prometheus || true)" prometheus_health || all=1
  _status_line pg-exp-pri "$(running pg-exporter postgres-exporter || true)" pgexp_primary_health || all=1
  _status_line pg-exp-rep "$(running pg-exporter-replica postgres-exporter || true)" pgexp_replica_health || all=1
  return "${all}"
}

prod_summary() {
  echo "  HTTPS (nginx): https://127.0.0.1:${ASCENSION_HTTPS_PORT} (self-signed; http://127.0.0.1:${ASCENSION_HTTP_PORT} redirects)"
  echo "  API instances: http://127.0.0.1:${API_PORT} (api-1), http://127.0.0.1:${API2_PORT} (api-2)"
  echo "  PG replica:    127.0.0.1:${ASCENSION_PG_REPLICA_PORT} (DATABASE_READ_URL)"
  echo "  Prometheus:    http://127.0.0.1:${ASCENSION_PROMETHEUS_PORT} (postgres_exporter: ${ASCENSION_PG_EXPORTER_PORT}, replica ${ASCENSION_PG_EXPORTER_REPLICA_PORT})"
}

prod_owns() {
  case "$1" in api-2 | nginx | prometheus | postgres-replica | pg-replica | pg-exporter | pg-exporter-replica) return 0 ;; *) return 1 ;; esac
}

# prod_service ACTION SERVICE: one of the profile's own services (prod_owns).
prod_service() {
  case "$1:$2" in
    stop:api-2) api2_stop ;;
    stop:nginx) nginx_stop ;;
    stop:prometheus) prometheus_stop ;;
    stop:postgres-replica | stop:pg-replica) replica_stop ;;
    start:api-2) api2_start ;;
    start:nginx) nginx_start ;;
    start:prometheus) prometheus_start ;;
    start:postgres-replica | start:pg-replica) replica_start ;;
    stop:pg-exporter | stop:pg-exporter-replica) pgexp_stop "$2" ;;
    start:pg-exporter) pgexp_start pg-exporter "${ASCENSION_PG_EXPORTER_PORT}" "${ASCENSION_PG_PORT}" ;;
    start:pg-exporter-replica) pgexp_start pg-exporter-replica "${ASCENSION_PG_EXPORTER_REPLICA_PORT}" "${ASCENSION_PG_REPLICA_PORT}" ;;
    *) die "usage: ./ascension ${1} api-2|nginx|prometheus|postgres-replica" ;;
  esac
}
