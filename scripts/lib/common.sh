# shellcheck shell=bash
# Shared helpers for ./ascension and the service scripts: configuration (data dir, ports, secrets),
# process bookkeeping by pid file, and readiness waits. Sourced, never executed.
#
# Configuration precedence for `up`: an explicit environment variable, then ASCENSION_PORT_OFFSET
# applied to the default, then the value recorded in $ASCENSION_HOME/env by an earlier `up`, then
# the default. Every other command acts on the stack as recorded in its env file.

ASC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ASC_SCRIPTS="${ASC_ROOT}/scripts"

# ---------------------------------------------------------------------------------------------
# Output

if [[ -t 1 ]]; then _c_b=$'\e[1m' _c_r=$'\e[31m' _c_y=$'\e[33m' _c_g=$'\e[32m' _c_0=$'\e[0m'
else _c_b='' _c_r='' _c_y='' _c_g='' _c_0=''; fi

info() { printf '%s==>%s %s\n' "${_c_b}" "${_c_0}" "$*"; }
ok() { printf '%s ok%s %s\n' "${_c_g}" "${_c_0}" "$*"; }
warn() { printf '%swarning:%s %s\n' "${_c_y}" "${_c_0}" "$*" >&2; }
die() { printf '%serror:%s %s\n' "${_c_r}" "${_c_0}" "$*" >&2; exit 1; }

# Seconds since the epoch with milliseconds, and elapsed time since a mark, for timing reports.
now_ms() { date +%s%3N; }
since() { local d=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((d / 1000)) $(( (d % 1000) / 100 )); }

# ---------------------------------------------------------------------------------------------
# Data directory and configuration

asc_init_paths() {
  ASCENSION_HOME="${ASCENSION_HOME:-${ASC_ROOT}/.ascension}"
  mkdir -p "${ASCENSION_HOME}"
  ASCENSION_HOME="$(cd "${ASCENSION_HOME}" && pwd)"
  export ASCENSION_HOME
  ASC_ENV_FILE="${ASCENSION_HOME}/env"
  ASC_SECRETS="${ASCENSION_HOME}/secrets"
  ASC_RUN="${ASCENSION_HOME}/run"
  ASC_LOGS="${ASCENSION_HOME}/logs"
  mkdir -p "${ASC_RUN}" "${ASC_LOGS}"
}

# recorded NAME: the value of NAME in the stack's env file (empty when absent).
recorded() {
  [[ -f "${ASC_ENV_FILE}" ]] || return 0
  local line
  line="$(grep -E "^export $1=" "${ASC_ENV_FILE}" | tail -n 1)" || return 0
  line="${line#export "$1"=}"
  line="${line#\'}"
  printf '%s' "${line%\'}"
}

# The port table: NAME DEFAULT. Two stacks whose ASCENSION_PORT_OFFSETs are different multiples
# of 1000 (0 to 5000) share no port.
ASC_PORTS=(
  "ASCENSION_PG_PORT 54320"
  "ASCENSION_AMQP_PORT 56720"
  "ASCENSION_AMQP_DIST_PORT 56721"
  "ASCENSION_EPMD_PORT 56722"
  "ASCENSION_AMQP_METRICS_PORT 56723"
  "ASCENSION_AMQP_CLI_PORT_MIN 56724"
  "ASCENSION_AMQP_CLI_PORT_MAX 56731"
  "ASCENSION_CEPH_MON_PORT 56740"
  "ASCENSION_CEPH_OSD_PORT_MIN 56750"
  "ASCENSION_CEPH_OSD_PORT_MAX 56769"
  "ASCENSION_S3_PORT 7480"
  "API_PORT 8080"
  "WORKER_METRICS_PORT 9101"
)

