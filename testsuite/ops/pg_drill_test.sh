#!/usr/bin/env bash
# Backup and recovery drills on a scratch PostgreSQL cluster configured with the production
# settings (deploy/postgres/postgresql.conf: WAL archiving with its archive_command and
# restore_command, only paths, port and memory changed):
#   dump    scripts/ops/backup.sh -> drop the tables -> scripts/ops/restore.sh -> identical rows;
#           retention deletes dumps older than 7 days and keeps younger ones; the metrics file
#   pitr    scripts/ops/basebackup.sh, rows written before and after a chosen moment, WAL
#           archived by the production archive_command, recovery of a new cluster to that
#           moment with the production restore_command -> exactly the rows before it
# Usage: pg_drill_test.sh dump|pitr   (root with the postgres user; exit 77 when unavailable)
set -euo pipefail
mode="${1:?dump|pitr}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ops="${root}/scripts/ops"

scratch_name=ascension-pg-drill
# shellcheck source=testsuite/ops/scratch_pg.sh
source "${root}/testsuite/ops/scratch_pg.sh"

port="$(free_port)"
data="${work}/primary"
new_primary "${data}" "${port}"
pw="$(openssl rand -hex 12)"
as_pg psql -X -q -h "${data}" -p "${port}" -U postgres -d postgres -v ON_ERROR_STOP=1 -v pw="${pw}" <<'EOF'
SELECT format('CREATE ROLE ascension LOGIN REPLICATION PASSWORD %L', :'pw') \gexec
CREATE DATABASE ascension OWNER ascension;
EOF
export DATABASE_URL="postgresql://ascension:${pw}@127.0.0.1:${port}/ascension"
unset PGPASSWORD
q() { psql -X -q -At -d "${DATABASE_URL}" -v ON_ERROR_STOP=1 -c "$1"; }
check "production settings active: archive_mode" on "$(q 'SHOW archive_mode')"
check "production settings active: wal_level" replica "$(q 'SHOW wal_level')"
check "archive_timeout within the 15-min RPO" 1 "$(q "SELECT (setting::int <= 900)::int FROM pg_settings WHERE name = 'archive_timeout'")"

q "CREATE TABLE climbers (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
q "CREATE TABLE sessions (id bigserial PRIMARY KEY, climber_id bigint NOT NULL REFERENCES climbers(id) ON DELETE CASCADE, grade text)"

