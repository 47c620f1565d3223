#!/usr/bin/env bash
# Compiler/linker launcher that appends "user_s sys_s wall_s output" of each command to
# $ASCENSION_TIME_LOG: how the sanitize preset's cold cost per file was measured
# (docs/reliability.md). Use: -DCMAKE_CXX_COMPILER_LAUNCHER=$PWD/fuzz/tools/time-compile.sh
# -DCMAKE_CXX_LINKER_LAUNCHER=$PWD/fuzz/tools/time-compile.sh on a fresh build directory.
set -euo pipefail
out=unknown
args=("$@")
for ((i = 0; i < ${#args[@]} - 1; i++)); do
  [[ "${args[i]}" == -o ]] && out="${args[i + 1]}"
done
exec /usr/bin/time -a -o "${ASCENSION_TIME_LOG:-/tmp/ascension-compile-times.log}" \
  -f "%U %S %e ${out}" "$@"
