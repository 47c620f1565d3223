#!/usr/bin/env bash
# Restores a dump made by scripts/ops/backup.sh into the database of DATABASE_URL: every object in
# the dump is dropped (if it exists) and re-created with its rows, in one transaction: either the
# whole dump is restored or nothing changes. Objects that are not in the dump are left alone.
#
# Usage: scripts/ops/restore.sh [--yes] [--terminate-connections] FILE
#   --yes                    do not ask for confirmation (asked only when stdin is a terminal)
#   --terminate-connections  end the other sessions on the database first (the API and workers
#                            hold locks that would block the restore; better: stop them first)
# Environment (loaded from ASCENSION_ENV_FILE when set): DATABASE_URL (RESTORE_DATABASE_URL
# overrides it), PG_RESTORE and PSQL (default pg_restore / psql; production:
# "docker compose -f ... exec -T postgres pg_restore").
set -euo pipefail
# shellcheck source=scripts/ops/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ops_load_env
yes=0 terminate=0 file=""
while (($#)); do
  case "$1" in
    --yes | -y) yes=1; shift ;;
    --terminate-connections) terminate=1; shift ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) ops_die "unknown option $1 (see --help)" ;;
    *) [[ -z "${file}" ]] || ops_die "one FILE only"; file="$1"; shift ;;
  esac
done
[[ -n "${file}" ]] || ops_die "usage: restore.sh [--yes] [--terminate-connections] FILE"
[[ -f "${file}" && -r "${file}" ]] || ops_die "no readable dump at ${file}"
url="${RESTORE_DATABASE_URL:-${DATABASE_URL:-}}"
[[ -n "${url}" ]] || ops_die "DATABASE_URL is not set (set it, or ASCENSION_ENV_FILE)"
ops_split_url "${url}"

ops_cmd PG_RESTORE pg_restore
restore_cmd=("${OPS_CMD[@]}")
entries="$("${restore_cmd[@]}" --list <"${file}" | grep -cv '^;' || true)"
((entries > 0)) || ops_die "${file} is not a pg_dump custom-format archive (pg_restore --list failed)"

target="${OPS_URL%%\?*}"
if ((!yes)) && [[ -t 0 ]]; then
  read -r -p "Replace the objects of ${target} with the contents of $(basename "${file}")? [y/N] " answer
  [[ "${answer}" == [yY]* ]] || ops_die "cancelled"
fi

if ((terminate)); then
  ops_cmd PSQL psql
  "${OPS_CMD[@]}" --no-psqlrc -q -At --dbname="${OPS_URL}" -c \
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();" >/dev/null ||
    ops_die "could not end the other sessions"
  ops_log "restore: other sessions on the database ended"
fi

started="$(date +%s)"
ops_log "restore: ${file} (${entries} entries) into ${target}"
# Read from stdin, so that PG_RESTORE may run inside a container. --no-owner: the objects belong
# to the restoring role, whatever the role names of the server the dump came from.
"${restore_cmd[@]}" --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="${OPS_URL}" <"${file}" || ops_die "pg_restore failed; the database is unchanged"
ops_log "restore: done in $(($(date +%s) - started))s"
