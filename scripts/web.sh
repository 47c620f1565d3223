#!/usr/bin/env bash
# The web client's npm steps, shared by ./ascension (install step) and CMake (build step).
#   scripts/web.sh install      npm ci in web/, skipped when node_modules matches package-lock.json
#   scripts/web.sh build OUT    install if needed, type-check, bundle with Vite into OUT, and
#                               write .gz variants of the text files (served to gzip clients)
set -euo pipefail

web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
stamp="${web}/node_modules/.ascension-lock.sha256"

die() { echo "web: $*" >&2; exit 1; }

install() {
  command -v npm >/dev/null || die "npm not found (scripts/install-deps.sh installs it)"
  local want have=""
  want="$(sha256sum "${web}/package-lock.json" | cut -d' ' -f1)"
  [[ -f "${stamp}" ]] && have="$(cat "${stamp}")"
  if [[ "${want}" == "${have}" && -d "${web}/node_modules" ]]; then return 0; fi
  echo "web: npm ci (web/package-lock.json changed or node_modules missing)"
  local log
  log="$(mktemp)"
  if ! (cd "${web}" && npm ci --no-audit --no-fund >"${log}" 2>&1); then
    tail -n 30 "${log}" >&2
    rm -f "${log}"
    die "npm ci failed in ${web}"
  fi
  rm -f "${log}"
  echo "${want}" >"${stamp}"
}

build() {
  local out="${1:?usage: web.sh build OUT}"
  install
  cd "${web}"
  npm run --silent typecheck || die "type errors in web/ (npm run typecheck)"
  WEB_OUT_DIR="${out}" npx --no-install vite build --logLevel warn || die "vite build failed"
  find "${out}" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) \
    -size +1k -exec gzip -9 -k -n -f {} +
}

case "${1:-}" in
  install) install ;;
  build) shift; build "$@" ;;
  *) echo "usage: scripts/web.sh install | build OUT" >&2; exit 2 ;;
esac
