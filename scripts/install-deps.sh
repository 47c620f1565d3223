#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/debian-packages.txt that are missing, and npm when
# no npm command exists. Idempotent and quiet; when nothing is missing it only asks dpkg (well
# under a second) and never touches the network.
set -euo pipefail

list="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/debian-packages.txt"
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "${list}" | grep -v '^$')

# Packages dpkg does not report as installed ("install ok installed").
missing=()
installed="$(dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null || true)"
for p in "${wanted[@]}"; do
  grep -qE "^${p}(:[a-z0-9]+)?"$'\t'"ii" <<<"${installed}" || missing+=("${p}")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-deps: missing packages (${missing[*]}) and not root; install them as root" >&2
    exit 1
  fi
else
  sudo=()
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "${log}"' EXIT
if ! "${sudo[@]}" apt-get update -qq >"${log}" 2>&1; then
  cat "${log}" >&2
  echo "install-deps: apt-get update failed" >&2
  exit 1
fi
# Package installs must not start services: ./ascension runs its own copies on its own ports.
policy_added=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  policy_added=1
fi
rc=0
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >"${log}" 2>&1 || rc=$?
((policy_added)) && "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
if ((rc != 0)); then
  tail -n 40 "${log}" >&2
  echo "install-deps: apt-get install failed (exit ${rc})" >&2
  exit 1
fi
echo "install-deps: done"
