#!/usr/bin/env bash
# The API's read routes on a seeded database (issue 16 item 4): run bench/seed_scale.sh first.
# Two climbers are registered through the API and take over seeded history: "power" the ≈1,000
# analyses of seed user 1, "usual" the ≈9 of seed user 50000. Then, under wrk -t2 -cN for
# DURATION_S each, interleaved with pgbench -S on the same database (ratios within the run):
#   list-power / list-usual   GET /v1/analyses?page=1&per_page=20 (the history's first page)
#   list-deep                 GET /v1/analyses?page=40&per_page=20 of the power climber
#   me                        GET /v1/users/me
# and the history query alone, as the store sends it, under pgbench (-M prepared, N clients)
# for random seeded users, with its latency percentiles from pgbench's per-transaction log.
# Prints Markdown tables. The two climbers (and the history they took over) are deleted at the
# end, the history going back to its seed user. Bounded: 5 × DURATION_S seconds plus setup.
#   bench/scale_bench.sh [DURATION_S=10] [CONNECTIONS=64]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration="${1:-10}"
conns="${2:-64}"
ulimit -n "$(ulimit -Hn)"
work="$(mktemp -d /tmp/scale-bench.XXXXXX)"
api_pid=""
ids=()
seeds=()
cleanup() {
  [[ -n "${api_pid}" ]] && { kill "${api_pid}" 2>/dev/null || true; wait "${api_pid}" 2>/dev/null || true; }
  # The history taken over goes back to its seed user, so that the next run finds it.
  for i in "${!ids[@]}"; do
    psql_do -c "UPDATE videos SET user_id = '${seeds[$i]}' WHERE user_id = '${ids[$i]}'" \
            -c "UPDATE analyses SET user_id = '${seeds[$i]}' WHERE user_id = '${ids[$i]}'" \
            -c "DELETE FROM users WHERE id = '${ids[$i]}'" >/dev/null 2>&1 || true
  done
  pgbench -i -I d "${pg[@]}" >/dev/null 2>&1 || true
  rm -rf "${work}"
}
trap cleanup EXIT
seeded="$(psql_do -At -c "SELECT count(*) FROM analyses")"
(( seeded >= 1000 )) || { echo "scale_bench: run bench/seed_scale.sh first (${seeded} analyses)" >&2; exit 1; }

port=$((API_PORT + 61))
bench_start_api api-scale-bench "${build}/src/bin/ascension-api" "${port}" "${work}/api.log"
api_pid="${bench_api_pid}"

declare -A token
takeover() {  # NAME SEED_INDEX
  local name="sb$RANDOM$RANDOM" id seed
  token[$1]="$(bench_register "${port}" "${name}")"
  id="$(psql_do -At -c "SELECT id FROM users WHERE username = '${name}'")"
  ids+=("${id}")
  seed="$(printf '00000000-0000-4000-8000-%012x' "$2")"
  seeds+=("${seed}")
  psql_do -c "UPDATE videos SET user_id = '${id}' WHERE user_id = '${seed}'" \
          -c "UPDATE analyses SET user_id = '${id}' WHERE user_id = '${seed}'"
  echo "   $1: $(psql_do -At -c "SELECT count(*) FROM analyses WHERE user_id = '${id}'") analyses" >&2
}
takeover power 1
takeover usual 50000
psql_do -c "ANALYZE analyses" >/dev/null
pgbench -i -q -s 10 "${pg[@]}" >/dev/null 2>&1

results="${work}/runs.tsv"
run_wrk() {  # LABEL TOKEN PATH
  local out
  out="$(wrk -t2 -c"${conns}" -d"${duration}s" --latency -H "Authorization: Bearer ${token[$2]}" \
    "http://127.0.0.1:${port}$3")"
  python3 - "$1" "${out}" >>"${results}" <<'PY'
import re, sys
label, wrk = sys.argv[1:3]
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", wrk, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", wrk, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
print(f"{label}\t{rps:.1f}\t{p50:.2f}\t{p99:.2f}\t{bad.group(1) if bad else 0}")
PY
}
echo "== ${seeded} analyses; ${conns} connections, ${duration}s each (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
run_wrk list-power power "/v1/analyses?page=1&per_page=20"
run_wrk list-usual usual "/v1/analyses?page=1&per_page=20"
pg_out="$(pgbench -S -n -c "${conns}" -j 2 -T "${duration}" "${pg[@]}" 2>&1)"
tps="$(grep -oP 'tps = \K[\d.]+' <<<"${pg_out}" | head -1)"
run_wrk list-deep power "/v1/analyses?page=40&per_page=20"
run_wrk me usual "/v1/users/me"

# The history query alone, for random seeded users (the store's text, with $1 the user, all
# columns read as the store reads them).
users="$(psql_do -At -c "SELECT count(*) FROM users WHERE username LIKE 'seed\\_%'")"
uid="('00000000-0000-4000-8000-' || lpad(to_hex(:u::int), 12, '0'))::uuid"
cat >"${work}/list.sql" <<SQL
\\set u random(1, ${users})
SELECT a.*, (SELECT count(*) FROM analyses c WHERE c.user_id = ${uid}
   AND (NULL::text IS NULL OR c.status = NULL::text)) AS total FROM analyses a
 WHERE a.user_id = ${uid} AND (NULL::text IS NULL OR a.status = NULL::text)
 ORDER BY a.created_at DESC, a.id LIMIT 20 OFFSET 0;
SQL
sed 's/random(1, [0-9]*)/random(1, 100)/' "${work}/list.sql" >"${work}/list-power.sql"
percentiles() {  # pgbench per-transaction logs: column 3 is the latency in µs
  python3 - "$@" <<'PY'
import sys
lat = sorted(int(l.split()[2]) for f in sys.argv[1:] for l in open(f))
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] / 1000
print(f"{len(lat)}\t{q(0.5):.2f}\t{q(0.99):.2f}")
PY
}
for which in list power; do
  script="${work}/list.sql"; [[ "${which}" == power ]] && script="${work}/list-power.sql"
  (cd "${work}" && pgbench -n -M prepared -f "${script}" -c "${conns}" -j 2 -T "${duration}" -l \
     --log-prefix="log-${which}" "${pg[@]}" >/dev/null 2>&1)
  echo "sql-${which}	$(percentiles "${work}"/log-"${which}".*)" >>"${work}/sql.tsv"
done

python3 - "${results}" "${tps}" "${work}/sql.tsv" "${seeded}" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
tps = float(sys.argv[2])
print(f"API on {int(sys.argv[4]):,} analyses (pgbench -S in the same run: {tps:,.0f} tps)")
print()
print("| route | req/s | p50 ms | p99 ms | non-2xx | API / pgbench |")
print("|---|---|---|---|---|---|")
for label, rps, p50, p99, bad in rows:
    print(f"| {label} | {float(rps):,.0f} | {p50} | {p99} | {bad} | {float(rps) / tps:.2f} |")
print()
print("| history SQL alone (pgbench -M prepared) | transactions | p50 ms | p99 ms |")
print("|---|---|---|---|")
for l in open(sys.argv[3]):
    label, n, p50, p99 = l.rstrip("\n").split("\t")
    who = "random seeded users (≈9 analyses each)" if label == "sql-list" else "random power users (≈1,000 each)"
    print(f"| {who} | {int(n):,} | {p50} | {p99} |")
PY
