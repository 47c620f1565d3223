#!/usr/bin/env bash
# Rewrites deploy/nginx/cloudflare-realip.conf from Cloudflare's published edge address lists.
# Usage: scripts/ops/update-cloudflare-ips.sh [OUTPUT]   (then reload nginx)
set -euo pipefail
out="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/nginx/cloudflare-realip.conf}"
tmp="$(mktemp)"
trap 'rm -f "${tmp}"' EXIT
{
  sed -n '1,/^set_real_ip_from/{/^set_real_ip_from/!p}' "${out}"
  for list in ips-v4 ips-v6; do
    curl -fsS --max-time 20 "https://www.cloudflare.com/${list}" | tr -d '\r' | grep -E '^[0-9a-fA-F:./]+$' |
      sed 's/^/set_real_ip_from /; s/$/;/'
  done
} >"${tmp}"
n="$(grep -c '^set_real_ip_from' "${tmp}")"
((n >= 10)) || { echo "update-cloudflare-ips: only ${n} ranges fetched; keeping ${out}" >&2; exit 1; }
mv "${tmp}" "${out}"
chmod 644 "${out}"
trap - EXIT
echo "update-cloudflare-ips: ${n} ranges written to ${out}"
