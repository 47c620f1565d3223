#!/usr/bin/env bash
# Memory per pipeline (issue 16 item 4). For each model (lite, full, heavy), the peak resident
# set (VmHWM, GNU time's "Maximum resident set size") of one offline analysis of VIDEO by
# build/src/bin/ascension-analyze — the worker's pipeline, same code — with 1 segment and with
# THREADS segments at once (the worker's WORKER_THREADS_PER_JOB), plus its wall and CPU time. With
# a running stack (ASCENSION_HOME, e.g. build/test-stack, or ./.ascension), also the resident set
# of its worker as it is (/proc/PID/status, read only): idle, that is a worker before its first
# job, or holding the models of the jobs it ran (each model is loaded on first use and kept).
# Prints one Markdown table. Bounded: 6 analyses of VIDEO (about 1 min for the 10 s sample).
#   bench/memory_bench.sh [VIDEO=testdata/example-2.mp4] [THREADS=2]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ASCENSION_BUILD_DIR:-${root}/build}"
video="${1:-${root}/testdata/example-2.mp4}"
threads="${2:-2}"
work="$(mktemp -d /tmp/memory-bench.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
export ASCENSION_MODELS_DIR="${ASCENSION_MODELS_DIR:-${root}/models}"

echo "== $(basename "${video}"), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| model | segments | peak RSS MB | wall s | CPU s (user + sys) |"
echo "|---|---|---|---|---|"
for model in lite full heavy; do
  for t in 1 "${threads}"; do
    /usr/bin/time -v -o "${work}/time.txt" "${build}/src/bin/ascension-analyze" "${video}" \
      --model "${model}" --threads "${t}" --out "${work}/result.json" >/dev/null 2>"${work}/err.txt" ||
      { cat "${work}/err.txt" "${work}/time.txt" >&2; exit 1; }
    python3 - "${model}" "${t}" "${work}/time.txt" <<'PY'
import re, sys
model, t, path = sys.argv[1:4]
s = open(path).read()
kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", s).group(1))
user = float(re.search(r"User time \(seconds\): ([\d.]+)", s).group(1))
system = float(re.search(r"System time \(seconds\): ([\d.]+)", s).group(1))
w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", s).group(1).split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
print(f"| {model} | {t} | {kb / 1024:.0f} | {wall:.1f} | {user + system:.1f} |")
PY
    [[ "${t}" == "${threads}" ]] && break
  done
done

home="${ASCENSION_HOME:-}"
if [[ -n "${home}" && -f "${home}/run/worker.pid" ]]; then
  pid="$(head -n 1 "${home}/run/worker.pid" | tr -dc '0-9')"
  if [[ -n "${pid}" && -r "/proc/${pid}/status" ]]; then
    echo
    awk -v pid="${pid}" '/^VmRSS|^VmHWM/ { v[$1] = $2 }
      END { printf "worker (pid %s, %s): RSS %.0f MB now, peak %.0f MB\n", pid, "as it is", v["VmRSS:"] / 1024, v["VmHWM:"] / 1024 }' \
      "/proc/${pid}/status"
  fi
fi
