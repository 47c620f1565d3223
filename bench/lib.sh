# Sourced by the benchmarks that run against a running stack (api_bench.sh, scale_bench.sh,
# seed_scale.sh): the stack's environment, PostgreSQL access and the dedicated bench API.
# Sets root, build and pg (psql/pgbench connection arguments), exports the stack's settings and
# PGPASSWORD; defines psql_do, bench_start_api and bench_register.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ASCENSION_BUILD_DIR:-${root}/build}"
env_file="${ASCENSION_ENV_FILE:-${ASCENSION_HOME:-${root}/.ascension}/env}"
set -a; source "${env_file}"; set +a
export PGPASSWORD
PGPASSWORD="$(python3 -c "import urllib.parse,sys; print(urllib.parse.urlparse(sys.argv[1]).password)" "${DATABASE_URL}")"
pg=(-h 127.0.0.1 -p "${ASCENSION_PG_PORT}" -U ascension ascension)
psql_do() { psql -X -q -v ON_ERROR_STOP=1 "${pg[@]}" "$@"; }

# bench_start_api INSTANCE BINARY PORT LOG: an API for measuring (rate limiter raised so that it
# is not what is measured, DB_POOL_SIZE 16 or BENCH_DB_POOL_SIZE, LOG_LEVEL warn) in the background, its pid in
# bench_api_pid; waits up to 30 s for /health, else prints the log and exits.
bench_start_api() {
  RATE_LIMIT_PER_MINUTE=1000000 API_PORT="$3" INSTANCE_ID="$1" LOG_LEVEL=warn \
    DB_POOL_SIZE="${BENCH_DB_POOL_SIZE:-16}" \
    "$2" >"$4" 2>&1 &
  bench_api_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$3/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): the API ($1) did not answer /health on port $3 within 30 s:" >&2
  cat "$4" >&2
  exit 1
}

# bench_register PORT NAME: registers the climber NAME through the API on PORT, prints its token.
bench_register() {
  curl -sf -XPOST "http://127.0.0.1:$1/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"email\":\"$2@bench.example\",\"password\":\"benchmark1\"}" |
    python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])'
}
