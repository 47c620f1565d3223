#!/usr/bin/env bash
# check-logs.sh LOG_DIR: fails if one of our processes in the test stack wrote a sanitizer report to
# its log (api*.log, worker*.log, admin.log: the ASan + UBSan binaries of the `sanitize` build; an
# AddressSanitizer or LeakSanitizer error, a UBSan "runtime error"). The services' own logs
# (PostgreSQL, RabbitMQ, Ceph) are not ours and not read. Run after stack_down, so that the leak
# reports the processes print when they exit are in the logs too. A missing api.log fails: the
# stack did not run, so nothing was proven.
set -euo pipefail
dir="${1:?usage: check-logs.sh LOG_DIR}"
[[ -f "${dir}/api.log" ]] || { echo "no ${dir}/api.log: the stack did not run" >&2; exit 1; }
pattern='^==[0-9]+==(ERROR|WARNING): (Address|Leak)Sanitizer|^SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|: runtime error: '
rc=0
for log in "${dir}"/api*.log "${dir}"/worker*.log "${dir}"/admin*.log; do
  [[ -f "${log}" ]] || continue
  if grep -Eq "${pattern}" "${log}"; then
    echo "sanitizer report in ${log}:" >&2
    grep -E -A30 "${pattern}" "${log}" | head -n 80 >&2
    rc=1
  fi
done
if ((rc == 0)); then
  echo "no sanitizer report in ${dir}/{api,worker,admin}*.log"
fi
exit "${rc}"