# asc_reserve_ports ENTRY...: takes the stack's listening ports (ASC_PORTS-style entries, after
# asc_resolve_ports; *_MIN/*_MAX pairs as ranges) out of the kernel's ephemeral range, so that an
# outgoing connection of any process on the machine cannot be given one of them between the
# free-port check and the service's bind (seen as "postgres could not bind 127.0.0.1:59320").
# Adds to what is reserved already; needs root (skipped otherwise: the check still runs).
asc_reserve_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports entry name min ports=() current
  [[ -w "${f}" ]] || return 0
  for entry in "$@"; do
    name="${entry% *}"
    case "${name}" in
      *_PORT_MIN) min="${!name}" ;;
      *_PORT_MAX) ports+=("${min}-${!name}") ;;
      *) [[ "${!name:-}" =~ ^[0-9]+$ ]] && ports+=("${!name}") ;;
    esac
  done
  ((${#ports[@]})) || return 0
  current="$(<"${f}")"
  local IFS=,
  printf '%s\n' "${current:+${current},}${ports[*]}" >"${f}" 2>/dev/null ||
    warn "could not reserve the stack's ports in ${f}"
}

# The caller's own settings, captured before any load exports recorded values (a second load in
# one run, as in `up --fresh`, must not mistake them for the caller's).
asc_snapshot_env() {
  local entry name
  for entry in "${ASC_PORTS[@]}" "LOG_LEVEL -" "ASCENSION_MODELS_DIR -" "WORKER_CONCURRENCY -"; do
    name="${entry% *}"
    printf -v "_ASC_ORIG_${name}" '%s' "${!name:-}"
  done
}

# asc_resolve_ports MODE ENTRY...: exports each port ENTRY ("NAME DEFAULT"; DEFAULT "+1" means
# API_PORT + 1) by one precedence: in MODE "existing" the stack's recorded value; else the
# caller's own setting, then DEFAULT + ASCENSION_PORT_OFFSET, then the recorded value, then DEFAULT.
asc_resolve_ports() {
  local mode="$1" entry name def rec orig val offset="${ASCENSION_PORT_OFFSET:-}"
  shift
  for entry in "$@"; do
    name="${entry% *}" def="${entry#* }"
    rec="$(recorded "${name}")"
    orig="_ASC_ORIG_${name}"
    if [[ "${mode}" == existing && -n "${rec}" ]]; then val="${rec}"
    elif [[ -n "${!orig:-}" ]]; then val="${!orig}"
    elif [[ "${def}" == +1 ]]; then val=$((API_PORT + 1))
    elif [[ -n "${offset}" ]]; then val=$((def + offset))
    elif [[ -n "${rec}" ]]; then val="${rec}"
    else val="${def}"; fi
    [[ "${val}" =~ ^[0-9]+$ ]] && ((val > 0 && val < 65536)) || die "${name} must be a TCP port, got '${val}'"
    printf -v "${name}" '%s' "${val}"
    export "${name?}"
  done
}

# asc_load_config MODE: sets every port and setting. MODE "up" lets the environment override the
# recorded values; MODE "existing" uses the recorded values when the stack has an env file.
asc_load_config() {
  local mode="$1"
  local offset="${ASCENSION_PORT_OFFSET:-}"
  if [[ -n "${offset}" && ! "${offset}" =~ ^[0-9]+$ ]]; then
    die "ASCENSION_PORT_OFFSET must be a number, got '${offset}'"
  fi
  asc_resolve_ports "${mode}" "${ASC_PORTS[@]}"
  ((ASCENSION_AMQP_CLI_PORT_MIN <= ASCENSION_AMQP_CLI_PORT_MAX)) ||
    die "ASCENSION_AMQP_CLI_PORT_MIN must not exceed ASCENSION_AMQP_CLI_PORT_MAX"
  ((ASCENSION_CEPH_OSD_PORT_MIN + 7 <= ASCENSION_CEPH_OSD_PORT_MAX)) ||
    die "the OSD port range ASCENSION_CEPH_OSD_PORT_MIN..MAX needs at least 8 ports"
  ASC_LOG_LEVEL="$(_setting LOG_LEVEL info "${mode}")"
  ASC_MODELS_DIR="$(_setting ASCENSION_MODELS_DIR "${ASC_ROOT}/models" "${mode}")"
  ASC_WORKER_CONCURRENCY="$(_setting WORKER_CONCURRENCY 1 "${mode}")"
  ASC_BUILD_DIR="${ASCENSION_BUILD_DIR:-${ASC_ROOT}/build}"
  [[ "${ASC_BUILD_DIR}" == /* ]] || ASC_BUILD_DIR="${ASC_ROOT}/${ASC_BUILD_DIR#./}"
}

_setting() {
  local name="$1" def="$2" mode="$3" rec orig="_ASC_ORIG_$1"
  rec="$(recorded "${name}")"
  if [[ "${mode}" == existing && -n "${rec}" ]]; then printf '%s' "${rec}"
  elif [[ -n "${!orig:-}" ]]; then printf '%s' "${!orig}"
  elif [[ -n "${rec}" ]]; then printf '%s' "${rec}"
  else printf '%s' "${def}"; fi
}

# Secrets are generated once per data dir and kept in $ASCENSION_HOME/secrets (mode 600).
asc_load_secrets() {
  if [[ ! -f "${ASC_SECRETS}" ]]; then
    (
      umask 077
      {
        echo "PG_PASSWORD=$(openssl rand -hex 16)"
        echo "AMQP_PASSWORD=$(openssl rand -hex 16)"
        echo "S3_ACCESS_KEY=ascension$(openssl rand -hex 6)"
        echo "S3_SECRET_KEY=$(openssl rand -hex 20)"
        echo "JWT_SECRET=$(openssl rand -hex 48)"
      } >"${ASC_SECRETS}.tmp"
      mv "${ASC_SECRETS}.tmp" "${ASC_SECRETS}"
    )
  fi
  # Added later than the others: a data dir from before gets it on its next up.
  if ! grep -q '^S3_PRESIGN_ACCESS_KEY=' "${ASC_SECRETS}"; then
    (
      umask 077
      echo "S3_PRESIGN_ACCESS_KEY=presign$(openssl rand -hex 6)"
      echo "S3_PRESIGN_SECRET_KEY=$(openssl rand -hex 20)"
    ) >>"${ASC_SECRETS}"
  fi
  # The API's and the worker's own credentials (RGW users ascension-api, ascension-worker).
  if ! grep -q '^S3_API_ACCESS_KEY=' "${ASC_SECRETS}"; then
    (
      umask 077
      echo "S3_API_ACCESS_KEY=api$(openssl rand -hex 6)"
      echo "S3_API_SECRET_KEY=$(openssl rand -hex 20)"
      echo "S3_WORKER_ACCESS_KEY=worker$(openssl rand -hex 6)"
      echo "S3_WORKER_SECRET_KEY=$(openssl rand -hex 20)"
    ) >>"${ASC_SECRETS}"
  fi
  # shellcheck disable=SC1090
  source "${ASC_SECRETS}"
}

# _envline NAME VALUE: one `export NAME=value` line; single-quoted when the value needs it.
_envline() {
  if [[ "$2" =~ ^[A-Za-z0-9_./:@%+,=-]*$ ]]; then printf 'export %s=%s\n' "$1" "$2"
  else
    [[ "$2" != *"'"* ]] || die "value of $1 must not contain a single quote"
    printf "export %s='%s'\n" "$1" "$2"
  fi
}

# Writes $ASCENSION_HOME/env: everything our binaries and tests need to reach this stack.
asc_write_env() {
  local entry name tmp="${ASC_ENV_FILE}.tmp"
  {
    echo "# Written by ./ascension up for the stack in ${ASCENSION_HOME}; regenerated on every up."
    echo "# Load with: source ${ASC_ENV_FILE}"
    _envline ASCENSION_HOME "${ASCENSION_HOME}"
    _envline DATABASE_URL "postgresql://ascension:${PG_PASSWORD}@127.0.0.1:${ASCENSION_PG_PORT}/ascension"
    _envline RABBITMQ_URL "amqp://ascension:${AMQP_PASSWORD}@127.0.0.1:${ASCENSION_AMQP_PORT}/%2F"
    _envline MINIO_ENDPOINT "http://127.0.0.1:${ASCENSION_S3_PORT}"
    _envline MINIO_BUCKET ascension
    _envline S3_REGION us-east-1
    _envline MINIO_ROOT_USER "${S3_ACCESS_KEY}"
    _envline MINIO_ROOT_PASSWORD "${S3_SECRET_KEY}"
    # MINIO_ROOT_* is the bucket owner, for ascension-admin. Presigned URLs are signed with their
    # own credential (RGW user ascension-presign), the API and the worker use theirs
    # (ascension-api, ascension-worker): each confined by the bucket policy storage-init writes.
    _envline S3_PRESIGN_ACCESS_KEY "${S3_PRESIGN_ACCESS_KEY}"
    _envline S3_PRESIGN_SECRET_KEY "${S3_PRESIGN_SECRET_KEY}"
    _envline S3_API_ACCESS_KEY "${S3_API_ACCESS_KEY}"
    _envline S3_API_SECRET_KEY "${S3_API_SECRET_KEY}"
    _envline S3_WORKER_ACCESS_KEY "${S3_WORKER_ACCESS_KEY}"
    _envline S3_WORKER_SECRET_KEY "${S3_WORKER_SECRET_KEY}"
    _envline S3_BUCKET_POLICY_OWNER "arn:aws:iam:::user/ascension"
    _envline S3_BUCKET_POLICY_PRESIGN "arn:aws:iam:::user/ascension-presign"
    _envline S3_BUCKET_POLICY_API "arn:aws:iam:::user/ascension-api"
    _envline S3_BUCKET_POLICY_WORKER "arn:aws:iam:::user/ascension-worker"
    _envline S3_PUBLIC_ENDPOINT "${ASC_S3_PUBLIC_ENDPOINT:-http://127.0.0.1:${ASCENSION_S3_PORT}}"
    _envline JWT_SECRET "${JWT_SECRET}"
    _envline API_BIND 127.0.0.1
    # The local nginx of the production profile proxies from loopback: believe its X-Forwarded-For.
    _envline TRUSTED_PROXIES "${TRUSTED_PROXIES:-127.0.0.1}"
    _envline WORKER_CONCURRENCY "${ASC_WORKER_CONCURRENCY}"
    _envline ASCENSION_MODELS_DIR "${ASC_MODELS_DIR}"
    _envline LOG_LEVEL "${ASC_LOG_LEVEL}"
    for entry in "${ASC_PORTS[@]}"; do
      name="${entry% *}"
      _envline "${name}" "${!name}"
    done
  } >"${tmp}"
  chmod 600 "${tmp}"
  mv "${tmp}" "${ASC_ENV_FILE}"
}

# ---------------------------------------------------------------------------------------------
# Processes. A pid file per process in $ASC_RUN. A process counts as alive when /proc/PID/stat
# exists and is not a zombie (a stopped daemon can linger unreaped for a second or two), and it
# counts as ours only when its command line still contains the expected word (pids get reused).

pid_alive() {
  local pid="$1" stat
  [[ -n "${pid}" && -r "/proc/${pid}/stat" ]] || return 1
  stat="$(cat "/proc/${pid}/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z && "${stat:0:1}" != X ]]
}

pidfile_of() { printf '%s/%s.pid' "${ASC_RUN}" "$1"; }

# pid_of NAME: the pid recorded for NAME (empty when none).
pid_of() {
  local f
  f="$(pidfile_of "$1")"
  [[ -f "${f}" ]] && head -n 1 "${f}" | tr -dc '0-9'
  return 0
}

# proc_matches PID WORD: the process's command line contains WORD.
proc_matches() {
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "${cmd}" == *"$2"* ]]
}

# running NAME WORD: NAME's recorded process is alive and still ours. Prints its pid.
running() {
  local pid
  pid="$(pid_of "$1")"
  pid_alive "${pid}" && proc_matches "${pid}" "$2" && printf '%s' "${pid}"
}

# spawn NAME LOG CMD...: start CMD detached in its own session, stdio to LOG, pid to NAME's pid file.
# stdio must not be inherited: CTest waits for a test's pipes to close.
spawn() {
  local name="$1" log="$2"
  shift 2
  setsid "$@" </dev/null >>"${log}" 2>&1 &
  echo "$!" >"$(pidfile_of "${name}")"
}

# wait_exit PID TIMEOUT: wait until PID is gone (or a zombie). Returns 1 on timeout.
wait_exit() {
  local pid="$1" deadline=$(( $(now_ms) + $2 * 1000 ))
  while pid_alive "${pid}"; do
    (( $(now_ms) < deadline )) || return 1
    sleep 0.1
  done
}

# stop_pid LABEL PID [TIMEOUT] [SIGNAL]: signal, wait, escalate to SIGKILL after TIMEOUT seconds.
stop_pid() {
  local label="$1" pid="$2" timeout="${3:-30}" sig="${4:-TERM}"
  pid_alive "${pid}" || return 0
  kill "-${sig}" "${pid}" 2>/dev/null || true
  if ! wait_exit "${pid}" "${timeout}"; then
    warn "${label} (pid ${pid}) did not exit within ${timeout}s; sending SIGKILL"
    kill -KILL "${pid}" 2>/dev/null || true
    wait_exit "${pid}" 10 || die "${label} (pid ${pid}) survived SIGKILL"
  fi
}

# stop_named NAME WORD LABEL [TIMEOUT]: stop NAME's recorded process if it is ours; drop the pid file.
stop_named() {
  local name="$1" word="$2" label="$3" timeout="${4:-30}" pid
  pid="$(pid_of "${name}")"
  if [[ -n "${pid}" ]] && pid_alive "${pid}" && proc_matches "${pid}" "${word}"; then
    stop_pid "${label}" "${pid}" "${timeout}"
  fi
  rm -f "$(pidfile_of "${name}")"
}

# wait_for LABEL TIMEOUT LOG PID CMD...: poll CMD until it succeeds. Fails naming LABEL when the
# timeout passes or when PID (if not empty) dies first, pointing at LOG.
wait_for() {
  local label="$1" timeout="$2" log="$3" pid="$4"
  shift 4
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  until "$@" >/dev/null 2>&1; do
    if [[ -n "${pid}" ]] && ! pid_alive "${pid}"; then
      _show_log_tail "${log}"
      die "${label} exited during start-up; see ${log}"
    fi
    if (( $(now_ms) >= deadline )); then
      _show_log_tail "${log}"
      die "${label} did not come up within ${timeout}s; see ${log}"
    fi
    sleep 0.25
  done
}

_show_log_tail() {
  [[ -f "$1" ]] || return 0
  echo "---- last lines of $1 ----" >&2
  tail -n 15 "$1" >&2
  echo "----" >&2
}

# parallel FUNC...: run each function in a background subshell, then print their output in the
# order given. Fails (after all have finished) when any of them failed.
parallel() {
  local dir f i=0 rc=0 pids=() funcs=("$@")
  dir="$(mktemp -d)"
  for f in "$@"; do
    ( "${f}" ) >"${dir}/${i}.out" 2>&1 &
    pids+=("$!")
    i=$((i + 1))
  done
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then cat "${dir}/${i}.out"; else
      rc=$?
      cat "${dir}/${i}.out" >&2
      grep -q '^error:' "${dir}/${i}.out" || printf 'error: %s failed (exit %d)\n' "${funcs[$i]}" "${rc}" >&2
      rc=1
    fi
  done
  rm -rf "${dir}"
  return "${rc}"
}

# port_free PORT: nothing listens on 127.0.0.1:PORT (or any address).
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_port_free() {
  port_free "$1" || die "port $1 ($2) is already in use by another process; set $2 or ASCENSION_PORT_OFFSET"
}

http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-2}" "$1" 2>/dev/null || true
}
