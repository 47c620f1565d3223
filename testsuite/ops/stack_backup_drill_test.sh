#!/usr/bin/env bash
# Backup -> drop -> restore drill against the integration-test stack (its PostgreSQL, its env file),
# through scripts/ops/backup.sh and restore.sh exactly as `./ascension backup|restore` and cron
# run them (ASCENSION_ENV_FILE). A table of rows is created, the database dumped, the table dropped,
# the dump restored: the table is back with the same rows, and every application table has the
# row count it had at dump time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${ASCENSION_ENV_FILE:?run through ctest (the stack fixture sets ASCENSION_ENV_FILE)}"
set -a
# shellcheck disable=SC1090
source "${ASCENSION_ENV_FILE}"
set +a
fails=0
check() { if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi; }
q() { psql -X -q -At -d "${DATABASE_URL}" -v ON_ERROR_STOP=1 -c "$1"; }

table="ops_drill_$(date +%s)_$$"
work="$(mktemp -d)"
trap 'q "DROP TABLE IF EXISTS ${table}" >/dev/null 2>&1 || true; rm -rf "${work}"' EXIT

q "CREATE TABLE ${table} (id serial PRIMARY KEY, grade text NOT NULL, sent boolean NOT NULL)"
q "INSERT INTO ${table} (grade, sent) SELECT '7' || chr(97 + g % 3), g % 2 = 0 FROM generate_series(1, 1234) g"
counts() {
  q "SELECT string_agg(format('%s=%s', c.relname, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text), ',' ORDER BY c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname = 'public'"
}
before="$(counts)"
drill_before="$(q "SELECT count(*) || '/' || md5(string_agg(id || grade || sent, ',' ORDER BY id)) FROM ${table}")"

file="$(BACKUP_DIR="${work}/backups" "${root}/scripts/ops/backup.sh")"
check "dump written into BACKUP_DIR" "${work}/backups" "$(dirname "${file}")"
q "DROP TABLE ${table}"
check "table dropped" 0 "$(q "SELECT count(*) FROM pg_tables WHERE tablename = '${table}'")"
"${root}/scripts/ops/restore.sh" --yes "${file}" </dev/null
check "drill table restored with identical rows" "${drill_before}" \
  "$(q "SELECT count(*) || '/' || md5(string_agg(id || grade || sent, ',' ORDER BY id)) FROM ${table}")"
check "every public table has its row count of dump time" "${before}" "$(counts)"
echo "${fails} failure(s)"
exit $((fails > 0))
