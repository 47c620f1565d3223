#!/usr/bin/env bash
# Checks against the production profile (ASCENSION_PROFILE=production ./ascension up), brought up
# by the `production` fixture of testsuite/production/CMakeLists.txt: nginx (HTTPS, self-signed) in
# front of two API instances, the PostgreSQL streaming replica, Prometheus with the alert rules.
#
# Usage: production_test.sh scraped|balance|websocket|metrics|ratelimit|failover|prometheus|replica|storage
# Environment: ASCENSION_HOME (the fixture's stack), ASCENSION_CLI (./ascension).
# nginx believes X-Forwarded-For from 127.0.0.1 in this stack (ASCENSION_NGINX_TRUST_XFF_FROM), so
# a request with X-Forwarded-For: 203.0.113.N plays a client at that public address; each check
# uses its own address so that nginx's per-IP rate limit of one does not spill into another.
set -euo pipefail
: "${ASCENSION_HOME:?run through ctest (the production fixture sets ASCENSION_HOME)}"
cli="${ASCENSION_CLI:?}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
set -a
# shellcheck disable=SC1091
source "${ASCENSION_HOME}/env"
set +a
[[ "${ASCENSION_PROFILE:-}" == production ]] || { echo "FAIL: ${ASCENSION_HOME} is not a production-profile stack"; exit 1; }
base="https://127.0.0.1:${ASCENSION_HTTPS_PORT}"
PY="$(command -v /usr/bin/python3 || command -v python3)"
fails=0
check() { if [[ "$2" == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi; }
finish() { echo "${fails} failure(s)"; exit $((fails > 0)); }
ck() { curl -sk --http1.1 --max-time 10 "$@"; }
pg_sql() { # PORT SQL
  PGPASSWORD="$(sed -n 's#^export DATABASE_URL=postgresql://ascension:\([^@]*\)@.*#\1#p' "${ASCENSION_HOME}/env")" \
    psql -X -qAt -h 127.0.0.1 -p "$1" -U ascension -d ascension -c "$2"
}
# register XFF: a new user through nginx; prints "email token".
register() {
  local u out
  u="prod$(date +%s%N | tail -c 9)${RANDOM}"
  out="$(ck -H "X-Forwarded-For: $1" -H 'Content-Type: application/json' \
    -d "{\"username\":\"${u}\",\"email\":\"${u}@example.com\",\"password\":\"Correct-Horse-9-Battery\"}" \
    "${base}/v1/auth/register")"
  printf '%s@example.com %s\n' "${u}" "$("${PY}" -c 'import sys,json; print(json.load(sys.stdin)["access_token"])' <<<"${out}" 2>/dev/null || echo "-")"
}

case "${1:-}" in
  balance)
    # HTTPS through nginx; least_conn over the two instances: both answer within 20 requests.
    check "TLS answer through nginx" 200 "$(ck -o /dev/null -w '%{http_code}' "${base}/health")"
    # (After the failover check nginx may still hold api-2 as failed for its fail_timeout, 10 s:
    # a window of 20 requests is tried again for up to 20 s.)
    for _ in $(seq 1 20); do
      seen="$(for _ in $(seq 1 20); do ck -D - -o /dev/null "${base}/health" | tr -d '\r' | sed -n 's/^[Xx]-[Ii]nstance: //p'; done | sort | uniq -c)"
      [[ "$(awk '{print $2}' <<<"${seen}" | sort | xargs)" == "api-1 api-2" ]] && break
      sleep 1
    done
    echo "${seen}"
    check "both API instances reached" "api-1 api-2" "$(awk '{print $2}' <<<"${seen}" | sort | xargs)"
    check "HTTP redirects to HTTPS" "301 https://127.0.0.1:${ASCENSION_HTTPS_PORT}/v1/x" \
      "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:${ASCENSION_HTTP_PORT}/v1/x")"
    check "security header (HSTS)" 1 "$(ck -D - -o /dev/null "${base}/health" | grep -ci '^strict-transport-security:')"
    ;;
  websocket)
    read -r _ token < <(register 203.0.113.21)
    [[ "${token}" != - ]] || { echo "FAIL could not register a user through nginx"; exit 1; }
    # The handshake only: curl prints the 101 and its headers, then waits on the open socket.
    head="$(ck -i -N --max-time 4 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
      -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H "Authorization: Bearer ${token}" \
      -H 'X-Forwarded-For: 203.0.113.21' "${base}/v1/ws" 2>/dev/null | tr -d '\r' || true)"
    check "WebSocket upgrade through nginx" "HTTP/1.1 101 Switching Protocols" "$(head -n 1 <<<"${head}")"
    check "Sec-WebSocket-Accept (RFC 6455 sample key)" "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" \
      "$(sed -n 's/^[Ss]ec-[Ww]eb[Ss]ocket-[Aa]ccept: //p' <<<"${head}")"
    check "no upgrade without a token" 401 "$(ck -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' \
      -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
      -H 'X-Forwarded-For: 203.0.113.21' "${base}/v1/ws")"
    ;;
  metrics)
    check "/metrics from a public address: 403" 403 "$(ck -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "${base}/metrics")"
    check "/ready from a public address: 403" 403 "$(ck -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "${base}/ready")"
    check "/metrics from a private address: 200" 200 "$(ck -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 10.1.2.3' "${base}/metrics")"
    check "/metrics from loopback: 200" 200 "$(ck -o /dev/null -w '%{http_code}' "${base}/metrics")"
    ;;
  ratelimit)
    # 100 r/min with a burst of 20 answered at once: 40 quick requests from one address get 429s,
    # from nginx itself (its JSON body, Retry-After: 60, no X-Instance of an API instance).
    # One curl, one kept-alive connection: the 40 requests leave within a fraction of a second even
    # on a loaded machine (40 separate TLS handshakes took long enough for the bucket to refill).
    burst=()
    for _ in $(seq 1 40); do burst+=(-o /dev/null "${base}/v1/does-not-matter"); done
    codes="$(ck -w '%{http_code}\n' -H 'X-Forwarded-For: 203.0.113.40' "${burst[@]}" | sort | uniq -c)"
    echo "${codes}"
    n429="$(awk '$2 == 429 {print $1}' <<<"${codes}")"
    check "nginx answers 429 after the burst" 1 "$(( ${n429:-0} >= 15 ))"
    hdr="$(ck -D - -o /dev/null -H 'X-Forwarded-For: 203.0.113.40' "${base}/v1/does-not-matter" | tr -d '\r')"
    check "429 comes from nginx (Retry-After: 60)" 1 "$(grep -c '^[Rr]etry-[Aa]fter: 60$' <<<"${hdr}")"
    check "429 comes from nginx (no X-Instance)" 0 "$(grep -ci '^x-instance:' <<<"${hdr}" || true)"
    check "another address is not limited" 200 "$(ck -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.41' "${base}/health")"
    ;;
  failover)
    # 200 sequential requests while api-2 stops: nginx retries a refused connection on api-1.
    trap '"${cli}" start api-2 >/dev/null 2>&1 || true' EXIT
    out="$(mktemp)"
    ( for _ in $(seq 1 200); do ck -o /dev/null -w '%{http_code} %header{x-instance}\n' "${base}/health"; done >"${out}" ) &
    loader=$!
    sleep 0.3
    "${cli}" stop api-2
    wait "${loader}"
    sort "${out}" | uniq -c
    check "200 requests answered while api-2 stopped" 200 "$(wc -l <"${out}" | tr -d ' ')"
    check "all of them 200" 200 "$(grep -c '^200 ' "${out}" || true)"
    # The stop happened while they flowed: api-2 answered some of the first ones, none of the last.
    check "api-2 answered before its stop" 1 "$(( $(head -n 20 "${out}" | grep -c ' api-2$' || true) > 0 ))"
    check "api-1 alone answered the last 20" 20 "$(tail -n 20 "${out}" | grep -c ' api-1$' || true)"
    rm -f "${out}"
    check "api-2 is down now" "" "$(curl -s -o /dev/null --max-time 2 "http://127.0.0.1:${API2_PORT}/health" && echo up || true)"
    "${cli}" start api-2
    trap - EXIT
    check "api-2 back" 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:${API2_PORT}/ready")"
    # nginx sends to it again once its fail_timeout (10 s) has passed.
    back=""
    for _ in $(seq 1 60); do
      back="$(ck -D - -o /dev/null "${base}/health" | tr -d '\r' | sed -n 's/^[Xx]-[Ii]nstance: //p')"
      [[ "${back}" == api-2 ]] && break
      sleep 0.5
    done
    check "nginx routes to api-2 again" api-2 "${back}"
    ;;
  scraped)
    # Run the moment `up` returns, once, without waiting: every target already scraped and up.
    state="$(curl -s "http://127.0.0.1:${ASCENSION_PROMETHEUS_PORT}/api/v1/targets" | "${PY}" -c 'import sys,json; t=json.load(sys.stdin)["data"]["activeTargets"]; print(" ".join(sorted(x["labels"]["job"]+"@"+x["labels"]["instance"]+"="+x["health"] for x in t)))' 2>/dev/null || true)"
    tr ' ' '\n' <<<"${state}"
    check "targets listed when up returns" 1 "$(( $(wc -w <<<"${state}") > 0 ))"
    check "every target scraped and up when up returns" 0 "$(tr ' ' '\n' <<<"${state}" | grep -vc '=up$' || true)"
    ;;
  prometheus)
    api="http://127.0.0.1:${ASCENSION_PROMETHEUS_PORT}/api/v1"
    state=""
    for _ in $(seq 1 90); do
      state="$(curl -s "${api}/targets" | "${PY}" -c 'import sys,json; t=json.load(sys.stdin)["data"]["activeTargets"]; print(" ".join(sorted(x["labels"]["job"]+"@"+x["labels"]["instance"]+"="+x["health"] for x in t)))' 2>/dev/null || true)"
      [[ -n "${state}" && "${state}" != *"=unknown"* && "${state}" != *"=down"* ]] && break
      sleep 0.5
    done
    tr ' ' '\n' <<<"${state}"
    check "every target up" 0 "$(tr ' ' '\n' <<<"${state}" | grep -vc '=up$' || true)"
    check "both API instances scraped" 2 "$(tr ' ' '\n' <<<"${state}" | grep -c '^ascension-api@.*=up$' || true)"
    check "both PostgreSQL exporters scraped" 2 "$(tr ' ' '\n' <<<"${state}" | grep -c '^postgres@.*=up$' || true)"
    # The replica's lag as the ReplicationLag alert reads it, and its role as ReplicaNotInRecovery does.
    q() { curl -s --get "${api}/query" --data-urlencode "query=$1" | "${PY}" -c 'import sys,json; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'; }
    lag=none
    for _ in $(seq 1 40); do lag="$(q 'pg_replication_lag_seconds{role="replica"}')"; [[ "${lag}" != none ]] && break; sleep 0.5; done
    check "replica lag in Prometheus (pg_replication_lag_seconds, < 60 s)" 1 "$("${PY}" -c "import sys; v=sys.argv[1]; print(int(v != 'none' and 0 <= float(v) < 60))" "${lag}")"
    check "replica role in Prometheus (pg_replication_is_replica)" "1 0" \
      "$(q 'pg_replication_is_replica{role="replica"}') $(q 'pg_replication_is_replica{role="primary"}')"
    for job in prometheus ascension-worker rabbitmq; do
      check "job ${job} up" 1 "$(tr ' ' '\n' <<<"${state}" | grep -c "^${job}@.*=up$" || true)"
    done
    want="$(grep -c '^ *- alert:' "${root}/deploy/prometheus/alerts.yml")"
    rules="$(curl -s "${api}/rules" | "${PY}" -c '
