#!/usr/bin/env bash
# Renders deploy/nginx/nginx.conf for nginx running as a plain process (the local production
# profile, and the nginx -t test): upstream addresses, listen ports and every path (pid, logs, temp
# dirs, certificates) moved under one prefix directory, so nginx never writes outside it.
#
# Usage: scripts/ops/render-nginx-conf.sh --prefix DIR [--api HOST:PORT]... [--s3 HOST:PORT]
#          [--bind ADDR] [--http-port N] [--https-port N] [--self-signed] [--no-cloudflare]
#          [--source FILE]
#   --prefix DIR     output: DIR/nginx.conf, DIR/cloudflare-realip.conf, DIR/ssl, DIR/logs, DIR/tmp
#   --api HOST:PORT  an API instance (repeat; default 127.0.0.1:8080 and 127.0.0.1:8081)
#   --s3 HOST:PORT   the S3 endpoint behind the s3.* server (default 127.0.0.1:7480)
#   --bind ADDR      listen address (default 127.0.0.1); IPv6 listeners are dropped
#   --http-port N / --https-port N / --status-port N   (defaults 8088, 8443, 8089: the
#                    stub_status listener for nginx-prometheus-exporter)
#   --self-signed    create DIR/ssl/{fullchain,privkey}.pem (self-signed, CN localhost) if absent
#   --no-cloudflare  drop the Cloudflare real-IP include ($remote_addr is the TCP peer)
#   --trust-xff-from CIDR  instead of Cloudflare, believe X-Forwarded-For from CIDR (tests use
#                    127.0.0.1 to play a client from a public address)
#   --web-root DIR   the built web client (default <repo>/build/web)
#   --storage-origin URL  where presigned URLs point, for the web client's CSP
#                    (default https://s3.ascension.app, the file's own)
# Then: nginx -p DIR -c DIR/nginx.conf -e DIR/logs/error.log [-t | -g 'daemon off;']
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
src="${root}/deploy/nginx/nginx.conf"
prefix="" bind="127.0.0.1" http_port=8088 https_port=8443 status_port=8089 s3="127.0.0.1:7480"
apis=() self_signed=0 cloudflare=1 xff_from="" web_root="${root}/build/web" storage_origin=""

die() { echo "render-nginx-conf: $*" >&2; exit 1; }

