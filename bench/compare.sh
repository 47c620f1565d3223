#!/usr/bin/env bash
# Per-invocation speed of the pose models in two builds of the project, measured side by side:
# both builds' executors run the same frames of the same video in two resident processes driven
# alternately (A B B A A B ...), a few invocations per turn, so that whatever else the machine is
# doing weighs on both alike. Prints a Markdown table of CPU-time medians, the speed-up (median
# over rounds of OLD/NEW, with its quartiles), the model's FLOPs, the GFLOP/s reached beside an
# fp32 GEMM measured in the same run, and the largest difference between the two builds' outputs.
#   bench/compare.sh OLD_BUILD_DIR NEW_BUILD_DIR [ROUNDS=20] [PER_TURN=3]
# Environment: THREADS (default 1), MODELS ("detector lite full heavy"), MODELS_DIR (the new
# build's source tree models/), VIDEO (its testdata/example-2.mp4).
# Each build directory must have vision_bench built (its link line is reused for the driver,
# bench/vision_invoke.cpp, which is compiled against each build's own headers and libraries).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "${here}/.." && pwd)"
if [[ $# -lt 2 ]]; then
  echo "usage: $0 OLD_BUILD_DIR NEW_BUILD_DIR [ROUNDS] [PER_TURN]" >&2
  exit 2
fi
old="$(cd "$1" && pwd)"
new="$(cd "$2" && pwd)"
rounds="${3:-20}"
per_turn="${4:-3}"
threads="${THREADS:-1}"
models="${MODELS:-detector lite full heavy}"
models_dir="${MODELS_DIR:-${root}/models}"
video="${VIDEO:-${root}/testdata/example-2.mp4}"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "${p}" 2>/dev/null || true; done
  rm -rf "${tmp}"
}
trap cleanup EXIT

# Compiles bench/vision_invoke.cpp with the compile and link lines of the build's vision_bench.
build_driver() {
  local build="$1" out="$2" commands cc ld
  commands="$(ninja -C "${build}" -t commands vision_bench)"
  cc="$(grep -F 'vision_bench.cpp.o -c ' <<<"${commands}" | tail -1)"
  ld="$(tail -1 <<<"${commands}")"
  [[ -n "${cc}" && "${ld}" == *vision_bench.cpp.o* ]] || {
    echo "cannot find vision_bench's build commands in ${build}" >&2
    return 1
  }
  cc="$(sed -E "s#-o [^ ]*vision_bench\.cpp\.o -c [^ ]*#-o ${out}.o -c ${here}/vision_invoke.cpp#" <<<"${cc}")"
  ld="$(sed -E "s#-o [^ ]*/vision_bench( |\$)#-o ${out} #; s#[^ ]*vision_bench\.cpp\.o#${out}.o#" <<<"${ld}")"
  (cd "${build}" && eval "${cc}" && eval "${ld}")
}

build_driver "${old}" "${tmp}/old" || exit 1
build_driver "${new}" "${tmp}/new" || exit 1

model_file() {
  case "$1" in
    detector) echo "pose_detection.tflite Identity,Identity_1" ;;
    *) echo "pose_landmark_$1.tflite Identity,Identity_1,Identity_3" ;;
  esac
}

# start NAME DRIVER MODEL OUTPUTS: the driver reads fd of NAME.in, answers on NAME.out.
start() {
  local name="$1"
  mkfifo "${tmp}/${name}.in" "${tmp}/${name}.out"
  "$2" "${models_dir}/$3" "${video}" "${threads}" "$4" <"${tmp}/${name}.in" >"${tmp}/${name}.out" &
  pids+=($!)
}

# Median and quartiles of the numbers on stdin: "q1 median q3".
quartiles() {
  sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) { print "nan nan nan"; exit }
    printf "%.4f %.4f %.4f\n", v[int((NR - 1) * 0.25) + 1], v[int((NR - 1) * 0.5) + 1], v[int((NR - 1) * 0.75) + 1] }'
}

