#!/usr/bin/env bash
# The production Prometheus configuration against the integration-test stack: rendered by
# scripts/ops/render-prometheus-conf.sh onto the stack's ports, run by the real Prometheus; every
# target must be up and every alert rule of deploy/prometheus/alerts.yml loaded and evaluating
# without error, and the application's metrics must be queryable by the names the rules use.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${ASCENSION_ENV_FILE:?run through ctest (the stack fixture sets ASCENSION_ENV_FILE)}"
set -a
# shellcheck disable=SC1090
source "${ASCENSION_ENV_FILE}"
set +a
PROM="$(command -v prometheus || true)"
[[ -n "${PROM}" ]] || { echo "SKIP: prometheus not installed"; exit 77; }
answers() { curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$1" | grep -q '^200$'; }
args=()
answers "http://127.0.0.1:${API_PORT}/metrics" || { echo "SKIP: no API running in the stack (not built)"; exit 77; }
args+=(--target "ascension-api=127.0.0.1:${API_PORT}")
answers "http://127.0.0.1:${WORKER_METRICS_PORT}/metrics" && args+=(--target "ascension-worker=127.0.0.1:${WORKER_METRICS_PORT}")
if [[ -n "${ASCENSION_AMQP_METRICS_PORT:-}" ]] && answers "http://127.0.0.1:${ASCENSION_AMQP_METRICS_PORT}/metrics"; then
  args+=(--target "rabbitmq=127.0.0.1:${ASCENSION_AMQP_METRICS_PORT}" --target "rabbitmq-queues=127.0.0.1:${ASCENSION_AMQP_METRICS_PORT}")
fi

work="$(mktemp -d)"
pid=""
cleanup() { [[ -n "${pid}" ]] && kill "${pid}" 2>/dev/null && wait "${pid}" 2>/dev/null; rm -rf "${work}"; }
trap cleanup EXIT
port=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/${p}") 2>/dev/null || { port="${p}"; break; }
done
"${root}/scripts/ops/render-prometheus-conf.sh" --out "${work}" --scrape-interval 2s \
  --target "prometheus=127.0.0.1:${port}" "${args[@]}" >/dev/null
"${PROM}" --config.file="${work}/prometheus.yml" --storage.tsdb.path="${work}/data" --storage.tsdb.use-lockfile \
  --web.listen-address="127.0.0.1:${port}" >"${work}/prometheus.log" 2>&1 &
pid=$!
api="http://127.0.0.1:${port}/api/v1"
PY="$(command -v /usr/bin/python3 || command -v python3)"
fails=0
check() { if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi; }

# Every target up (within 30 s).
state=""
for _ in $(seq 1 60); do
  state="$(curl -s "${api}/targets" | "${PY}" -c 'import sys,json; t=json.load(sys.stdin)["data"]["activeTargets"]; print(" ".join(sorted(x["labels"]["job"]+"="+x["health"] for x in t)))' 2>/dev/null || true)"
  [[ -n "${state}" && "${state}" != *"=unknown"* ]] && break
  sleep 0.5
done
echo "targets: ${state}"
check "every target up" 0 "$(tr ' ' '\n' <<<"${state}" | grep -vc '=up$' || true)"
check "the API is among them" 1 "$(tr ' ' '\n' <<<"${state}" | grep -c '^ascension-api=up$' || true)"

# Every rule loaded and evaluated without error.
sleep 3
want="$(grep -c '^ *- alert:' "${root}/deploy/prometheus/alerts.yml")"
rules="$(curl -s "${api}/rules" | "${PY}" -c '
import sys, json
g = json.load(sys.stdin)["data"]["groups"]
r = [x for grp in g for x in grp["rules"]]
bad = [x["name"] + ":" + str(x.get("lastError")) for x in r if x["health"] != "ok"]
print(len(r), len([x for x in r if x["health"] == "ok"]), ";".join(bad))')"
read -r loaded healthy errors <<<"${rules} "
check "all ${want} alert rules loaded" "${want}" "${loaded}"
check "all rules evaluate without error" "${want}" "${healthy}"
[[ -z "${errors:-}" ]] || echo "rule errors: ${errors}"

# The metrics the rules use, by their names, from the running processes.
for q in 'http_requests_total{job="ascension-api"}' 'http_request_duration_seconds_bucket{job="ascension-api"}' \
    'outbox_unsent_messages{job="ascension-api"}'; do
  n="$(curl -s --get "${api}/query" --data-urlencode "query=count(${q})" | "${PY}" -c 'import sys,json; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)')"
  check "series for ${q}" 1 "$(( n > 0 ))"
done
if [[ " ${args[*]} " == *ascension-worker=* ]]; then
  n="$(curl -s --get "${api}/query" --data-urlencode 'query=count(worker_current_jobs{job="ascension-worker"})' | "${PY}" -c 'import sys,json; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)')"
  check "series for worker_current_jobs" 1 "$(( n > 0 ))"
fi
echo "${fails} failure(s)"
exit $((fails > 0))
