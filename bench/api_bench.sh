#!/usr/bin/env bash
# Authenticated GET /v1/users/me under wrk (64 connections, 30 s) beside pgbench -S (select-only)
# against the same PostgreSQL with the same client count. Needs a running stack (./ascension up).
# Starts a dedicated API instance without rate limit on API_PORT+61 so the limiter is not what is
# measured. Prints a Markdown table row for docs/benchmarks.md.
#   bench/api_bench.sh [DURATION_S=30] [CONNECTIONS=64]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ASCENSION_BUILD_DIR:-${root}/build}"
env_file="${ASCENSION_ENV_FILE:-${ASCENSION_HOME:-${root}/.ascension}/env}"
duration="${1:-30}"
conns="${2:-64}"
set -a; source "${env_file}"; set +a
port=$((API_PORT + 61))
ulimit -n "$(ulimit -Hn)"
RATE_LIMIT_PER_MINUTE=1000000 API_PORT="${port}" INSTANCE_ID=api-bench LOG_LEVEL=warn DB_POOL_SIZE=16 \
  "${build}/src/bin/ascension-api" >/tmp/api-bench.log 2>&1 &
api_pid=$!
trap 'kill ${api_pid} 2>/dev/null; wait ${api_pid} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${port}/health" >/dev/null && break; sleep 0.1; done
token="$(curl -sf -XPOST "http://127.0.0.1:${port}/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench$RANDOM\",\"email\":\"bench$RANDOM$RANDOM@bench.example\",\"password\":\"benchmark1\"}" |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"

echo "== wrk: GET /v1/users/me, ${conns} connections, ${duration}s" >&2
wrk_out="$(wrk -t2 -c"${conns}" -d"${duration}s" --latency -H "Authorization: Bearer ${token}" \
  "http://127.0.0.1:${port}/v1/users/me")"
echo "${wrk_out}" >&2

echo "== pgbench -S, ${conns} clients, ${duration}s" >&2
export PGPASSWORD
PGPASSWORD="$(python3 -c "import urllib.parse,sys; print(urllib.parse.urlparse(sys.argv[1]).password)" "${DATABASE_URL}")"
pg=(-h 127.0.0.1 -p "${ASCENSION_PG_PORT}" -U ascension ascension)
pgbench -i -q -s 10 "${pg[@]}" >/dev/null 2>&1
pg_out="$(pgbench -S -n -c "${conns}" -j 2 -T "${duration}" -r "${pg[@]}" 2>&1)"
echo "${pg_out}" >&2
pgbench -i -I d "${pg[@]}" >/dev/null 2>&1 || true  # drop the pgbench tables

python3 - "${wrk_out}" "${pg_out}" <<'PY'
import re, sys
wrk, pg = sys.argv[1], sys.argv[2]
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", wrk, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", wrk, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
sock = re.search(r"Socket errors: (.*)", wrk)
tps = float(re.search(r"tps = ([\d.]+)", pg).group(1))
lat = float(re.search(r"latency average = ([\d.]+) ms", pg).group(1))
print(f"| {rps:.0f} req/s | p50 {p50:.2f} ms | p99 {p99:.2f} ms | non-2xx {errors.group(1) if errors else 0} | "
      f"socket errors {sock.group(1) if sock else 'none'} | pgbench -S {tps:.0f} tps, avg {lat:.2f} ms | "
      f"ratio API/pgbench {rps / tps:.2f} |")
PY
