#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time: run-fuzzer.sh BINARY SEEDS DICT WORKDIR
#   SEEDS    the target's corpus in the repository (read only; crash regressions live there too)
#   DICT     its dictionary (used when the file exists)
#   WORKDIR  scratch: the corpus the fuzzer grows, crash artifacts, the log
# ASCENSION_FUZZ_SECONDS (default 30) bounds the run; ASCENSION_FUZZ_ARGS adds libFuzzer flags
# (e.g. "-jobs=2 -workers=2"). Exit status is the fuzzer's: non-zero on a crash, a leak, a
# timeout or an out-of-memory, with the input saved under WORKDIR/artifacts/.
set -euo pipefail
bin="$1" seeds="$2" dict="$3" work="$4"
secs="${ASCENSION_FUZZ_SECONDS:-30}"
[[ "${secs}" =~ ^[0-9]+$ ]] || { echo "ASCENSION_FUZZ_SECONDS must be a number of seconds" >&2; exit 2; }
[[ -d "${seeds}" ]] || { echo "no seed corpus at ${seeds}" >&2; exit 2; }
mkdir -p "${work}/corpus" "${work}/artifacts"
args=(-max_total_time="${secs}" -timeout=25 -rss_limit_mb=2560 -malloc_limit_mb=2048
      -print_final_stats=1 -artifact_prefix="${work}/artifacts/")
[[ -f "${dict}" ]] && args+=(-dict="${dict}")
# shellcheck disable=SC2206
[[ -n "${ASCENSION_FUZZ_ARGS:-}" ]] && args+=(${ASCENSION_FUZZ_ARGS})
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
# Logs of the code under test go nowhere; libFuzzer's own report is on stderr. Inputs saved by an
# earlier run are moved aside so that the reproducers listed below are this run's.
if compgen -G "${work}/artifacts/*" >/dev/null; then
  mkdir -p "${work}/artifacts.old" && mv "${work}/artifacts/"* "${work}/artifacts.old/"
fi
rc=0
"${bin}" "${args[@]}" "${work}/corpus" "${seeds}" || rc=$?
if ((rc != 0)); then
  echo "FUZZ FAILURE: $(basename "${bin}") exited with ${rc}; reproducer(s):" >&2
  for f in "${work}/artifacts/"*; do
    [[ -e "${f}" ]] && echo "  ${f}   (replay: ${bin} ${f})" >&2
  done
fi
exit "${rc}"
