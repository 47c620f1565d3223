#!/usr/bin/env bash
# Renders deploy/prometheus/prometheus.yml for a Prometheus run as a plain process (the local
# production profile, the live test): each job's targets replaced by the addresses given, jobs
# without any dropped, the alert rules copied beside it. Scrape paths, parameters and the rules
# are the production ones.
#
# Usage: scripts/ops/render-prometheus-conf.sh --out DIR --target JOB=HOST:PORT[,HOST:PORT...]...
#          [--alertmanager HOST:PORT] [--scrape-interval 15s]
#   e.g. --target ascension-api=127.0.0.1:8080,127.0.0.1:8081 --target ascension-worker=127.0.0.1:9101
#        --target rabbitmq=127.0.0.1:56723 --target rabbitmq-queues=127.0.0.1:56723
# Writes DIR/prometheus.yml and DIR/alerts.yml; prints the first. Then:
#   prometheus --config.file DIR/prometheus.yml --storage.tsdb.path DIR/data --storage.tsdb.use-lockfile ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="" alertmanager="" interval="" targets=()
while (($#)); do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --alertmanager) alertmanager="$2"; shift 2 ;;
    --scrape-interval) interval="$2"; shift 2 ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "render-prometheus-conf: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "${out}" ]] || { echo "render-prometheus-conf: --out DIR is required" >&2; exit 2; }
((${#targets[@]})) || { echo "render-prometheus-conf: at least one --target JOB=HOST:PORT" >&2; exit 2; }
PY="$(command -v /usr/bin/python3 || command -v python3)"
mkdir -p "${out}"
cp "${root}/deploy/prometheus/alerts.yml" "${out}/alerts.yml"
"${PY}" - "${root}/deploy/prometheus/prometheus.yml" "${out}/prometheus.yml" "${alertmanager}" "${interval}" "${targets[@]}" <<'PYEOF'
import sys
import yaml

src, dst, alertmanager, interval = sys.argv[1:5]
wanted = {}
for spec in sys.argv[5:]:
    job, _, addrs = spec.partition("=")
    if not job or not addrs:
        sys.exit(f"render-prometheus-conf: bad --target {spec!r} (JOB=HOST:PORT[,HOST:PORT])")
    wanted[job] = [a for a in addrs.split(",") if a]
conf = yaml.safe_load(open(src))
jobs = []
for job in conf["scrape_configs"]:
    name = job["job_name"]
    if name not in wanted:
        continue
    addrs = wanted.pop(name)
    old = job.pop("static_configs", []) or []
    job.pop("dns_sd_configs", None)
    if len(old) == len(addrs) and all(len(sc["targets"]) == 1 for sc in old):
        # One address per original entry: keep each entry's labels (instance_id, role).
        job["static_configs"] = [dict(sc, targets=[a]) for sc, a in zip(old, addrs)]
    else:
        labels = old[0].get("labels") if len(old) == 1 else None
        job["static_configs"] = [dict({"targets": addrs}, **({"labels": labels} if labels else {}))]
    jobs.append(job)
if wanted:
    sys.exit("render-prometheus-conf: no job named " + ", ".join(sorted(wanted)) + " in " + src)
conf["scrape_configs"] = jobs
conf["rule_files"] = ["alerts.yml"]
if alertmanager:
    conf["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]}
else:
    conf.pop("alerting", None)
if interval:
    conf["global"]["scrape_interval"] = interval
    conf["global"]["evaluation_interval"] = interval
    conf["global"].pop("scrape_timeout", None)
conf["global"].setdefault("external_labels", {})["environment"] = "local"
with open(dst, "w") as f:
    f.write("# Rendered by scripts/ops/render-prometheus-conf.sh from deploy/prometheus/prometheus.yml.\n")
    yaml.safe_dump(conf, f, sort_keys=False)
PYEOF
echo "${out}/prometheus.yml"