import sys, json
r = [x for g in json.load(sys.stdin)["data"]["groups"] for x in g["rules"]]
print(len([x for x in r if x["type"] == "alerting"]), len([x for x in r if x["health"] == "err"]))')"
    read -r loaded errs <<<"${rules}"
    check "all ${want} alert rules loaded" "${want}" "${loaded}"
    check "no rule in error" 0 "${errs}"
    ;;
  storage)
    # Presigned URLs are signed for S3_PUBLIC_ENDPOINT (nginx's s3.* server, TLS) while the API
    # itself talks to the store directly (MINIO_ENDPOINT): a phone uploads and plays through nginx.
    public="https://s3.ascension.app:${ASCENSION_HTTPS_PORT}"
    check "S3_PUBLIC_ENDPOINT is nginx's s3 server" "${public}" "${S3_PUBLIC_ENDPOINT:-}"
    check "the API reaches the store directly" "http://127.0.0.1:${ASCENSION_S3_PORT}" "${MINIO_ENDPOINT}"
    read -r _ token < <(register 203.0.113.70)
    [[ "${token}" != - ]] || { echo "FAIL could not register a user through nginx"; exit 1; }
    auth=(-H "Authorization: Bearer ${token}" -H 'X-Forwarded-For: 203.0.113.70')
    out="$(ck "${auth[@]}" -H 'Content-Type: application/json' -d '{"filename":"climb.mp4"}' "${base}/v1/videos/upload-url")"
    url="$("${PY}" -c 'import sys,json; print(json.load(sys.stdin)["upload_url"])' <<<"${out}" 2>/dev/null || echo -)"
    vid="$("${PY}" -c 'import sys,json; print(json.load(sys.stdin)["video_id"])' <<<"${out}" 2>/dev/null || echo -)"
    check "upload URL signed for the public address" "${public}/" "${url:0:$((${#public} + 1))}"
    s3ck() { curl -s --http1.1 --max-time 20 --cacert "${ASCENSION_HOME}/nginx/ssl/fullchain.pem" \
      --resolve "s3.ascension.app:${ASCENSION_HTTPS_PORT}:127.0.0.1" "$@"; }
    body="climb-through-nginx-$(date +%s%N)"
    check "PUT through nginx (TLS, certificate verified)" 200 \
      "$(s3ck -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: video/mp4' --data-binary "${body}" "${url}")"
    # From a public address nginx refuses the directive itself; from inside, the store's bucket
    # policy does.
    for who in 203.0.113.70 127.0.0.1; do
      check "a copy directive through nginx is refused (client ${who})" 403 \
        "$(s3ck -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: video/mp4' -H "X-Forwarded-For: ${who}" \
          -H 'x-amz-copy-source: /ascension/uploads/x/y.mp4' --data-binary x "${url}")"
    done
    check "nginx names the refusal" 1 "$(s3ck -X PUT -H 'Content-Type: video/mp4' -H 'X-Forwarded-For: 203.0.113.70' \
      -H 'x-amz-acl: public-read' --data-binary x "${url}" | grep -c 'not accepted on presigned requests')"
    show="$(ck "${auth[@]}" "${base}/v1/videos/${vid}")"
    play="$("${PY}" -c 'import sys,json; print(json.load(sys.stdin)["playback_url"] or "-")' <<<"${show}" 2>/dev/null || echo -)"
    check "the API saw the upload (HEAD on the internal endpoint)" uploaded \
      "$("${PY}" -c 'import sys,json; print(json.load(sys.stdin)["status"])' <<<"${show}" 2>/dev/null || echo -)"
    check "playback URL signed for the public address" "${public}/" "${play:0:$((${#public} + 1))}"
    check "playback through nginx returns the bytes" "${body}" "$(s3ck "${play}")"
    ;;
  replica)
    check "the replica is a standby" t "$(pg_sql "${ASCENSION_PG_REPLICA_PORT}" 'SELECT pg_is_in_recovery()')"
    check "the primary is not" f "$(pg_sql "${ASCENSION_PG_PORT}" 'SELECT pg_is_in_recovery()')"
    # (state and the LSN columns of pg_stat_replication are for superusers; the row is not)
    check "the primary has one WAL sender (the replica)" 1 "$(pg_sql "${ASCENSION_PG_PORT}" "SELECT count(*) FROM pg_stat_replication WHERE usename = 'replicator'")"
    check "the API instances read from it" "${ASCENSION_PG_REPLICA_PORT}" \
      "$(sed -n 's#^export DATABASE_READ_URL=postgresql://[^@]*@127.0.0.1:\([0-9]*\)/.*#\1#p' "${ASCENSION_HOME}/env")"
    read -r email token < <(register 203.0.113.60)
    [[ "${token}" != - ]] || { echo "FAIL could not register a user through nginx"; exit 1; }
    n=0
    for _ in $(seq 1 40); do
      n="$(pg_sql "${ASCENSION_PG_REPLICA_PORT}" "SELECT count(*) FROM users WHERE email = '${email}'")"
      [[ "${n}" == 1 ]] && break
      sleep 0.25
    done
    check "a user registered through nginx is on the replica" 1 "${n}"
    check "writes refused on the replica" 1 "$(pg_sql "${ASCENSION_PG_REPLICA_PORT}" "UPDATE users SET email = email WHERE false" 2>&1 | grep -c 'read-only transaction')"
    # /v1/users/me/stats is served from the read pool: after it, the API holds connections to the
    # replica (the only ascension sessions there besides this psql).
    check "a read through nginx" 200 "$(ck -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${token}" -H 'X-Forwarded-For: 203.0.113.60' "${base}/v1/users/me/stats")"
    check "the API's read pool is connected to the replica" 1 \
      "$(pg_sql "${ASCENSION_PG_REPLICA_PORT}" "SELECT (count(*) > 0)::int FROM pg_stat_activity WHERE usename = 'ascension' AND pid <> pg_backend_pid()")"
    # Lag, as a monitoring query sees it: the last replayed transaction's time and the byte lag.
    lag="$(pg_sql "${ASCENSION_PG_REPLICA_PORT}" "SELECT pg_last_xact_replay_timestamp() IS NOT NULL, COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), -1) < 60, pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) >= 0")"
    check "replica lag visible (replay timestamp, < 60 s, byte lag)" "t|t|t" "${lag}"
    # ... and exported by the replica's postgres_exporter, under production's metric names.
    m="$(curl -s --max-time 5 "http://127.0.0.1:${ASCENSION_PG_EXPORTER_REPLICA_PORT}/metrics")"
    check "exporter: pg_replication_is_replica 1" 1 "$(grep -cE '^pg_replication_is_replica(\{[^}]*\})? 1$' <<<"${m}" || true)"
    check "exporter: pg_replication_lag_seconds present" 1 "$(grep -cE '^pg_replication_lag_seconds(\{[^}]*\})? ' <<<"${m}" || true)"
    ;;
  *) echo "usage: $0 scraped|balance|websocket|metrics|ratelimit|failover|prometheus|replica" >&2; exit 2 ;;
esac
finish
