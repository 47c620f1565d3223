#!/usr/bin/env bash
# Physical base backup of the PostgreSQL cluster (pg_basebackup, tar, gzip) for point-in-time
# recovery: a base backup plus the WAL archive after it can be replayed to any moment
# (docs/operations.md#point-in-time-recovery). Keeps the last N of them (default 2: one week when
# run weekly) and prints the new file's path.
#
# Usage: scripts/ops/basebackup.sh [--dir DIR] [--keep N]
# Environment (loaded from ASCENSION_ENV_FILE when set):
#   BASEBACKUP_DATABASE_URL  a role with REPLICATION (production: replicator); else DATABASE_URL
#   BACKUP_DIR               backups folder; base backups go to its base/ subfolder
#   PG_BASEBACKUP            command (default pg_basebackup; production:
#                            "docker compose -f ... exec -T postgres pg_basebackup")
#   WAL_ARCHIVE_DIR          when set, WAL segments older than the oldest base backup kept are
#                            deleted from this archive (pg_archivecleanup -x .gz); the path as
#                            PG_ARCHIVECLEANUP sees it (production: inside the postgres container)
#   PG_ARCHIVECLEANUP        command (default pg_archivecleanup)
set -euo pipefail
# shellcheck source=scripts/ops/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ops_load_env
dir="$(ops_backup_dir)/base"
keep="${BASEBACKUP_KEEP:-2}"
while (($#)); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ops_die "unknown argument $1 (see --help)" ;;
  esac
done
[[ "${keep}" =~ ^[0-9]+$ ]] && ((keep >= 1)) || ops_die "--keep must be >= 1"
url="${BASEBACKUP_DATABASE_URL:-${DATABASE_URL:-}}"
[[ -n "${url}" ]] || ops_die "DATABASE_URL is not set"
ops_split_url "${url}"
ops_cmd PG_BASEBACKUP pg_basebackup

mkdir -p "${dir}"
umask 077
file="${dir}/base_$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
partial="${dir}/.$(basename "${file}").partial"
trap 'rm -f "${partial}"' EXIT
ops_log "basebackup: ${OPS_URL%%\?*} -> ${file}"
# -D - : one tar on stdout (so that it may run inside a container); -X fetch puts the WAL needed
# for consistency into it; --checkpoint=fast starts at once.
"${OPS_CMD[@]}" --dbname="${OPS_URL}" -D - -F tar -X fetch --checkpoint=fast --label="ascension $(date -u +%FT%TZ)" |
  gzip -6 >"${partial}"
[[ "${PIPESTATUS[0]}" == 0 ]] || ops_die "pg_basebackup failed"
listing="$(tar -tzf "${partial}")" || ops_die "the archive does not read back"
grep -qE '^(\./)?backup_label$' <<<"${listing}" || ops_die "the archive has no backup_label"
mv "${partial}" "${file}"
trap - EXIT
# Keep the newest N.
mapfile -t all < <(find "${dir}" -maxdepth 1 -type f -name 'base_*.tar.gz' -printf '%f\n' | sort)
for ((i = 0; i < ${#all[@]} - keep; i++)); do rm -f -- "${dir}/${all[i]}"; done
# The archive before the oldest base backup kept can no longer be replayed from anything: prune.
if [[ -n "${WAL_ARCHIVE_DIR:-}" ]]; then
  oldest="$(find "${dir}" -maxdepth 1 -type f -name 'base_*.tar.gz' | sort | head -n 1)"
  label="$(tar -xzOf "${oldest}" backup_label 2>/dev/null || tar -xzOf "${oldest}" ./backup_label)"
  start_wal="$(sed -n 's/^START WAL LOCATION: .*(file \([0-9A-F]\{24\}\)).*/\1/p' <<<"${label}")"
  [[ -n "${start_wal}" ]] || ops_die "no START WAL LOCATION in ${oldest}'s backup_label"
  ops_cmd PG_ARCHIVECLEANUP pg_archivecleanup
  "${OPS_CMD[@]}" -x .gz "${WAL_ARCHIVE_DIR}" "${start_wal}" || ops_die "pg_archivecleanup failed"
  ops_log "basebackup: WAL archive pruned before ${start_wal} (oldest base backup kept: $(basename "${oldest}"))"
fi
ops_log "basebackup: done ($(stat -c %s "${file}") bytes)"
printf '%s\n' "${file}"
