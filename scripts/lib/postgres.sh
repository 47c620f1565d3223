# shellcheck shell=bash
# PostgreSQL as a plain process owned by the stack: initdb once, then pg_ctl start/stop.
# The server refuses to run as root, so every server-side command runs as the package's
# `postgres` user from `/`, on a data dir it owns. Sourced by ./ascension.

pg_paths() {
  local v
  PG_BIN=""
  for v in 17 16 15; do
    [[ -x "/usr/lib/postgresql/${v}/bin/pg_ctl" ]] && { PG_BIN="/usr/lib/postgresql/${v}/bin"; break; }
  done
  PG_DIR="${ASCENSION_HOME}/postgres"
  PG_LOG="${ASC_LOGS}/postgres.log"
  local hash
  hash="$(printf '%s' "${ASCENSION_HOME}" | sha256sum | cut -c1-12)"
  # The postgres user must be able to walk down to its data dir; when a parent of the data dir is
  # closed to it (a checkout under /root, say), the cluster lives under /var/tmp instead and
  # $ASCENSION_HOME/postgres/data is a symlink to it.
  if [[ -L "${PG_DIR}/data" ]]; then
    PGDATA_DIR="$(readlink "${PG_DIR}/data")"
  elif id postgres >/dev/null 2>&1 && ! (cd / && runuser -u postgres -- test -x "${ASCENSION_HOME}") 2>/dev/null; then
    PGDATA_DIR="/var/tmp/ascension-pg-${hash}/data"
  else
    PGDATA_DIR="${PG_DIR}/data"
  fi
  # Unix socket paths are limited to 107 bytes.
  if ((${#PGDATA_DIR} < 80)); then PG_SOCKDIR="${PGDATA_DIR}"; else PG_SOCKDIR="/tmp/.ascension-pg-${hash}"; fi
}

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

pg_pid() { running postgres postgres; }

postgres_start() {
  pg_paths
  [[ -n "${PG_BIN}" ]] || die "PostgreSQL 15+ server binaries not found (install postgresql-15)"
  local pid t0
  if pid="$(pg_pid)"; then
    ok "postgres already running (pid ${pid}, port ${ASCENSION_PG_PORT})"
    return 0
  fi
  t0="$(now_ms)"
  require_port_free "${ASCENSION_PG_PORT}" ASCENSION_PG_PORT
  mkdir -p "${PG_DIR}"
  local fresh=0
  if [[ ! -f "${PGDATA_DIR}/PG_VERSION" ]]; then
    fresh=1
    rm -rf "${PGDATA_DIR}"
    mkdir -p "${PGDATA_DIR}"
    [[ "${PGDATA_DIR}" == "${PG_DIR}/data" ]] || ln -sfn "${PGDATA_DIR}" "${PG_DIR}/data"
    chown postgres:postgres "${PGDATA_DIR}"
    chmod 700 "${PGDATA_DIR}"
    as_postgres "${PG_BIN}/initdb" -D "${PGDATA_DIR}" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"${ASC_LOGS}/postgres-initdb.log" 2>&1 ||
      { _show_log_tail "${ASC_LOGS}/postgres-initdb.log"; die "initdb failed; see ${ASC_LOGS}/postgres-initdb.log"; }
    echo "include_if_exists = 'ascension.conf'" >>"${PGDATA_DIR}/postgresql.conf"
  fi
  # Settings that depend on this run (port, socket) are rewritten on every start.
  if [[ "${PG_SOCKDIR}" != "${PGDATA_DIR}" ]]; then
    mkdir -p "${PG_SOCKDIR}" && chown postgres:postgres "${PG_SOCKDIR}" && chmod 700 "${PG_SOCKDIR}"
  fi
  cat >"${PGDATA_DIR}/ascension.conf" <<EOF
# Written by ./ascension up on every start.
listen_addresses = '127.0.0.1'
port = ${ASCENSION_PG_PORT}
unix_socket_directories = '${PG_SOCKDIR}'
max_connections = 200
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  chown postgres:postgres "${PGDATA_DIR}/ascension.conf"
  # A lock file left by a killed server names a pid that may now belong to anyone; the server
  # would refuse to start on it. The same holds for the unix socket's lock file, and a server
  # killed a moment ago can still be an unreaped zombie, which the server's own check (kill -0)
  # takes for a live postmaster (seen after kill -9 in the chaos suite).
  local lock old
  for lock in "${PGDATA_DIR}/postmaster.pid" "${PG_SOCKDIR}/.s.PGSQL.${ASCENSION_PG_PORT}.lock"; do
    [[ -f "${lock}" ]] || continue
    old="$(head -n 1 "${lock}" | tr -dc '0-9' || true)"
    if ! { pid_alive "${old}" && proc_matches "${old}" postgres; }; then
      rm -f "${lock}"
    fi
  done
  # The server log is opened here (by root) and inherited: the postgres user may not be able to
  # reach the stack's logs/ dir.
  as_postgres "${PG_BIN}/pg_ctl" -D "${PGDATA_DIR}" -w -t 60 -s start </dev/null >>"${PG_LOG}" 2>&1 || true
  pid="$(head -n 1 "${PGDATA_DIR}/postmaster.pid" 2>/dev/null | tr -dc '0-9' || true)"
  [[ -n "${pid}" ]] && pid_alive "${pid}" || { _show_log_tail "${PG_LOG}"; die "postgres did not start; see ${PG_LOG}"; }
  echo "${pid}" >"$(pidfile_of postgres)"
  wait_for postgres 60 "${PG_LOG}" "${pid}" "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${ASCENSION_PG_PORT}"
  if [[ ! -f "${PG_DIR}/.provisioned" ]] || ((fresh)); then
    as_postgres "${PG_BIN}/psql" -X -q -h "${PG_SOCKDIR}" -p "${ASCENSION_PG_PORT}" -U postgres -d postgres \
      -v ON_ERROR_STOP=1 -v pw="${PG_PASSWORD}" >>"${PG_LOG}" 2>&1 <<'EOF' || die "could not create the ascension role and database; see ${PG_LOG}"
SELECT format('CREATE ROLE ascension LOGIN CREATEDB PASSWORD %L', :'pw')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ascension') \gexec
SELECT format('ALTER ROLE ascension PASSWORD %L', :'pw') \gexec
SELECT 'CREATE DATABASE ascension OWNER ascension'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'ascension') \gexec
EOF
    touch "${PG_DIR}/.provisioned"
  fi
  ok "postgres up (pid ${pid}, port ${ASCENSION_PG_PORT}) in $(since "${t0}")"
}

postgres_stop() {
  pg_paths
  local pid
  if pid="$(pg_pid)"; then
    as_postgres "${PG_BIN}/pg_ctl" -D "${PGDATA_DIR}" -m fast -w -t 30 -s stop >/dev/null 2>&1 || true
    stop_pid postgres "${pid}" 30
    ok "postgres stopped (pid ${pid})"
  fi
  rm -f "$(pidfile_of postgres)"
}

postgres_health() {
  pg_paths
  "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${ASCENSION_PG_PORT}" -t 3
}
