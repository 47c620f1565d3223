#!/usr/bin/env bash
# WebSocket capacity of one API instance (issue: live updates). Needs a running stack
# (./ascension up) and the build (ws_capacity). Starts a dedicated API instance with a high file
# limit and no rate limit on API_PORT+60, opens CONNECTIONS sockets, reads the instance's RSS
# before and after, and measures publish → receipt latency of EVENTS events.
#   bench/ws_bench.sh [CONNECTIONS=5000] [EVENTS=200]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ASCENSION_BUILD_DIR:-${root}/build}"
env_file="${ASCENSION_ENV_FILE:-${ASCENSION_HOME:-${root}/.ascension}/env}"
conns="${1:-5000}"
events="${2:-200}"
set -a; source "${env_file}"; set +a
port=$((API_PORT + 60))
ulimit -n "$(ulimit -Hn)"
RATE_LIMIT_PER_MINUTE=1000000 API_PORT="${port}" INSTANCE_ID=ws-bench LOG_LEVEL=warn \
  "${build}/src/bin/ascension-api" >/tmp/ws-bench-api.log 2>&1 &
api_pid=$!
trap 'kill ${api_pid} 2>/dev/null; wait ${api_pid} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${port}/health" >/dev/null && break; sleep 0.1; done
register() {
  curl -sf -XPOST "http://127.0.0.1:${port}/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1$RANDOM\",\"email\":\"$1$RANDOM$RANDOM@bench.example\",\"password\":\"benchmark1\"}"
}
crowd_token="$(register crowd | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"
probe="$(register probe)"
probe_token="$(echo "${probe}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"
probe_user="$(echo "${probe}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["user_id"])')"
rss() { awk '/VmRSS/ {print $2}' "/proc/${api_pid}/status"; }
before_kb="$(rss)"
coproc WS { "${build}/bench/ws_capacity" 127.0.0.1 "${port}" "${crowd_token}" "${probe_token}" "${probe_user}" \
  "${RABBITMQ_URL}" "${conns}" "${events}" 2>&1; }
result=""
while IFS= read -r line <&"${WS[0]}"; do
  if [[ "${line}" == READY ]]; then
    after_kb="$(rss)"
    echo go >&"${WS[1]}"
  elif [[ "${line}" == "{"* ]]; then
    result="${line}"
  else
    echo "${line}" >&2
  fi
done
echo "${result}" | python3 -c "
import sys, json
r = json.load(sys.stdin)
before, after = ${before_kb}, ${after_kb}
r['api_rss_mb_before'] = round(before / 1024, 1)
r['api_rss_mb_after'] = round(after / 1024, 1)
r['kb_per_connection'] = round((after - before) / max(1, r['connections']), 1)
print(json.dumps(r))"
