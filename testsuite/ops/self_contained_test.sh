#!/usr/bin/env bash
# A fresh clone tests itself: no build or test file may read data from outside the repository
# (the reference clip and its MediaPipe result live in testdata/), and every file named there
# exists. Run from the repository root.
set -euo pipefail

fail=0
# Build files and test sources that point outside the checkout for data.
while IFS= read -r hit; do
  echo "reads data from outside the repository: ${hit}" >&2
  fail=1
done < <(grep -rnE '\.\./shared|/work/shared' --include=CMakeLists.txt --include='*.cmake' \
           --include='*_test.cpp' --include='*_it.cpp' --include='*_test.sh' --include='*_test.py' \
           src testsuite bench cmake CMakeLists.txt 2>/dev/null | grep -v 'self_contained_test.sh' || true)

for f in testdata/example-2.mp4 testdata/example-2-biomechanics.json; do
  if [[ ! -s "${f}" ]]; then
    echo "missing test data file: ${f}" >&2
    fail=1
  fi
done
# The reference result must be the one for the clip: 309 frames.
if ! grep -q '"frame": *308' testdata/example-2-biomechanics.json 2>/dev/null &&
   ! grep -q '"frame":308' testdata/example-2-biomechanics.json 2>/dev/null; then
  echo "testdata/example-2-biomechanics.json does not hold the clip's 309 frames" >&2
  fail=1
fi
exit "${fail}"
