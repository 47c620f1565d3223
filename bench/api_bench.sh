#!/usr/bin/env bash
# The API's read routes beside raw PostgreSQL, interleaved in one run (issue 16 item 3):
#   me         authenticated GET /v1/users/me
#   analysis   authenticated GET /v1/analyses/{id} of a completed analysis carrying the sample's
#              result document (testdata/example-2-biomechanics.json, 273 KB)
#   result     GET /v1/analyses/{id}/result of it, identity (the document itself)
#   result-gz  the same with Accept-Encoding: gzip (the app's client sends it; 41 KB)
#   pgbench    pgbench -S (select-only, scale 10) on the same PostgreSQL
# each under the same client count (wrk -t2 -cN / pgbench -cN -j2) for DURATION_S, ROUNDS times,
# in alternating order, so that whatever else the machine does weighs on every run alike; the
# ratios API/pgbench are taken within each round. With BASELINE_API_BINARY (e.g. main's build
# kept aside) that binary runs beside this build's, same rounds, same database, so before/after
# is measured in one run. Needs a running stack (./ascension up); starts dedicated API instances
# (rate limiter raised so that it is not what is measured, DB_POOL_SIZE 16, LOG_LEVEL warn) on
# API_PORT+61 (this build) and API_PORT+62 (baseline). Prints one Markdown row per run and the
# medians. Bounded: (4 or 8 + 1) × ROUNDS × DURATION_S seconds, plus a few seconds of setup.
# BENCH_DB_POOL_SIZE (default 16) sets each bench API's pool: with a baseline, 2 × 16 (twice that
# with a read pool) beside pgbench's clients can exceed a test stack's max_connections.
#   bench/api_bench.sh [DURATION_S=10] [CONNECTIONS=64] [ROUNDS=3] [BASELINE_API_BINARY]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration="${1:-10}"
conns="${2:-64}"
rounds="${3:-3}"
baseline="${4:-}"
ulimit -n "$(ulimit -Hn)"
work="$(mktemp -d /tmp/api-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "${p}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "${p}" 2>/dev/null || true; done
  if [[ -n "${user_id:-}" ]]; then psql_do -c "DELETE FROM users WHERE id = '${user_id}'" >/dev/null 2>&1 || true; fi
  pgbench -i -I d "${pg[@]}" >/dev/null 2>&1 || true  # drop the pgbench tables
  rm -rf "${work}"
}
trap cleanup EXIT

start_api() {  # NAME BINARY PORT
  bench_start_api "api-bench-$1" "$2" "$3" "${work}/$1.log"
  pids+=("${bench_api_pid}")
}
declare -A port=([new]=$((API_PORT + 61)))
apis=(new)
start_api new "${build}/src/bin/ascension-api" "${port[new]}"
if [[ -n "${baseline}" ]]; then
  port[base]=$((API_PORT + 62))
  apis+=(base)
  start_api base "${baseline}" "${port[base]}"
fi

name="bench$RANDOM$RANDOM"
token="$(bench_register "${port[new]}" "${name}")"
user_id="$(psql_do -At -c "SELECT id FROM users WHERE username = '${name}'")"
video_id="$(python3 -c 'import uuid; print(uuid.uuid4())')"
analysis_id="$(python3 -c 'import uuid; print(uuid.uuid4())')"
# The document is read by psql itself (\set from a command): it is larger than one argv string.
psql_do -v user_id="${user_id}" -v video_id="${video_id}" -v analysis_id="${analysis_id}" \
  -v result_file="${root}/testdata/example-2-biomechanics.json" <<'SQL'
\set result `cat :result_file`
INSERT INTO videos (id, user_id, filename, content_type, object_key, status, size_bytes)
  VALUES (:'video_id', :'user_id', 'bench.mp4', 'video/mp4', 'uploads/bench/' || :'video_id', 'saved', 1585696);
INSERT INTO analyses (id, user_id, video_id, job_id, status, progress, model, result_json, hints,
                      processing_time_ms, completed_at)
  VALUES (:'analysis_id', :'user_id', :'video_id', gen_random_uuid(), 'completed', 100, 'heavy',
          :'result', 'bench hints', 17100, now());
