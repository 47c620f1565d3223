#!/usr/bin/env bash
# Prepares an empty PostgreSQL data directory for point-in-time recovery: extracts a base backup
# made by scripts/ops/basebackup.sh, and configures recovery up to a moment (or to the end of the
# WAL archive) with promotion at the end. Start the server on the directory afterwards; it
# replays the archive, stops at the target and promotes (poll: SELECT pg_is_in_recovery() -> f).
#
# Usage: scripts/ops/pitr-prepare.sh BASE_TAR_GZ DATA_DIR [--target-time 'YYYY-MM-DD HH:MM:SS+00']
#          [--archive DIR] [--owner USER]
#   --target-time  stop before the first commit after this moment (default: replay everything)
#   --archive DIR  the WAL archive as the server will see it; sets restore_command (default: the
#                  restore_command of the server's postgresql.conf, as in deploy/postgres)
#   --owner USER   owner of the data directory (default postgres; a numeric uid such as 999, the
#                  postgres user of the official image, when preparing a Docker volume)
# Production: docs/operations.md#point-in-time-recovery.
set -euo pipefail
# shellcheck source=scripts/ops/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

base="" data="" target="" archive="" owner="postgres"
while (($#)); do
  case "$1" in
    --target-time) target="$2"; shift 2 ;;
    --archive) archive="$2"; shift 2 ;;
    --owner) owner="$2"; shift 2 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) ops_die "unknown option $1 (see --help)" ;;
    *) if [[ -z "${base}" ]]; then base="$1"; elif [[ -z "${data}" ]]; then data="$1"; else ops_die "too many arguments"; fi; shift ;;
  esac
done
[[ -n "${base}" && -n "${data}" ]] || ops_die "usage: pitr-prepare.sh BASE_TAR_GZ DATA_DIR [--target-time T] [--archive DIR] [--owner USER]"
[[ -r "${base}" ]] || ops_die "no readable base backup at ${base}"
if [[ -e "${data}" ]] && [[ -n "$(ls -A "${data}" 2>/dev/null)" ]]; then
  ops_die "${data} is not empty: move the damaged cluster aside first"
fi
[[ "${target}" != *"'"* && "${archive}" != *"'"* ]] || ops_die "quotes are not allowed in --target-time or --archive"
if [[ "${owner}" =~ ^[0-9]+$ ]]; then owner_spec="${owner}:${owner}"
else id "${owner}" >/dev/null 2>&1 || ops_die "no user ${owner}"; owner_spec="${owner}:"; fi

mkdir -p "${data}"
tar -xzf "${base}" -C "${data}" || ops_die "cannot extract ${base}"
[[ -f "${data}/backup_label" ]] || ops_die "${base} is not a base backup (no backup_label)"
{
  echo "# Written by scripts/ops/pitr-prepare.sh on $(date -u +%FT%TZ) from $(basename "${base}"); remove after promotion."
  if [[ -n "${archive}" ]]; then echo "restore_command = 'gunzip -c ${archive}/%f.gz > %p'"; fi
  if [[ -n "${target}" ]]; then
    echo "recovery_target_time = '${target}'"
    echo "recovery_target_inclusive = off"
  fi
  echo "recovery_target_action = 'promote'"
} >>"${data}/postgresql.auto.conf"
touch "${data}/recovery.signal"
chown -R "${owner_spec}" "${data}"
chmod 700 "${data}"
ops_log "pitr: ${data} ready (base $(basename "${base}"), target ${target:-end of archive}); start the server on it"
