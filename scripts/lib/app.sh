# shellcheck shell=bash
# Our own processes: migrations and bucket set-up through ascension-admin, then ascension-api and
# ascension-worker with the stack's env file, their JSON-lines output appended to logs/.
# Sourced by ./ascension.

# find_bin NAME PREFERRED: the built binary NAME, at PREFERRED or anywhere under the build dir.
find_bin() {
  local name="$1" preferred="$2" found
  if [[ -x "${preferred}" ]]; then printf '%s' "${preferred}"; return 0; fi
  found="$(find "${ASC_BUILD_DIR}" -path "${ASC_BUILD_DIR}/test-stack" -prune -o \
    -type f -name "${name}" -perm -u+x -print 2>/dev/null | head -n 1)"
  printf '%s' "${found:-${preferred}}"
}

admin_bin() { find_bin ascension-admin "${ASC_BUILD_DIR}/src/bin/ascension-admin"; }
analyze_bin() { find_bin ascension-analyze "${ASC_BUILD_DIR}/src/bin/ascension-analyze"; }
holds_bin() { find_bin ascension-holds "${ASC_BUILD_DIR}/src/bin/ascension-holds"; }
ghost_bin() { find_bin ascension-ghost "${ASC_BUILD_DIR}/src/bin/ascension-ghost"; }
api_bin() { find_bin ascension-api "${ASC_BUILD_DIR}/src/bin/ascension-api"; }
# ASCENSION_WORKER_BIN: another build's worker (the sanitizer stage runs the ASan API beside the
# main build's worker: the worker's logic is under ASan in the unit tests; at -O0 its analyses
# would take most of the stage).
worker_bin() {
  find_bin ascension-worker "${ASCENSION_WORKER_BIN:-${ASC_BUILD_DIR}/src/bin/ascension-worker}"
}

# Runs $2 with the env file $1 loaded; when the process has its own storage credential (the
# variable named by $3 is set), the bucket owner's key is taken out of its environment: only
# ascension-admin holds it (docs/operations.md#storage-credentials).
_ASC_CONFINED_EXEC='set -a; source "$1"; set +a
if [[ -n "${!3:-}" ]]; then unset MINIO_ROOT_USER MINIO_ROOT_PASSWORD; fi
exec "$2"'

# with_env CMD...: CMD with the stack's env file loaded on top of the current environment.
with_env() {
  (
    set -a
    # shellcheck disable=SC1090
    source "${ASC_ENV_FILE}"
    set +a
    exec "$@"
  )
}

worker_health() { [[ "$(http_code "http://127.0.0.1:${WORKER_METRICS_PORT}/metrics" 3)" == 200 ]]; }
api_health() { [[ "$(http_code "http://127.0.0.1:${API_PORT}/ready" 3)" == 200 ]]; }

app_start() {
  local admin api worker t0 pid
  admin="$(admin_bin)" api="$(api_bin)" worker="$(worker_bin)"
  t0="$(now_ms)"
  if [[ -x "${admin}" ]]; then
    with_env "${admin}" migrate >>"${ASC_LOGS}/admin.log" 2>&1 ||
      { _show_log_tail "${ASC_LOGS}/admin.log"; die "ascension-admin migrate failed; see ${ASC_LOGS}/admin.log"; }
    with_env "${admin}" storage-init >>"${ASC_LOGS}/admin.log" 2>&1 ||
      { _show_log_tail "${ASC_LOGS}/admin.log"; die "ascension-admin storage-init failed; see ${ASC_LOGS}/admin.log"; }
    ok "migrations applied, bucket ready in $(since "${t0}")"
  else
    warn "${admin} not built yet: migrations and bucket set-up skipped"
  fi
  if [[ ! -x "${api}" ]]; then
    warn "${api} not built yet: API and worker not started (services only)"
    return 0
  fi
  if pid="$(running api ascension-api)"; then
    ok "api already running (pid ${pid}, port ${API_PORT})"
  else
    require_port_free "${API_PORT}" API_PORT
    spawn api "${ASC_LOGS}/api.log" bash -c "${_ASC_CONFINED_EXEC}" _ "${ASC_ENV_FILE}" "${api}" S3_API_ACCESS_KEY
  fi
  if [[ -x "${worker}" ]]; then
    if pid="$(running worker ascension-worker)"; then
      ok "worker already running (pid ${pid})"
    else
      require_port_free "${WORKER_METRICS_PORT}" WORKER_METRICS_PORT
      [[ -n "${ASCENSION_WORKER_BIN:-}" ]] && info "worker: ${worker} (ASCENSION_WORKER_BIN)"
      spawn worker "${ASC_LOGS}/worker.log" bash -c "${_ASC_CONFINED_EXEC}" _ "${ASC_ENV_FILE}" "${worker}" S3_WORKER_ACCESS_KEY
    fi
  else
    warn "${worker} not built yet: worker not started"
  fi
  local timeout="${ASCENSION_READY_TIMEOUT:-90}" deadline body
  deadline=$(( $(now_ms) + timeout * 1000 ))
  pid="$(pid_of api)"
  until api_health; do
    pid_alive "${pid}" || { _show_log_tail "${ASC_LOGS}/api.log"; die "ascension-api exited during start-up; see ${ASC_LOGS}/api.log"; }
    if (( $(now_ms) >= deadline )); then
      body="$(curl -s --max-time 3 "http://127.0.0.1:${API_PORT}/ready" || true)"
      _show_log_tail "${ASC_LOGS}/api.log"
      die "the API did not become ready within ${timeout}s (GET /ready: ${body:-no answer}); see ${ASC_LOGS}/api.log"
    fi
    sleep 0.25
  done
  ok "api ready (pid ${pid}, http://127.0.0.1:${API_PORT}) in $(since "${t0}")"
  pid="$(pid_of worker)"
  if [[ -n "${pid}" ]]; then
    # The worker serves /metrics once it is configured and running.
    wait_for "ascension-worker (metrics on port ${WORKER_METRICS_PORT})" "${timeout}" "${ASC_LOGS}/worker.log" \
      "${pid}" worker_health
    ok "worker running (pid ${pid}, metrics http://127.0.0.1:${WORKER_METRICS_PORT}/metrics)"
  fi
}

app_stop() {
  local name pid
  for name in worker api; do
    if pid="$(running "${name}" "ascension-${name}")"; then
      # The worker lets a running job finish for SHUTDOWN_GRACE_SECONDS (30 by default).
      stop_pid "${name}" "${pid}" 45
      ok "${name} stopped (pid ${pid})"
    fi
    rm -f "$(pidfile_of "${name}")"
  done
}
