#!/usr/bin/env bash
# Dumps the Ascension database (pg_dump custom format, compressed) into the backups folder, checks
# the dump reads back, deletes dumps older than the retention, and prints the new file's path.
#
# Usage: scripts/ops/backup.sh [--dir DIR] [--retention-days N]
# Environment (loaded from ASCENSION_ENV_FILE when set: the local stack's env file, or production's
# deploy/.env):
#   DATABASE_URL            the database to dump (BACKUP_DATABASE_URL overrides it)
#   BACKUP_DIR              where dumps go (default $ASCENSION_HOME/backups, else ./backups)
#   BACKUP_RETENTION_DAYS   dumps older than this many days are deleted (default 7)
#   BACKUP_METRICS_DIR      when set, ascension_backup.prom is written there for node-exporter's
#                           textfile collector (alert BackupTooOld)
#   PG_DUMP, PG_RESTORE     commands to use (default pg_dump / pg_restore; production runs the
#                           server's own: "docker compose -f ... exec -T postgres pg_dump")
# Production cron (docs/operations.md#backups):
#   0 3 * * * ASCENSION_ENV_FILE=/opt/ascension/.env /opt/ascension/scripts/ops/backup.sh >>/var/log/ascension-backup.log 2>&1
set -euo pipefail
# shellcheck source=scripts/ops/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ops_load_env
dir="$(ops_backup_dir)"
retention="${BACKUP_RETENTION_DAYS:-7}"
while (($#)); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --retention-days) retention="$2"; shift 2 ;;
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ops_die "unknown argument $1 (see --help)" ;;
  esac
done
[[ "${retention}" =~ ^[0-9]+$ ]] && ((retention >= 1)) || ops_die "retention must be a whole number of days >= 1, got '${retention}'"
url="${BACKUP_DATABASE_URL:-${DATABASE_URL:-}}"
[[ -n "${url}" ]] || ops_die "DATABASE_URL is not set (set it, or ASCENSION_ENV_FILE)"
ops_split_url "${url}"

mkdir -p "${dir}"
chmod 700 "${dir}" 2>/dev/null || true
umask 077
started="$(date +%s)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="${dir}/ascension_${stamp}.dump"
n=1
while [[ -e "${file}" ]]; do n=$((n + 1)); file="${dir}/ascension_${stamp}-${n}.dump"; done
partial="${dir}/.$(basename "${file}").partial"
trap 'rm -f "${partial}"' EXIT

ops_cmd PG_DUMP pg_dump
dump_cmd=("${OPS_CMD[@]}")
ops_cmd PG_RESTORE pg_restore
restore_cmd=("${OPS_CMD[@]}")

ops_log "backup: dumping ${OPS_URL%%\?*} to ${file}"
# The dump is written through stdout, so that PG_DUMP may run inside a container.
"${dump_cmd[@]}" --format=custom --compress=6 --dbname="${OPS_URL}" >"${partial}" ||
  ops_die "pg_dump failed"
[[ -s "${partial}" ]] || ops_die "pg_dump wrote nothing"
# A dump that pg_restore cannot list is no backup.
entries="$("${restore_cmd[@]}" --list <"${partial}" | grep -cv '^;' || true)"
((entries > 0)) || ops_die "the dump does not read back (pg_restore --list found no entries)"
mv "${partial}" "${file}"
trap - EXIT
size="$(stat -c %s "${file}")"

# Retention: dumps (ours only) older than N days; never the one just written.
deleted=0
while IFS= read -r -d '' old; do
  [[ "${old}" == "${file}" ]] && continue
  rm -f -- "${old}" && deleted=$((deleted + 1))
done < <(find "${dir}" -maxdepth 1 -type f -name 'ascension_*.dump' -mmin "+$((retention * 24 * 60))" -print0)

finished="$(date +%s)"
if [[ -n "${BACKUP_METRICS_DIR:-}" ]]; then
  mkdir -p "${BACKUP_METRICS_DIR}"
  prom="${BACKUP_METRICS_DIR}/ascension_backup.prom"
  {
    echo "# HELP ascension_backup_last_success_timestamp_seconds Time of the last successful database dump."
    echo "# TYPE ascension_backup_last_success_timestamp_seconds gauge"
    echo "ascension_backup_last_success_timestamp_seconds ${finished}"
    echo "# HELP ascension_backup_last_size_bytes Size of the last database dump."
    echo "# TYPE ascension_backup_last_size_bytes gauge"
    echo "ascension_backup_last_size_bytes ${size}"
    echo "# HELP ascension_backup_last_duration_seconds Duration of the last database dump."
    echo "# TYPE ascension_backup_last_duration_seconds gauge"
    echo "ascension_backup_last_duration_seconds $((finished - started))"
  } >"${prom}.tmp"
  chmod 644 "${prom}.tmp"
  mv "${prom}.tmp" "${prom}"
fi
ops_log "backup: ${file} (${size} bytes, ${entries} entries) in $((finished - started))s; ${deleted} dump(s) older than ${retention} day(s) deleted"
printf '%s\n' "${file}"
