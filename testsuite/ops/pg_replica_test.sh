#!/usr/bin/env bash
# The streaming replica of deploy/docker-compose.yml, outside Docker: a scratch primary with the
# production postgresql.conf, the roles of deploy/postgres/initdb/10-roles.sh, then
# deploy/postgres/replica-entrypoint.sh cloning it (with stand-ins for the image's gosu and
# docker-entrypoint.sh), and the clone started as a hot standby: in recovery, streaming through
# its slot, rows written on the primary readable on it, writes refused, lag near zero.
# Usage: pg_replica_test.sh   (root with the postgres user; exit 77 when unavailable)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scratch_name=ascension-pg-replica
# shellcheck source=testsuite/ops/scratch_pg.sh
source "${root}/testsuite/ops/scratch_pg.sh"
port="$(free_port)"
data="${work}/primary"
new_primary "${data}" "${port}"

# The image runs initdb/*.sh as postgres against POSTGRES_DB over the local socket.
repl_pw="$(openssl rand -hex 12)" mon_pw="$(openssl rand -hex 12)"
(cd / && runuser -u postgres -- env PGHOST="${data}" PGPORT="${port}" POSTGRES_USER=postgres POSTGRES_DB=postgres \
  POSTGRES_REPLICATION_PASSWORD="${repl_pw}" POSTGRES_EXPORTER_PASSWORD="${mon_pw}" \
  bash "${root}/deploy/postgres/initdb/10-roles.sh") >/dev/null
qp() { psql -X -q -At -h "${data}" -p "${port}" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1"; }
check "10-roles.sh: replicator can replicate" t "$(qp "SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'")"
check "10-roles.sh: slot replica1 created" 1 "$(qp "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'replica1'")"
check "10-roles.sh: exporter role in pg_monitor" t "$(qp "SELECT pg_has_role('postgres_exporter', 'pg_monitor', 'member')")"
check "exporter logs in with its password" 1 "$(PGPASSWORD="${mon_pw}" psql -X -At -h 127.0.0.1 -p "${port}" -U postgres_exporter -d postgres -c 'SELECT 1')"

# The replica's entrypoint, with stand-ins for what the postgres image provides.
mkdir -p "${work}/bin"
printf '#!/bin/sh\nuser="$1"; shift\ncd / && exec runuser -u "$user" -- "$@"\n' >"${work}/bin/gosu"
printf '#!/bin/sh\necho "$@" >"%s/entrypoint.args"\n' "${work}" >"${work}/bin/docker-entrypoint.sh"
chmod +x "${work}/bin/gosu" "${work}/bin/docker-entrypoint.sh"
rdata="${work}/replica"
PATH="${work}/bin:${PATH}" PGDATA="${rdata}" PRIMARY_HOST=127.0.0.1 PRIMARY_PORT="${port}" \
  POSTGRES_REPLICATION_PASSWORD="${repl_pw}" REPLICATION_SLOT=replica1 \
  bash "${root}/deploy/postgres/replica-entrypoint.sh" postgres -c config_file=/etc/postgresql/postgresql.conf >/dev/null 2>"${work}/clone.log" ||
  { cat "${work}/clone.log"; exit 1; }
check "entrypoint handed over to the image's entrypoint with its arguments" "postgres -c config_file=/etc/postgresql/postgresql.conf" "$(cat "${work}/entrypoint.args")"
check "clone is a standby (standby.signal)" 1 "$([[ -f "${rdata}/standby.signal" ]] && echo 1 || echo 0)"
check "clone streams through slot replica1" 1 "$(grep -c "primary_slot_name = 'replica1'" "${rdata}/postgresql.auto.conf")"
check "clone owned by postgres, mode 700" "postgres 700" "$(stat -c '%U %a' "${rdata}")"
# A second start must not clone again.
: >"${work}/entrypoint.args"
PATH="${work}/bin:${PATH}" PGDATA="${rdata}" POSTGRES_REPLICATION_PASSWORD=x bash "${root}/deploy/postgres/replica-entrypoint.sh" postgres >/dev/null 2>&1
check "restart of a cloned replica skips the clone" postgres "$(cat "${work}/entrypoint.args")"

# Run the clone as the hot standby (same configuration files, its own port and socket).
rport="$(free_port)"
sed -i "s/^port = .*/port = ${rport}/; s|^unix_socket_directories = .*|unix_socket_directories = '${rdata}'|" "${rdata}/local.conf"
clusters+=("${rdata}")
as_pg pg_ctl -D "${rdata}" -l "${rdata}/server.log" -w -t 60 start >/dev/null
qr() { psql -X -q -At -h "${rdata}" -p "${rport}" -U postgres -d postgres -c "$1"; }
check "replica in recovery" t "$(qr 'SELECT pg_is_in_recovery()')"
state=""
for _ in $(seq 1 50); do
  state="$(qp "SELECT state FROM pg_stat_replication WHERE application_name <> '' LIMIT 1")"
  [[ "${state}" == streaming ]] && break
  sleep 0.2
done
check "primary streams to it" streaming "${state}"
check "slot replica1 active" t "$(qp "SELECT active FROM pg_replication_slots WHERE slot_name = 'replica1'")"
qp "CREATE TABLE holds (id int PRIMARY KEY, name text); INSERT INTO holds SELECT g, 'hold-' || g FROM generate_series(1, 250) g"
seen=0
for _ in $(seq 1 50); do
  seen="$(qr "SELECT count(*) FROM holds" 2>/dev/null || echo 0)"
  [[ "${seen}" == 250 ]] && break
  sleep 0.2
done
check "rows written on the primary read on the replica" 250 "${seen}"
if qr "INSERT INTO holds VALUES (999, 'x')" >/dev/null 2>&1; then check "writes refused on the replica" refused accepted
else check "writes refused on the replica" 1 "$(qr "SELECT count(*) FROM holds WHERE id = 999" | grep -c '^0$')"; fi
# The lag as postgres_exporter computes it (pg_replication_lag_seconds): 0 when caught up.
lag="$(qr "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END")"
check "replication lag under 5 s" 1 "$(awk -v l="${lag}" 'BEGIN{print (l < 5) ? 1 : 0}')"
echo "${fails} failure(s)"
exit $((fails > 0))