if [[ "${mode}" == dump ]]; then
  q "INSERT INTO climbers (name) SELECT 'climber-' || g FROM generate_series(1, 500) g"
  q "INSERT INTO sessions (climber_id, grade) SELECT 1 + g % 500, '6' || chr(97 + g % 3) FROM generate_series(1, 2000) g"
  fingerprint() { q "SELECT (SELECT count(*) FROM climbers) || '/' || (SELECT count(*) FROM sessions) || '/' || (SELECT md5(string_agg(id || name, ',' ORDER BY id)) FROM climbers) || '/' || (SELECT md5(string_agg(id || ':' || climber_id || grade, ',' ORDER BY id)) FROM sessions)"; }
  before="$(fingerprint)"
  bdir="${work}/backups"
  mkdir -p "${bdir}"
  # Old dumps: 8 days (deleted by the 7-day retention) and 6 days (kept).
  touch -d '8 days ago' "${bdir}/ascension_20000101T000000Z.dump"
  touch -d '6 days ago' "${bdir}/ascension_20000102T000000Z.dump"
  touch -d '30 days ago' "${bdir}/unrelated.txt"
  # Through an env file, as `./ascension backup` and cron run it.
  envfile="${work}/env"
  printf "export DATABASE_URL='%s'\nexport BACKUP_DIR='%s'\nexport BACKUP_METRICS_DIR='%s'\n" "${DATABASE_URL}" "${bdir}" "${work}/textfile" >"${envfile}"
  # A pg_dump that records its arguments: the password must not be among them (process list).
  printf '#!/bin/sh\nprintf "%%s " "$@" >"%s/pg_dump.argv"\nexec pg_dump "$@"\n' "${work}" >"${work}/spy-pg_dump"
  chmod +x "${work}/spy-pg_dump"
  file="$(env -u DATABASE_URL ASCENSION_ENV_FILE="${envfile}" PG_DUMP="${work}/spy-pg_dump" "${ops}/backup.sh")"
  check "backup printed a file in the backups dir" "${bdir}" "$(dirname "${file}")"
  check "backup file exists" 1 "$([[ -s "${file}" ]] && echo 1 || echo 0)"
  check "dump is custom format (PGDMP magic)" PGDMP "$(head -c 5 "${file}")"
  check "8-day-old dump deleted" 0 "$([[ -e "${bdir}/ascension_20000101T000000Z.dump" ]] && echo 1 || echo 0)"
  check "6-day-old dump kept" 1 "$([[ -e "${bdir}/ascension_20000102T000000Z.dump" ]] && echo 1 || echo 0)"
  check "other files untouched" 1 "$([[ -e "${bdir}/unrelated.txt" ]] && echo 1 || echo 0)"
  check "pg_dump ran (PG_DUMP honoured)" 1 "$([[ -s "${work}/pg_dump.argv" ]] && echo 1 || echo 0)"
  check "no password on pg_dump's command line" 0 "$(grep -c "${pw}" "${work}/pg_dump.argv" || true)"
  metric="$(grep '^ascension_backup_last_success_timestamp_seconds ' "${work}/textfile/ascension_backup.prom" | awk '{print $2}')"
  check "metrics file has a recent success time" 1 "$(( metric > $(date +%s) - 120 ))"
  # Disaster: the tables are gone.
  q "DROP TABLE sessions; DROP TABLE climbers"
  check "tables dropped" 0 "$(q "SELECT count(*) FROM pg_tables WHERE tablename IN ('climbers','sessions')")"
  env -u DATABASE_URL ASCENSION_ENV_FILE="${envfile}" "${ops}/restore.sh" --yes "${file}" </dev/null
  check "rows identical after restore (counts and content hashes)" "${before}" "$(fingerprint)"
  check "sequence restored (next id continues)" 501 "$(q "INSERT INTO climbers (name) VALUES ('new') RETURNING id")"
  check "foreign key restored" 1 "$(q "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'sessions_climber_id_fkey'")"
  # Restoring again over live tables works too (--clean --if-exists), in one transaction.
  env -u DATABASE_URL ASCENSION_ENV_FILE="${envfile}" "${ops}/restore.sh" --yes "${file}" </dev/null
  check "second restore over existing tables" "${before}" "$(fingerprint)"
  # Production's form: multi-word commands (docker compose exec ...) and a password-less URL over
  # the server's local socket.
  file2="$(env -u DATABASE_URL ASCENSION_ENV_FILE="${envfile}" PG_DUMP="env PGAPPNAME=ascension-backup pg_dump" \
    BACKUP_DATABASE_URL="postgresql://ascension@/ascension?host=${data}&port=${port}" "${ops}/backup.sh" 2>/dev/null)"
  check "dump through a multi-word PG_DUMP over the local socket" PGDMP "$(head -c 5 "${file2}")"
  q "DROP TABLE sessions"
  env -u DATABASE_URL ASCENSION_ENV_FILE="${envfile}" PG_RESTORE="env PGAPPNAME=ascension-restore pg_restore" \
    RESTORE_DATABASE_URL="postgresql://ascension@/ascension?host=${data}&port=${port}" "${ops}/restore.sh" --yes "${file2}" </dev/null 2>/dev/null
  check "restore through a multi-word PG_RESTORE over the local socket" "${before}" "$(fingerprint)"
  # A setting given for one run wins over the env file's (RESTORE_DATABASE_URL=... restore.sh).
  file3="$(ASCENSION_ENV_FILE="${envfile}" BACKUP_DIR="${work}/other-backups" "${ops}/backup.sh" 2>/dev/null)"
  check "BACKUP_DIR from the environment wins over the env file" "${work}/other-backups" "$(dirname "${file3}")"
  # A file that is not a dump is refused before anything is touched.
  echo garbage >"${work}/bad.dump"
  if ASCENSION_ENV_FILE="${envfile}" "${ops}/restore.sh" --yes "${work}/bad.dump" </dev/null 2>/dev/null; then
    check "garbage refused" refused accepted
  else
    check "garbage refused" "${before}" "$(fingerprint)"
  fi
