#!/usr/bin/env bash
# Checks deploy/nginx/nginx.conf with the real nginx binary, rendered into a scratch prefix by
# scripts/ops/render-nginx-conf.sh (self-signed certificate, upstreams on 127.0.0.1).
#   nginx_test.sh syntax WORKDIR     nginx -t on the rendered file
#   nginx_test.sh behaviour WORKDIR  runs it in front of two stand-in API instances (fake_api.py)
#                                    and checks routing, TLS, redirect, headers, access rules and
#                                    rate limits over real HTTP
# Exit 77 (skipped) when nginx, or python3 for the behaviour check, is missing.
set -euo pipefail

mode="$1" work="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
render="${root}/scripts/ops/render-nginx-conf.sh"

NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "${NGINX}" ]] || { echo "SKIP: nginx not installed"; exit 77; }

fails=0
check() { # check LABEL EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi
}
check_match() { # check_match LABEL REGEX TEXT
  if [[ "$3" =~ $2 ]]; then echo "ok   $1"; else echo "FAIL $1: '$3' does not match /$2/"; fails=$((fails + 1)); fi
}

rm -rf "${work}"
mkdir -p "${work}"

if [[ "${mode}" == syntax ]]; then
  "${render}" --prefix "${work}/prefix" --self-signed >/dev/null
  "${NGINX}" -t -q -p "${work}/prefix" -c "${work}/prefix/nginx.conf" -e "${work}/prefix/logs/error.log"
  echo "ok   nginx -t on the rendered deploy/nginx/nginx.conf"
  # The production file itself names what compose mounts and provides.
  for want in 'server api-1:8080' 'server api-2:8080' 'least_conn' 'keepalive 64' 'limit_req_status 429' \
      'rate=100r/m' 'ssl_certificate /etc/nginx/ssl/fullchain.pem' 'return 301 https://' \
      'location = /v1/ws' 'location /api/' 'Strict-Transport-Security' 'X-Forwarded-Proto'; do
    grep -qF -- "${want}" "${root}/deploy/nginx/nginx.conf" || { echo "FAIL nginx.conf lacks '${want}'"; fails=$((fails + 1)); }
  done
  # No `return` in a location guarded by allow/deny (it would run before the access check).
  if awk '/location = \/(metrics|ready|nginx_status)/{inloc=1} inloc && /return /{bad=1} inloc && /^        }/{inloc=0} END{exit !bad}' \
      "${root}/deploy/nginx/nginx.conf"; then
    echo "FAIL a return inside an allow/deny location"; fails=$((fails + 1))
  fi
  exit $((fails > 0))
fi

[[ "${mode}" == behaviour ]] || { echo "usage: $0 syntax|behaviour WORKDIR" >&2; exit 2; }
PY="$(command -v python3 || true)"
[[ -n "${PY}" ]] || { echo "SKIP: python3 not installed"; exit 77; }

# A free port in 20000-39999: outside the kernel's ephemeral range and the stacks' fixed ports, so
# that a stack starting beside this test never finds its port taken.
free_port() {
  "${PY}" -c '
import random, socket
for _ in range(200):
    p = random.randint(20000, 39999)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
'
}
p1="$(free_port)" p2="$(free_port)" p3="$(free_port)" ph="$(free_port)" ps="$(free_port)" pst="$(free_port)"
pids=()
prefix="${work}/prefix"
cleanup() {
  [[ -f "${prefix}/nginx.pid" ]] && kill -QUIT "$(cat "${prefix}/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "${p}" 2>/dev/null || true; done
}
trap cleanup EXIT

"${PY}" "${here}/fake_api.py" "${p1}" api-1 & pids+=("$!")
"${PY}" "${here}/fake_api.py" "${p2}" api-2 & pids+=("$!")
"${PY}" "${here}/fake_api.py" "${p3}" s3 & pids+=("$!")
# 127.0.0.1 plays the edge: X-Forwarded-For from it is believed, so a request can come "from" a
# public or a private client address.
# A built web client stand-in: its page and one hashed asset.
mkdir -p "${work}/web/assets"
echo '<!doctype html><title>web client</title>' >"${work}/web/index.html"
echo 'console.log("app")' >"${work}/web/assets/index-abc123.js"
"${render}" --prefix "${prefix}" --self-signed --api "127.0.0.1:${p1}" --api "127.0.0.1:${p2}" --s3 "127.0.0.1:${p3}" \
  --http-port "${ph}" --https-port "${ps}" --status-port "${pst}" --trust-xff-from 127.0.0.1 \
  --web-root "${work}/web" --storage-origin "https://s3.example.test" >/dev/null
