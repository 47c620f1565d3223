#!/usr/bin/env bash
# Validates the monitoring configuration with Prometheus' own tools:
#   promtool check config deploy/prometheus/prometheus.yml (which loads alerts.yml)
#   promtool check rules  deploy/prometheus/alerts.yml
#   promtool test rules   deploy/prometheus/alerts_test.yml (thresholds fire, and only them)
#   amtool check-config   deploy/alertmanager/alertmanager.yml (when amtool is installed)
# and that every application metric the rules and the Grafana dashboard use is one our code
# registers (src/**/*metrics*.cpp), so a renamed metric cannot silently blind an alert.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROMTOOL="$(command -v promtool || echo /usr/bin/promtool)"
[[ -x "${PROMTOOL}" ]] || { echo "SKIP: promtool not installed (Debian package prometheus)"; exit 77; }
cd "${root}/deploy/prometheus"
"${PROMTOOL}" check config prometheus.yml
"${PROMTOOL}" check rules alerts.yml
"${PROMTOOL}" test rules alerts_test.yml
AMTOOL="${AMTOOL:-$(command -v amtool || true)}"
if [[ -n "${AMTOOL}" ]]; then
  "${AMTOOL}" check-config "${root}/deploy/alertmanager/alertmanager.yml"
  # Routing: critical pages on-call, the rest goes to the alerts channel.
  for case in "critical slack-oncall" "warning slack-alerts"; do
    set -- ${case}
    got="$("${AMTOOL}" config routes test --config.file="${root}/deploy/alertmanager/alertmanager.yml" severity="$1" alertname=X 2>/dev/null | tail -n 1)"
    [[ "${got}" == "$2" ]] || { echo "FAIL severity=$1 routed to '${got}', expected $2"; exit 1; }
    echo "ok   severity=$1 -> $2"
  done
else
  echo "note: amtool not installed; alertmanager.yml not checked"
fi

# Our metric names: every .Name("...") in the API and worker metric registries, plus process_*.
mapfile -t ours < <(grep -rhoE 'Name\("[a-z_]+"\)' "${root}/src" --include='*metrics*.cpp' | sed -E 's/Name\("(.*)"\)/\1/' | sort -u)
((${#ours[@]} > 5)) || { echo "FAIL: found only ${#ours[@]} metric names in src"; exit 1; }
fails=0
sources=(alerts.yml)
for f in "${root}"/deploy/grafana/dashboards/*.json; do [[ -f "${f}" ]] && sources+=("${f}"); done
used="$(cat "${sources[@]}" |
  grep -oE '\b(http_request[a-z_]*|websocket_[a-z_]+|db_pool_[a-z_]+|outbox_[a-z_]+|jobs_published_[a-z_]+|worker_[a-z_]+|storage_[a-z_]+|analyses_started_[a-z_]+)\b' |
  sed -E 's/_(bucket|count|sum)$//' | sort -u)"
ours_lines="$(printf '%s\n' "${ours[@]}")"  # here-string: `printf | grep -q` can SIGPIPE under pipefail
for m in ${used}; do
  if grep -qx "${m}" <<<"${ours_lines}"; then echo "ok   ${m} is registered by the code"
  else echo "FAIL ${m} is used by alerts/dashboards but registered nowhere in src"; fails=$((fails + 1)); fi
done
# Label values the rules select on.
for v in dead_lettered failed completed; do
  # The worker's JobProcessing service decides the outcome (a Verdict); src/worker counts it.
  grep -rqE "JobFinished\(\"${v}\"|Verdict::Action::k[A-Za-z]+, \"\", \{\}, \"${v}\"" "${root}/src/worker" "${root}/src/services" ||
    { echo "FAIL worker outcome \"${v}\" not produced by src/worker or src/services"; fails=$((fails + 1)); }
done
grep -q '"vision.skeleton"' "${root}/src/adapters/amqp/topology.hpp" || { echo "FAIL queue vision.skeleton not in topology.hpp"; fails=$((fails + 1)); }
exit $((fails > 0))