while (($#)); do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --api) apis+=("$2"); shift 2 ;;
    --s3) s3="$2"; shift 2 ;;
    --bind) bind="$2"; shift 2 ;;
    --http-port) http_port="$2"; shift 2 ;;
    --https-port) https_port="$2"; shift 2 ;;
    --status-port) status_port="$2"; shift 2 ;;
    --self-signed) self_signed=1; shift ;;
    --no-cloudflare) cloudflare=0; shift ;;
    --trust-xff-from) cloudflare=0; xff_from="$2"; shift 2 ;;
    --source) src="$2"; shift 2 ;;
    --web-root) web_root="$2"; shift 2 ;;
    --storage-origin) storage_origin="$2"; shift 2 ;;
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ -n "${prefix}" ]] || die "--prefix DIR is required"
[[ -f "${src}" ]] || die "no ${src}"
((${#apis[@]})) || apis=(127.0.0.1:8080 127.0.0.1:8081)
for p in "${http_port}" "${https_port}" "${status_port}"; do [[ "${p}" =~ ^[0-9]+$ ]] || die "bad port ${p}"; done
for a in "${apis[@]}" "${s3}"; do [[ "${a}" =~ ^[A-Za-z0-9_.:-]+:[0-9]+$ ]] || die "bad HOST:PORT ${a}"; done
[[ "${web_root}" =~ ^/[A-Za-z0-9_./-]*$ ]] || die "--web-root must be an absolute path without spaces"
[[ -z "${storage_origin}" || "${storage_origin}" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
  die "--storage-origin must be scheme://host[:port]"

mkdir -p "${prefix}"
prefix="$(cd "${prefix}" && pwd)"
mkdir -p "${prefix}/ssl" "${prefix}/logs" "${prefix}/tmp" "${prefix}/www"

if ((self_signed)) && [[ ! -s "${prefix}/ssl/fullchain.pem" || ! -s "${prefix}/ssl/privkey.pem" ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,DNS:api.ascension.app,DNS:s3.ascension.app,IP:127.0.0.1" \
    -keyout "${prefix}/ssl/privkey.pem" -out "${prefix}/ssl/fullchain.pem" >/dev/null 2>&1 ||
    die "openssl could not create a self-signed certificate"
  chmod 600 "${prefix}/ssl/privkey.pem"
fi
cp "$(dirname "${src}")/cloudflare-realip.conf" "${prefix}/cloudflare-realip.conf"

api_lines=""
for a in "${apis[@]}"; do api_lines+="        server ${a} max_fails=3 fail_timeout=10s;"$'\n'; done
redirect_port=""
[[ "${https_port}" == 443 ]] || redirect_port=":${https_port}"

# The source is ours and regular: rewrite it line by line.
awk -v WR="${web_root}" -v SO="${storage_origin}" -v P="${prefix}" -v B="${bind}" -v H="${http_port}" -v S="${https_port}" -v ST="${status_port}" -v S3="${s3}" \
    -v APIS="${api_lines}" -v RP="${redirect_port}" -v CF="${cloudflare}" -v XFF="${xff_from}" '
  /^[[:space:]]*server api-[0-9]+:/ { if (!api_done) { printf "%s", APIS; api_done = 1 } next }
  /^[[:space:]]*server s3:9000;/ { print "        server " S3 ";"; next }
  /^[[:space:]]*listen \[::\]:/ { next }
  /^[[:space:]]*listen 8081;/ { sub(/listen 8081/, "listen " B ":" ST); print; next }
  /^[[:space:]]*listen 80[ ;]/ { sub(/listen 80/, "listen " B ":" H); print; next }
  /^[[:space:]]*listen 443[ ;]/ { sub(/listen 443/, "listen " B ":" S); print; next }
  /^[[:space:]]*include \/etc\/nginx\/cloudflare-realip.conf;/ {
    if (CF == 1) print "    include " P "/cloudflare-realip.conf;"
    else if (XFF != "") print "    set_real_ip_from " XFF ";"
    next }
  /^[[:space:]]*real_ip_header / {
    if (CF == 1) print; else if (XFF != "") print "    real_ip_header X-Forwarded-For;"
    next }
  /^[[:space:]]*root \/usr\/share\/nginx\/ascension-web;/ { print "        root " WR ";"; next }
  /Content-Security-Policy/ { if (SO != "") gsub(/https:\/\/s3\.ascension\.app/, SO) }
  /^pid / { print "pid " P "/nginx.pid;"; next }
  /^error_log / { print "error_log " P "/logs/error.log warn;"; next }
  /^[[:space:]]*access_log \/dev\/stdout/ { print "    access_log " P "/logs/access.log json;"; next }
  /return 301 https:\/\/\$host\$request_uri;/ { sub(/\$host\$request_uri/, "$host" RP "$request_uri") }
  { gsub(/\/etc\/nginx\/ssl\//, P "/ssl/"); gsub(/\/var\/www\/certbot/, P "/www") }
  { print }
  /^http \{/ {
    print "    client_body_temp_path " P "/tmp/body;"
    print "    proxy_temp_path " P "/tmp/proxy;"
    print "    fastcgi_temp_path " P "/tmp/fastcgi;"
    print "    uwsgi_temp_path " P "/tmp/uwsgi;"
    print "    scgi_temp_path " P "/tmp/scgi;"
  }
' "${src}" >"${prefix}/nginx.conf.tmp"
mv "${prefix}/nginx.conf.tmp" "${prefix}/nginx.conf"
echo "${prefix}/nginx.conf"