# turn_median cpu|wall "cpu c1 .. cn wall w1 .. wn": the median of one series of a turn.
turn_median() {
  local series
  if [[ "$1" == cpu ]]; then series="${2#cpu }"; series="${series%% wall*}"; else series="${2##*wall }"; fi
  tr ' ' '\n' <<<"${series}" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

echo "OLD ${old}"
echo "NEW ${new}"
echo "threads ${threads}, ${rounds} rounds of ${per_turn} invocations per build, turn order alternating;"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| model | GFLOP per invocation | OLD CPU ms (median) | NEW CPU ms (median) | speed-up OLD/NEW (median, q1-q3 of ${rounds} rounds) | wall speed-up | NEW GFLOP/s | of GEMM peak | max abs output difference |"
echo "|---|---|---|---|---|---|---|---|---|"
peak=""
for m in ${models}; do
  read -r file outputs <<<"$(model_file "${m}")"
  start "old_${m}" "${tmp}/old" "${file}" "${outputs}"
  start "new_${m}" "${tmp}/new" "${file}" "${outputs}"
  exec {a_in}>"${tmp}/old_${m}.in" {a_out}<"${tmp}/old_${m}.out"
  exec {b_in}>"${tmp}/new_${m}.in" {b_out}<"${tmp}/new_${m}.out"
  read -r ready_a <&"${a_out}"
  read -r ready_b <&"${b_out}"
  if [[ "${ready_a}" != ready || "${ready_b}" != ready ]]; then
    echo "driver failed for ${m}: OLD: ${ready_a}; NEW: ${ready_b}" >&2
    exit 1
  fi
  ask() {  # ask FD_IN FD_OUT COMMAND -> prints the answer
    echo "$3" >&"$1"
    local line
    read -r line <&"$2"
    [[ "${line}" != error* ]] || { echo "${m}: ${line}" >&2; return 1; }
    echo "${line}"
  }
  ask "${a_in}" "${a_out}" "run 3" >/dev/null
  ask "${b_in}" "${b_out}" "run 3" >/dev/null
  : >"${tmp}/ratios" >"${tmp}/wall_ratios" >"${tmp}/old_cpu" >"${tmp}/new_cpu"
  for ((r = 0; r < rounds; ++r)); do
    if ((r % 2 == 0)); then
      ra="$(ask "${a_in}" "${a_out}" "run ${per_turn}")"
      rb="$(ask "${b_in}" "${b_out}" "run ${per_turn}")"
    else
      rb="$(ask "${b_in}" "${b_out}" "run ${per_turn}")"
      ra="$(ask "${a_in}" "${a_out}" "run ${per_turn}")"
    fi
    # "cpu c1 .. cn wall w1 .. wn": medians of this turn.
    ca="$(turn_median cpu "${ra}")" wa="$(turn_median wall "${ra}")"
    cb="$(turn_median cpu "${rb}")" wb="$(turn_median wall "${rb}")"
    echo "${ca}" >>"${tmp}/old_cpu"
    echo "${cb}" >>"${tmp}/new_cpu"
    awk -v a="${ca}" -v b="${cb}" 'BEGIN {print a / b}' >>"${tmp}/ratios"
    awk -v a="${wa}" -v b="${wb}" 'BEGIN {print a / b}' >>"${tmp}/wall_ratios"
  done
  flops="$(ask "${b_in}" "${b_out}" flops | cut -d' ' -f2)"
  if [[ -z "${peak}" ]]; then peak="$(ask "${b_in}" "${b_out}" peak | cut -d' ' -f2)"; fi
  diff=0
  for k in 0 7 15; do
    da="$(ask "${a_in}" "${a_out}" "digest ${k}")"
    db="$(ask "${b_in}" "${b_out}" "digest ${k}")"
    diff="$(paste <(tr ' ' '\n' <<<"${da}" | tail -n +2) <(tr ' ' '\n' <<<"${db}" | tail -n +2) |
      awk -v d="${diff}" '{x = $1 - $2; if (x < 0) x = -x; if (x > d) d = x} END {printf "%.2g\n", d}')"
  done
  echo quit >&"${a_in}"
  echo quit >&"${b_in}"
  exec {a_in}>&- {a_out}<&- {b_in}>&- {b_out}<&-
  read -r _ old_ms _ <<<"$(quartiles <"${tmp}/old_cpu")"
  read -r _ new_ms _ <<<"$(quartiles <"${tmp}/new_cpu")"
  read -r q1 med q3 <<<"$(quartiles <"${tmp}/ratios")"
  read -r _ wmed _ <<<"$(quartiles <"${tmp}/wall_ratios")"
  awk -v m="${m}" -v f="${flops}" -v o="${old_ms}" -v n="${new_ms}" -v q1="${q1}" -v med="${med}" \
    -v q3="${q3}" -v w="${wmed}" -v p="${peak}" -v d="${diff}" -v t="${threads}" 'BEGIN {
    g = f / 1e9 / (n / 1e3);
    printf "| %s | %.3f | %.2f | %.2f | **%.2f×** (%.2f–%.2f) | %.2f× | %.1f | %.0f %% of %.0f%s | %s |\n",
      m, f / 1e9, o, n, med, q1, q3, w, g, 100 * g / (p * t), p * t, (t > 1 ? " (" t " threads)" : ""), d }'
done
wait
