#!/usr/bin/env bash
# What of deploy/docker/*.Dockerfile can run without a Docker engine, run on this Debian 12 host
# with the Dockerfiles' own text:
#   - the build-package extraction (the sed over scripts/debian-packages.txt) yields the build
#     tools and -dev packages, each one known to apt;
#   - the configure step (cmake --preset default with the Dockerfile's -D flags) succeeds and
#     defines every --target the Dockerfile builds;
#   - the runtime-package step (ldd + dpkg -S) maps a built binary to installed packages.
# Usage: dockerfile_test.sh WORKDIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?WORKDIR}"
rm -rf "${work}" && mkdir -p "${work}"
cd "${root}"
command -v cmake >/dev/null && command -v ninja >/dev/null || { echo "SKIP: cmake/ninja missing"; exit 77; }
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

for image in api worker; do
  df="${root}/deploy/docker/${image}.Dockerfile"
  # 1. The package list, with the Dockerfile's sed expression.
  expr="$(grep -o "sed -n '[^']*' /tmp/debian-packages.txt" "${df}" | head -n 1 | sed -E "s/^sed -n '([^']*)'.*/\1/")"
  [[ -n "${expr}" ]] || { fail "${image}: no package extraction found"; continue; }
  mapfile -t pkgs < <(sed -n "${expr}" "${root}/scripts/debian-packages.txt" | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$')
  # A here-string, not `printf | grep -q`: under pipefail grep's early exit at the first match
  # can SIGPIPE printf and fail the pipeline (CI failed on exactly that, for build-essential).
  pkg_lines="$(printf '%s\n' "${pkgs[@]}")"
  for want in build-essential cmake ninja-build pkg-config; do
    grep -qx "${want}" <<<"${pkg_lines}" && ok "${image}: build stage installs ${want}" || fail "${image}: ${want} not in the build packages"
  done
  for unwanted in postgresql-15 rabbitmq-server radosgw nginx prometheus; do
    grep -qx "${unwanted}" <<<"${pkg_lines}" && fail "${image}: service ${unwanted} would be installed in the build stage" || true
  done
  if command -v apt-cache >/dev/null; then
    unknown="$(apt-cache policy "${pkgs[@]}" 2>/dev/null | awk '/^[^ ]/{p=$1} /Candidate: \(none\)/{print p}' | tr -d ':' | tr '\n' ' ')"
    [[ -z "${unknown}" ]] && ok "${image}: all ${#pkgs[@]} build packages known to apt" || fail "${image}: no apt candidate for ${unknown}"
  fi

  # 2. The configure step with the Dockerfile's flags, then its targets.
  flags="$(grep -o 'cmake --preset default[^&]*' "${df}" | head -n 1 | sed -E 's/^cmake --preset default//; s/[[:space:]\\]+$//')"
  eval "set -- ${flags}"
  if cmake --preset default -B "${work}/${image}" "$@" >"${work}/${image}-configure.log" 2>&1; then
    ok "${image}: cmake --preset default ${flags} configures"
  else
    tail -n 20 "${work}/${image}-configure.log"; fail "${image}: configure failed"; continue
  fi
  targets="$(ninja -C "${work}/${image}" -t targets all 2>/dev/null)"
  for t in $(grep -o -- '--target [a-z -]*' "${df}" | head -n 1 | sed 's/--target //'); do
    grep -q "^${t}: phony" <<<"${targets}" && ok "${image}: target ${t} defined" || fail "${image}: target ${t} missing"
  done
done

# 3. The runtime-package pipeline on any binary already built in this checkout.
bin="$(find "${root}" -maxdepth 4 -path '*/src/bin/ascension-api' -type f -perm -u+x 2>/dev/null | head -n 1)"
if [[ -n "${bin}" ]] && command -v dpkg >/dev/null; then
  pipeline="$(sed -n '/^RUN for b in \/out\/bin\/\*; do ldd/,/> \/out\/runtime-packages.txt/p' "${root}/deploy/docker/api.Dockerfile" |
    awk '{ if (sub(/\\$/, "")) printf "%s", $0; else print }' |
    sed -e 's/^RUN //' -e 's#/out/bin/\*#"$1"#' -e 's#> /out/runtime-packages.txt.*#> "$2"#')"
  bash -c "set -o pipefail; ${pipeline}" _ "${bin}" "${work}/runtime-packages.txt"
  n="$(grep -c . "${work}/runtime-packages.txt" || true)"
  ((n > 5)) && ok "runtime packages of ${bin#"${root}"/}: ${n} ($(head -c 120 <"${work}/runtime-packages.txt" | tr '\n' ' ')...)" || fail "runtime package list has ${n} entries"
  grep -qx libpq5 "${work}/runtime-packages.txt" && ok "libpq5 among them" || fail "libpq5 not found by the pipeline"
  missing="$(xargs -a "${work}/runtime-packages.txt" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>&1 | grep -v '^ii' || true)"
  [[ -z "${missing}" ]] && ok "every runtime package is a real installed package" || fail "unknown packages: ${missing}"
else
  echo "note: no built ascension-api in this checkout; runtime-package step not exercised"
fi
echo "${fails} failure(s)"
exit $((fails > 0))