"${NGINX}" -p "${prefix}" -c "${prefix}/nginx.conf" -e "${prefix}/logs/error.log"
for _ in $(seq 1 50); do
  curl -sk -o /dev/null "https://127.0.0.1:${ps}/health" && curl -s -o /dev/null "http://127.0.0.1:${p2}/x" && break
  sleep 0.1
done

base="https://127.0.0.1:${ps}"
c() { curl -sk --max-time 5 "$@"; }
client=203.0.113.1 # each check below uses its own client address so the rate limits stay apart

# TLS, HTTP/2 and both instances behind least_conn.
check "HTTPS answers 200 on /v1/" 200 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: ${client}" "${base}/v1/users/me")"
check "HTTP/2 negotiated" 2 "$(c -o /dev/null -w '%{http_version}' -H "X-Forwarded-For: ${client}" "${base}/v1/users/me")"
seen=""
for i in 1 2 3 4 5 6; do
  seen+="$(c -D - -o /dev/null -H "X-Forwarded-For: 203.0.113.2" "${base}/v1/a" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-instance"{print $2}') "
done
check_match "both API instances reached" 'api-1' "${seen}"
check_match "both API instances reached" 'api-2' "${seen}"

# Redirect to HTTPS keeps the path.
check "HTTP redirects to HTTPS" "301 https://127.0.0.1:${ps}/v1/x?y=1" \
  "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:${ph}/v1/x?y=1")"

# Headers towards the API and towards the client.
body="$(c -H "X-Forwarded-For: 203.0.113.3" "${base}/v1/echo")"
check_match "X-Forwarded-For ends with the client" '"x_forwarded_for": "([^"]*, )?203\.0\.113\.3"' "${body}"
check_match "X-Real-IP is the client" '"x_real_ip": "203\.0\.113\.3"' "${body}"
check_match "X-Forwarded-Proto https" '"x_forwarded_proto": "https"' "${body}"
check_match "X-Request-Id set by nginx" '"x_request_id": "[0-9a-f]{32}"' "${body}"
check_match "upstream keepalive (empty Connection)" '"connection": (null|"")' "${body}"
headers="$(c -D - -o /dev/null -H "X-Forwarded-For: 203.0.113.3" "${base}/v1/echo" | tr -d '\r' | tr 'A-Z' 'a-z')"
for h in 'strict-transport-security: max-age=' 'x-content-type-options: nosniff' 'x-frame-options: deny' 'referrer-policy: '; do
  check_match "security header ${h%%:*}" "${h}" "${headers}"
done

# /api/ prefix of the production document reaches /v1.
check_match "/api/v1/X -> /v1/X" '"path": "/v1/users/me"' "$(c -H "X-Forwarded-For: 203.0.113.4" "${base}/api/v1/users/me")"
check_match "/api/X -> /v1/X" '"path": "/v1/analyses"' "$(c -H "X-Forwarded-For: 203.0.113.4" "${base}/api/analyses")"
check "unknown path 404 without reaching the API" 404 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 203.0.113.4" "${base}/wp-login.php")"

# The web client: its page at / and for client routes (revalidated, with its CSP), hashed assets
# immutable, a missing asset a 404; none of it reaches the API.
for path in / /history /analyses/7f0c6a4e-0000-4000-8000-000000000000; do
  page="$(c -D - -H "X-Forwarded-For: 203.0.113.6" "${base}${path}" | tr -d '\r')"
  check_match "web client page at ${path}" '<title>web client</title>' "${page}"
  check_match "web client page ${path} revalidated" '(C|c)ache-(C|c)ontrol: no-cache' "${page}"
  check_match "web client page ${path} CSP with the storage origin" "connect-src 'self' https://s3\.example\.test;" "${page}"
  if [[ "${page}" =~ (X|x)-(I|i)nstance ]]; then check "web client page ${path} not from the API" no yes; fi
done
asset="$(c -D - -H "X-Forwarded-For: 203.0.113.6" "${base}/assets/index-abc123.js" | tr -d '\r')"
check_match "hashed asset served" 'console.log\("app"\)' "${asset}"
check_match "hashed asset immutable" 'max-age=31536000, immutable' "${asset}"
check "missing asset 404" 404 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 203.0.113.6" "${base}/assets/index-old.js")"

# WebSocket upgrade through nginx (HTTP/1.1).
ws="$(curl -sk --http1.1 --max-time 2 -D - -o /dev/null -H "X-Forwarded-For: 203.0.113.5" \
  -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "${base}/v1/ws" 2>/dev/null | tr -d '\r' || true)"
check_match "WebSocket upgrade 101" '^HTTP/1.1 101' "${ws}"
check_match "WebSocket accept key passed back" 's3pPLMBiTxaQ9kYGzzhZRbK\+xOo=' "${ws}"

