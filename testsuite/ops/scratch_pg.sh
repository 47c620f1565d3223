# Sourced by the PostgreSQL drills (pg_drill_test.sh, pg_replica_test.sh): scratch clusters
# configured with the production settings (deploy/postgres/postgresql.conf, WAL archiving into a
# scratch archive; only paths, port and memory changed), stopped and deleted on exit.
# Before sourcing: `root` (the repository) and `scratch_name` (the mktemp prefix). Provides
# PG_BIN on PATH, check NAME EXPECTED GOT (counts `fails`), as_pg, free_port, `work`, `archive`,
# configure DATADIR PORT, start DATADIR and new_primary DATADIR PORT (initdb + configure + start).
PG_BIN=""
for v in 17 16 15; do [[ -x "/usr/lib/postgresql/${v}/bin/pg_ctl" ]] && { PG_BIN="/usr/lib/postgresql/${v}/bin"; break; }; done
[[ -n "${PG_BIN}" ]] || { echo "SKIP: PostgreSQL server binaries not installed"; exit 77; }
((EUID == 0)) && id postgres >/dev/null 2>&1 || { echo "SKIP: needs root and the postgres user"; exit 77; }
export PATH="${PG_BIN}:${PATH}"

fails=0
check() { if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi; }

work="$(mktemp -d "/tmp/${scratch_name:?}.XXXXXX")"
chmod 755 "${work}"
as_pg() { (cd / && runuser -u postgres -- "$@"); }
clusters=()
cleanup() {
  local d
  for d in "${clusters[@]}"; do as_pg pg_ctl -D "${d}" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; done
  rm -rf "${work}"
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/${p}") 2>/dev/null || { echo "${p}"; return; }
  done
  return 1
}

archive="${work}/wal-archive"
mkdir -p "${archive}"
chown postgres:postgres "${archive}"
chmod 700 "${archive}"

# configure DATADIR PORT: the production file with this machine's paths, then local overrides.
configure() {
  local data="$1" port="$2"
  sed -e "s|/var/lib/postgresql/wal-archive|${archive}|g" "${root}/deploy/postgres/postgresql.conf" >"${data}/production.conf"
  cat >"${data}/local.conf" <<EOF
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${data}'
shared_buffers = 64MB
effective_cache_size = 256MB
maintenance_work_mem = 64MB
max_wal_size = 256MB
wal_keep_size = 64MB
EOF
  printf "include 'production.conf'\ninclude 'local.conf'\n" >>"${data}/postgresql.conf"
  chown postgres:postgres "${data}/production.conf" "${data}/local.conf"
}

start() { as_pg pg_ctl -D "$1" -l "$1/server.log" -w -t 60 start >/dev/null || { tail -n 30 "$1/server.log"; exit 1; }; }

# new_primary DATADIR PORT: a fresh cluster (scram for TCP, trust on its socket), configured, started.
new_primary() {
  local data="$1" port="$2"
  mkdir -p "${data}" && chown postgres:postgres "${data}" && chmod 700 "${data}"
  as_pg initdb -D "${data}" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  configure "${data}" "${port}"
  clusters+=("${data}")
  start "${data}"
}