elif [[ "${mode}" == pitr ]]; then
  q "INSERT INTO climbers (name) SELECT 'before-base-' || g FROM generate_series(1, 100) g"
  old="$(as_pg psql -X -q -At -h "${data}" -p "${port}" -U postgres -d postgres -c "SELECT pg_walfile_name(pg_switch_wal())")"
  for _ in $(seq 1 100); do [[ -f "${archive}/${old}.gz" ]] && break; sleep 0.1; done
  check "a segment archived before the base backup" 1 "$([[ -f "${archive}/${old}.gz" ]] && echo 1 || echo 0)"
  base="$(BACKUP_DIR="${work}/backups" WAL_ARCHIVE_DIR="${archive}" "${ops}/basebackup.sh")"
  check "segments older than the base backup pruned from the archive" 0 "$([[ -f "${archive}/${old}.gz" ]] && echo 1 || echo 0)"
  check "base backup written" 1 "$([[ -s "${base}" ]] && echo 1 || echo 0)"
  q "INSERT INTO climbers (name) SELECT 'after-base-' || g FROM generate_series(1, 40) g"
  sleep 1.2
  target="$(q "SELECT now()::text")"
  expected="$(q "SELECT count(*) FROM climbers")"
  sleep 1.2
  q "INSERT INTO climbers (name) SELECT 'too-late-' || g FROM generate_series(1, 25) g"
  q "DELETE FROM climbers WHERE id <= 10"
  last="$(as_pg psql -X -q -At -h "${data}" -p "${port}" -U postgres -d postgres -c "SELECT pg_walfile_name(pg_switch_wal())")"
  for _ in $(seq 1 100); do
    [[ -f "${archive}/${last}.gz" ]] && break
    sleep 0.1
  done
  check "WAL segment archived by the production archive_command (gzip)" 1 "$([[ -f "${archive}/${last}.gz" ]] && echo 1 || echo 0)"
  check "archiver reports no failure" 0 "$(q "SELECT failed_count FROM pg_stat_archiver")"
  as_pg pg_ctl -D "${data}" -m fast -w -t 60 stop >/dev/null
  # The primary is lost; recover a new cluster to the chosen moment.
  rdata="${work}/recovered"
  "${ops}/pitr-prepare.sh" "${base}" "${rdata}" --target-time "${target}"
  check "recovery.signal written" 1 "$([[ -f "${rdata}/recovery.signal" ]] && echo 1 || echo 0)"
  rport="$(free_port)"
  # The base backup carries postgresql.conf with its includes; only the port changes.
  sed -i "s/^port = .*/port = ${rport}/; s|^unix_socket_directories = .*|unix_socket_directories = '${rdata}'|" "${rdata}/local.conf"
  # A second prepare on a non-empty directory is refused.
  if "${ops}/pitr-prepare.sh" "${base}" "${rdata}" 2>/dev/null; then check "non-empty data dir refused" refused accepted; else check "non-empty data dir refused" 1 1; fi
  clusters+=("${rdata}")
  start "${rdata}"
  rurl="postgresql://ascension:${pw}@127.0.0.1:${rport}/ascension"
  for _ in $(seq 1 150); do
    [[ "$(psql -X -At -d "${rurl}" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" == f ]] && break
    sleep 0.2
  done
  check "recovered cluster promoted" f "$(psql -X -At -d "${rurl}" -c 'SELECT pg_is_in_recovery()')"
  check "rows as of the chosen moment" "${expected}" "$(psql -X -At -d "${rurl}" -c 'SELECT count(*) FROM climbers')"
  check "nothing written after the moment" 0 "$(psql -X -At -d "${rurl}" -c "SELECT count(*) FROM climbers WHERE name LIKE 'too-late-%'")"
  check "the later delete not replayed" 10 "$(psql -X -At -d "${rurl}" -c 'SELECT count(*) FROM climbers WHERE id <= 10')"
  check "recovery used the archive (restore_command)" 1 "$(grep -c 'restored log file' "${rdata}/server.log" | awk '{print ($1 > 0)}')"
else
  echo "usage: $0 dump|pitr" >&2
  exit 2
fi
echo "${fails} failure(s)"
exit $((fails > 0))