# /metrics and /ready: private networks only.
check "/metrics from a public address refused" 403 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 198.51.100.7" "${base}/metrics")"
check "/ready from a public address refused" 403 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 198.51.100.7" "${base}/ready")"
check "/metrics from 10/8 allowed" 200 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 10.1.2.3" "${base}/metrics")"
check "/metrics from 172.16/12 allowed" 200 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 172.20.0.5" "${base}/metrics")"
check_match "stub_status for the exporter" 'Active connections' "$(curl -s --max-time 5 "http://127.0.0.1:${pst}/nginx_status")"
check "/health public" 200 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 198.51.100.7" "${base}/health")"

# 100 requests/minute per IP (burst 20): a fast run of 40 from one address meets 429s, with the
# API's JSON error and Retry-After; another address is unaffected.
codes=""
t0="$(date +%s%N)"
for i in $(seq 1 40); do codes+="$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 192.0.2.10" "${base}/v1/a") "; done
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
ok200="$(grep -o 200 <<<"${codes}" | wc -l)" n429="$(grep -o 429 <<<"${codes}" | wc -l)"
check "burst allowance then 429 (200s+429s=40)" 40 "$((ok200 + n429))"
# 1 + burst 20 at once, plus one more per 600 ms the loop took (the rate refills meanwhile).
max200=$((21 + elapsed_ms / 600 + 1))
check "at least 21 and at most ${max200} answered 200 (burst 20, 100/min)" 1 "$(( ok200 >= 21 && ok200 <= max200 ))"
check "the rest refused with 429" 1 "$(( n429 >= 40 - max200 && n429 > 0 ))"
# The first 429 of a fresh burst, whatever the machine's speed.
r429=""
for i in $(seq 1 60); do
  r429="$(c -D - -H "X-Forwarded-For: 192.0.2.12" "${base}/v1/a" | tr -d '\r')"
  [[ "${r429}" == HTTP/2\ 429* ]] && break
done
check_match "429 body is the API's error JSON" '"code":"rate_limited"' "${r429}"
check_match "429 carries Retry-After" '(R|r)etry-(A|a)fter: [0-9]+' "${r429}"
check "another client still served" 200 "$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 192.0.2.11" "${base}/v1/a")"
# Login is stricter: 10/min with burst 5.
codes=""
for i in $(seq 1 10); do codes+="$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 192.0.2.20" "${base}/v1/auth/login") "; done
check_match "login limited after 1 + burst 5 (10/min)" '^(200 ){6,7}429' "${codes}"

# The S3 server: presigned URLs are signed for the Host, which must reach S3 unchanged; video-sized
# bodies pass there, while the API's server refuses them.
s3="https://s3.ascension.app:${ps}"
dd if=/dev/zero of="${work}/video.bin" bs=1M count=5 status=none
s3put="$(c --resolve "s3.ascension.app:${ps}:127.0.0.1" -X PUT --data-binary @"${work}/video.bin" -H "X-Forwarded-For: 203.0.113.9" "${s3}/ascension-production/uploads/u/v.mp4?X-Amz-Signature=abc")"
check_match "S3 host proxied to the S3 service" '"instance": "s3"' "${s3put}"
check_match "S3 sees the Host the URL was signed for" "\"host\": \"s3.ascension.app:${ps}\"" "${s3put}"
check_match "5 MB upload streamed through" '"received": 5242880' "${s3put}"
check_match "S3 query string (signature) kept" '"path": "/ascension-production/uploads/u/v.mp4\?X-Amz-Signature=abc"' "${s3put}"
r413="$(c -w ' %{http_code}' -X PUT --data-binary @"${work}/video.bin" -H "X-Forwarded-For: 203.0.113.9" "${base}/v1/videos")"
check_match "5 MB body refused on the API host: 413 with a JSON error" '"code":"payload_too_large".* 413$' "${r413}"

# One instance gone: nginx moves requests to the other, none lost.
kill "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
lost=0
for i in $(seq 1 10); do
  code="$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 203.0.113.$((100 + i))" "${base}/v1/a")"
  [[ "${code}" == 200 ]] || lost=$((lost + 1))
done
check "no request lost with api-1 down" 0 "${lost}"

# JSON access log lines.
line="$(tail -n 1 "${prefix}/logs/access.log")"
check_match "access log is JSON with request_id and status" '^\{"ts":.*"request_id":"[0-9a-f]{32}".*"status":[0-9]{3}' "${line}"
if [[ -n "${PY}" ]]; then
  "${PY}" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "${prefix}/logs/access.log" &&
    echo "ok   every access log line parses as JSON" || { echo "FAIL access log not JSON"; fails=$((fails + 1)); }
fi

echo "${fails} failure(s)"
exit $((fails > 0))
