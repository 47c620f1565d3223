# shellcheck shell=bash
# Shared by scripts/ops/{backup,restore,basebackup}.sh: environment loading, connection URLs
# without their password on the command line, logging to stderr. Sourced, never executed.

ops_log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
ops_die() { ops_log "error: $*"; exit 1; }

# The settings of these scripts that a caller may set for one run on top of the env file
# (e.g. RESTORE_DATABASE_URL=... restore.sh FILE with the production .env): the environment wins.
OPS_OVERRIDABLE=(BACKUP_DIR BACKUP_RETENTION_DAYS BACKUP_METRICS_DIR BACKUP_DATABASE_URL
  RESTORE_DATABASE_URL BASEBACKUP_DATABASE_URL BASEBACKUP_KEEP WAL_ARCHIVE_DIR
  PG_DUMP PG_RESTORE PG_BASEBACKUP PG_ARCHIVECLEANUP PSQL)

# Loads ASCENSION_ENV_FILE (the local stack's $ASCENSION_HOME/env, or production's .env) when set.
# The file's values win over the environment, except for OPS_OVERRIDABLE set by the caller.
ops_load_env() {
  if [[ -n "${ASCENSION_ENV_FILE:-}" ]]; then
    [[ -r "${ASCENSION_ENV_FILE}" ]] || ops_die "ASCENSION_ENV_FILE=${ASCENSION_ENV_FILE} is not readable"
    local name saved=()
    for name in "${OPS_OVERRIDABLE[@]}"; do
      [[ -n "${!name+x}" ]] && saved+=("${name}=${!name}")
    done
    set -a
    # shellcheck disable=SC1090
    source "${ASCENSION_ENV_FILE}"
    set +a
    local kv
    for kv in "${saved[@]}"; do export "${kv%%=*}=${kv#*=}"; done
  fi
}

# _urldecode STRING
_urldecode() { local s="${1//+/ }"; printf '%b' "${s//%/\\x}"; }

# ops_split_url URL: sets OPS_URL (URL without the password) and exports PGPASSWORD when the URL
# carried one, so that no password appears in a process list.
ops_split_url() {
  local url="$1" re='^(postgres(ql)?://)([^:@/]*)(:([^@/]*))?@(.*)$'
  if [[ "${url}" =~ ${re} ]]; then
    OPS_URL="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[6]}"
    if [[ -n "${BASH_REMATCH[4]}" ]]; then
      PGPASSWORD="$(_urldecode "${BASH_REMATCH[5]}")"
      export PGPASSWORD
    fi
  else
    # shellcheck disable=SC2034 # read by the scripts that source this file
    OPS_URL="${url}"
  fi
}

# ops_cmd VAR DEFAULT: the command in $VAR (a string, e.g. "docker compose exec -T postgres
# pg_dump") split into the array OPS_CMD, or DEFAULT.
ops_cmd() {
  local spec="${!1:-$2}"
  read -r -a OPS_CMD <<<"${spec}"
  command -v "${OPS_CMD[0]}" >/dev/null 2>&1 || ops_die "${OPS_CMD[0]} not found (set $1)"
}

# ops_backup_dir: BACKUP_DIR, else $ASCENSION_HOME/backups, else ./backups.
ops_backup_dir() {
  if [[ -n "${BACKUP_DIR:-}" ]]; then printf '%s' "${BACKUP_DIR}"
  elif [[ -n "${ASCENSION_HOME:-}" ]]; then printf '%s' "${ASCENSION_HOME}/backups"
  else printf '%s' "${PWD}/backups"; fi
}