SQL
for api in "${apis[@]}"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${token}" \
    "http://127.0.0.1:${port[$api]}/v1/analyses/${analysis_id}")"
  [[ "${code}" == 200 ]] || { echo "api_bench: ${api} answered ${code} for the analysis" >&2; exit 1; }
done
pgbench -i -q -s 10 "${pg[@]}" >/dev/null 2>&1

results="${work}/runs.tsv"
run_wrk() {  # ROUND API ROUTE PATH [HEADER]
  local out extra=()
  [[ -n "${5:-}" ]] && extra=(-H "$5")
  out="$(wrk -t2 -c"${conns}" -d"${duration}s" --latency -H "Authorization: Bearer ${token}" \
    "${extra[@]}" "http://127.0.0.1:${port[$2]}$4")"
  echo "${out}" >"${work}/wrk-$1-$2-$3.txt"
  python3 - "$1" "$2" "$3" "${out}" >>"${results}" <<'PY'
import re, sys
rnd, api, route, wrk = sys.argv[1:5]
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", wrk, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", wrk, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", wrk)
errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0)
print(f"{rnd}\t{api}\t{route}\t{rps:.1f}\t{p50:.2f}\t{p99:.2f}\t{errors}")
PY
}
run_pgbench() {  # ROUND
  local out
  out="$(pgbench -S -n -c "${conns}" -j 2 -T "${duration}" "${pg[@]}" 2>&1)"
  echo "${out}" >"${work}/pgbench-$1.txt"
  python3 - "$1" "${out}" >>"${results}" <<'PY'
import re, sys
rnd, pg = sys.argv[1:3]
tps = float(re.search(r"tps = ([\d.]+)", pg).group(1))
lat = float(re.search(r"latency average = ([\d.]+) ms", pg).group(1))
print(f"{rnd}\tpgbench\t-S\t{tps:.1f}\t{lat:.2f}\t\t0")
PY
}

echo "== ${rounds} rounds of ${duration}s, ${conns} connections; APIs: ${apis[*]} (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
for r in $(seq 1 "${rounds}"); do
  order=("${apis[@]}")
  if (( r % 2 == 0 )); then order=($(printf '%s\n' "${apis[@]}" | tac)); fi
  (( r % 2 == 0 )) && run_pgbench "${r}"
  for api in "${order[@]}"; do
    run_wrk "${r}" "${api}" me /v1/users/me
    run_wrk "${r}" "${api}" analysis "/v1/analyses/${analysis_id}"
    run_wrk "${r}" "${api}" result "/v1/analyses/${analysis_id}/result"
    run_wrk "${r}" "${api}" result-gz "/v1/analyses/${analysis_id}/result" "Accept-Encoding: gzip"
  done
  (( r % 2 == 1 )) && run_pgbench "${r}"
  echo "   round ${r} done (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

python3 - "${results}" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
pg = {r[0]: float(r[3]) for r in rows if r[1] == "pgbench"}
print("| round | API | route | req/s | p50 ms | p99 ms | errors | pgbench -S tps (same round) | API / pgbench |")
print("|---|---|---|---|---|---|---|---|---|")
summary = {}
for rnd, api, route, rps, p50, p99, err in rows:
    if api == "pgbench":
        continue
    ratio = float(rps) / pg[rnd]
    summary.setdefault((api, route), []).append((float(rps), float(p99), ratio))
    print(f"| {rnd} | {api} | {route} | {float(rps):,.0f} | {p50} | {p99} | {err} | {pg[rnd]:,.0f} | {ratio:.2f} |")
print()
print("| API | route | median req/s | median p99 ms | median API / pgbench |")
print("|---|---|---|---|---|")
for (api, route), v in sorted(summary.items()):
    print(f"| {api} | {route} | {statistics.median(x[0] for x in v):,.0f} | "
          f"{statistics.median(x[1] for x in v):.2f} | {statistics.median(x[2] for x in v):.2f} |")
if any(a == "base" for a, _ in summary):
    print()
    for route in ("me", "analysis", "result", "result-gz"):
        pairs = [n[0] / b[0] for n, b in zip(summary.get(("new", route), []), summary.get(("base", route), []))]
        if pairs:
            print(f"{route}: this build / baseline req/s, median of rounds: {statistics.median(pairs):.2f}x")
PY
