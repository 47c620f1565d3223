# shellcheck shell=bash
# A single-node Ceph cluster serving S3 through radosgw: one mon, one bluestore OSD on a sparse
# file, one radosgw (beast on 127.0.0.1), each a plain foreground process owned by the stack.
# No cephx: that needs osd_class_update_on_start and osd_crush_update_on_start off and the OSD
# placed in the CRUSH map by hand (see shared notes/local-s3.md). Sourced by ./ascension.

ceph_paths() {
  CEPH_DIR="${ASCENSION_HOME}/ceph"
  CEPH_CONF="${CEPH_DIR}/ceph.conf"
  local hash
  hash="$(printf '%s' "${ASCENSION_HOME}" | sha256sum | cut -c1-12)"
  # Admin sockets live in run_dir; unix socket paths are limited to 107 bytes.
  if ((${#CEPH_DIR} < 60)); then CEPH_RUN="${CEPH_DIR}/run"; else CEPH_RUN="/tmp/.ascension-ceph-${hash}"; fi
}

ceph_() { timeout 30 ceph -c "${CEPH_CONF}" --connect-timeout 10 "$@"; }

ceph_write_conf() {
  local fsid="$1"
  mkdir -p "${CEPH_DIR}" "${CEPH_RUN}"
  cat >"${CEPH_CONF}.tmp" <<EOF
# Written by ./ascension up on every start.
[global]
fsid = ${fsid}
mon_host = [v2:127.0.0.1:${ASCENSION_CEPH_MON_PORT}]
mon_initial_members = a
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
ms_bind_port_min = ${ASCENSION_CEPH_OSD_PORT_MIN}
ms_bind_port_max = ${ASCENSION_CEPH_OSD_PORT_MAX}
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
# Without cephx there is no session key, so "secure" connection mode cannot work; radosgw asks
# for it towards the mon by default and then fails with -13.
ms_mon_client_mode = crc
ms_mon_service_mode = crc
ms_mon_cluster_mode = crc
ms_client_mode = crc
ms_service_mode = crc
ms_cluster_mode = crc
run_dir = ${CEPH_RUN}
log_file = ${ASC_LOGS}/ceph-\$name.log
log_to_stderr = false
err_to_stderr = true
mon_cluster_log_file = ${ASC_LOGS}/ceph-cluster.log
# Quiet logs (file level/in-memory level): the defaults write megabytes per OSD start.
debug_osd = 0/5
debug_bluestore = 0/5
debug_bluefs = 0/5
debug_rocksdb = 0/5
debug_mon = 0/5
debug_paxos = 0/5
debug_ms = 0/0
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
mon_data_avail_warn = 2
mon_data_avail_crit = 1

[mon]
mon_data = ${CEPH_DIR}/mon

[osd]
osd_data = ${CEPH_DIR}/osd
osd_objectstore = bluestore
bluestore_block_create = true
bluestore_block_size = $((10 * 1024 * 1024 * 1024))
osd_memory_target = 939524096
# The default fast shutdown skips the orderly unmount of bluestore; on a file-backed store it was
# seen to leave the newest osdmap unreadable at the next start. An orderly stop costs ~1 s.
osd_fast_shutdown = false
osd_class_update_on_start = false
osd_crush_update_on_start = false

[client.rgw.a]
rgw_data = ${CEPH_DIR}/rgw
rgw_frontends = beast endpoint=127.0.0.1:${ASCENSION_S3_PORT}
rgw_thread_pool_size = 64
log_file = ${ASC_LOGS}/rgw.log
# The largest single PUT: RGW answers EntityTooLarge from the Content-Length alone, before the body
# arrives, so a presigned upload URL cannot store more than the API accepts (MAX_VIDEO_BYTES).
rgw_max_put_size = ${MAX_VIDEO_BYTES:-524288000}
EOF
  if [[ -n "${ASCENSION_RGW_LC_DEBUG_INTERVAL:-}" ]]; then
    echo "rgw_lc_debug_interval = ${ASCENSION_RGW_LC_DEBUG_INTERVAL}" >>"${CEPH_CONF}.tmp"
  fi
  mv "${CEPH_CONF}.tmp" "${CEPH_CONF}"
}

ceph_mon_health() { ceph_paths; ceph_ mon stat; }
# The osdmap can still say "up" for an OSD that was killed a moment ago, so the daemon itself is
# asked (admin socket) whether it has finished booting.
ceph_osd_health() {
  ceph_paths
  timeout 10 ceph --admin-daemon "${CEPH_RUN}/ceph-osd.0.asok" status 2>/dev/null | grep -q '"state": "active"'
}
rgw_health() { local c; c="$(http_code "http://127.0.0.1:${ASCENSION_S3_PORT}/" 3)"; [[ -n "${c}" && "${c}" != 000 ]]; }

rgw_s3_probe() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "${S3_ACCESS_KEY}:${S3_SECRET_KEY}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    "http://127.0.0.1:${ASCENSION_S3_PORT}/")" == 200 ]]
}

ceph_start() {
  ceph_paths
  local t0 pid fsid fresh=0
  t0="$(now_ms)"
  if [[ -n "$(running ceph-mon ceph-mon || true)" && -n "$(running ceph-osd ceph-osd || true)" &&
    -n "$(running rgw radosgw || true)" ]]; then
    ok "ceph already running (mon $(pid_of ceph-mon), osd $(pid_of ceph-osd), rgw $(pid_of rgw), S3 port ${ASCENSION_S3_PORT})"
    return 0
  fi
  if [[ -f "${CEPH_DIR}/fsid" && -f "${CEPH_DIR}/mon/store.db/CURRENT" ]]; then
    fsid="$(cat "${CEPH_DIR}/fsid")"
  else
    fresh=1
    rm -rf "${CEPH_DIR}"
    mkdir -p "${CEPH_DIR}"
    fsid="$(cat /proc/sys/kernel/random/uuid)"
  fi
  ceph_write_conf "${fsid}"

  # --- monitor
  if ! pid="$(running ceph-mon ceph-mon)"; then
    require_port_free "${ASCENSION_CEPH_MON_PORT}" ASCENSION_CEPH_MON_PORT
    if ((fresh)); then
      monmaptool --create --clobber --fsid "${fsid}" --addv a "[v2:127.0.0.1:${ASCENSION_CEPH_MON_PORT}]" \
        "${CEPH_DIR}/monmap" >"${ASC_LOGS}/ceph-init.log" 2>&1
      ceph-authtool --create-keyring "${CEPH_DIR}/mon.keyring" --gen-key -n mon. --cap mon 'allow *' \
        >>"${ASC_LOGS}/ceph-init.log" 2>&1
      mkdir -p "${CEPH_DIR}/mon"
      ceph-mon -c "${CEPH_CONF}" --mkfs -i a --monmap "${CEPH_DIR}/monmap" --keyring "${CEPH_DIR}/mon.keyring" \
        >>"${ASC_LOGS}/ceph-init.log" 2>&1 ||
        { _show_log_tail "${ASC_LOGS}/ceph-init.log"; die "ceph-mon --mkfs failed; see ${ASC_LOGS}/ceph-init.log"; }
    fi
    ceph_move_mon
    spawn ceph-mon "${ASC_LOGS}/ceph-mon.out" ceph-mon -f -c "${CEPH_CONF}" -i a
    pid="$(pid_of ceph-mon)"
  fi
  wait_for ceph-mon 60 "${ASC_LOGS}/ceph-mon.a.log" "${pid}" ceph_ mon stat
  ((fresh)) && echo "${fsid}" >"${CEPH_DIR}/fsid"

  # --- OSD
  if ! pid="$(running ceph-osd ceph-osd)"; then
    if [[ ! -f "${CEPH_DIR}/osd/fsid" ]]; then
      local uuid
      uuid="$(cat /proc/sys/kernel/random/uuid)"
      rm -rf "${CEPH_DIR}/osd"
      mkdir -p "${CEPH_DIR}/osd"
      {
        ceph_ osd new "${uuid}" 0 &&
          ceph-osd -c "${CEPH_CONF}" -i 0 --mkfs --osd-uuid "${uuid}" &&
          ceph_ osd crush add-bucket node0 host &&
          ceph_ osd crush move node0 root=default &&
          ceph_ osd crush add osd.0 1.0 host=node0
      } >>"${ASC_LOGS}/ceph-init.log" 2>&1 ||
        { _show_log_tail "${ASC_LOGS}/ceph-init.log"; die "creating the OSD failed; see ${ASC_LOGS}/ceph-init.log"; }
    fi
    spawn ceph-osd "${ASC_LOGS}/ceph-osd.out" ceph-osd -f -c "${CEPH_CONF}" -i 0
    pid="$(pid_of ceph-osd)"
  fi
  wait_for ceph-osd 90 "${ASC_LOGS}/ceph-osd.0.log" "${pid}" ceph_osd_health

  # --- radosgw
  if ! pid="$(running rgw radosgw)"; then
    require_port_free "${ASCENSION_S3_PORT}" ASCENSION_S3_PORT
    spawn rgw "${ASC_LOGS}/rgw.out" radosgw -f -c "${CEPH_CONF}" -n client.rgw.a
    pid="$(pid_of rgw)"
  fi
  wait_for "radosgw (S3 on port ${ASCENSION_S3_PORT})" 120 "${ASC_LOGS}/rgw.log" "${pid}" rgw_health
  # The bucket owner (MINIO_ROOT_*: ascension-admin), then one user per confined credential, whose
  # rights the bucket policy (ascension-admin storage-init) limits to what its process uses:
  # presigned URLs (uploads and playback), the API's own requests, the worker's.
  rgw_user ascension "Ascension" "${S3_ACCESS_KEY}" "${S3_SECRET_KEY}" .s3-user
  rgw_user ascension-presign "Ascension presigned URLs" "${S3_PRESIGN_ACCESS_KEY}" "${S3_PRESIGN_SECRET_KEY}" \
    .s3-presign-user
  rgw_user ascension-api "Ascension API" "${S3_API_ACCESS_KEY}" "${S3_API_SECRET_KEY}" .s3-api-user
  rgw_user ascension-worker "Ascension worker" "${S3_WORKER_ACCESS_KEY}" "${S3_WORKER_SECRET_KEY}" \
    .s3-worker-user
  # RGW answers HTTP before its placement groups are usable (after an unclean stop they re-peer
  # first); a signed ListBuckets reads RADOS, so it is the probe that the store really serves.
  wait_for "radosgw S3 requests (port ${ASCENSION_S3_PORT})" 120 "${ASC_LOGS}/rgw.log" "${pid}" rgw_s3_probe
  ok "ceph rgw up (mon $(pid_of ceph-mon), osd $(pid_of ceph-osd), rgw $(pid_of rgw), S3 port ${ASCENSION_S3_PORT}) in $(since "${t0}")"
}

# rgw_user UID DISPLAY-NAME ACCESS-KEY SECRET-KEY MARKER: creates the RGW user once (a marker file
# in the data dir remembers it; an existing user is kept as it is).
rgw_user() {
  local uid="$1" name="$2" access="$3" secret="$4" marker="${CEPH_DIR}/$5"
  [[ -f "${marker}" ]] && return 0
  if ! timeout 60 radosgw-admin -c "${CEPH_CONF}" user info --uid="${uid}" >/dev/null 2>&1; then
    timeout 60 radosgw-admin -c "${CEPH_CONF}" user create --uid="${uid}" --display-name="${name}" \
      --access-key="${access}" --secret-key="${secret}" >>"${ASC_LOGS}/ceph-init.log" 2>&1 ||
      { _show_log_tail "${ASC_LOGS}/ceph-init.log"; die "radosgw-admin user create (${uid}) failed; see ${ASC_LOGS}/ceph-init.log"; }
  fi
  touch "${marker}"
}

# The monitor's address is part of its stored monmap: when the mon port of an existing data dir
# changes, the monmap is rewritten before the mon starts.
ceph_move_mon() {
  local want="${ASCENSION_CEPH_MON_PORT}" had=""
  if [[ -f "${CEPH_DIR}/mon-port" ]]; then
    had="$(cat "${CEPH_DIR}/mon-port")"
  elif [[ -d "${CEPH_DIR}/mon" ]]; then
    ceph-mon -c "${CEPH_CONF}" -i a --extract-monmap "${CEPH_DIR}/monmap" >/dev/null 2>&1 &&
      had="$(monmaptool --print "${CEPH_DIR}/monmap" 2>/dev/null | grep -oE 'v2:127\.0\.0\.1:[0-9]+' | head -n 1 | cut -d: -f3 || true)"
  fi
  if [[ -n "${had}" && "${had}" != "${want}" ]]; then
    info "ceph-mon moves from port ${had} to ${want}"
    {
      ceph-mon -c "${CEPH_CONF}" -i a --extract-monmap "${CEPH_DIR}/monmap" &&
        monmaptool --rm a "${CEPH_DIR}/monmap" &&
        monmaptool --addv a "[v2:127.0.0.1:${want}]" "${CEPH_DIR}/monmap" &&
        ceph-mon -c "${CEPH_CONF}" -i a --inject-monmap "${CEPH_DIR}/monmap"
    } >>"${ASC_LOGS}/ceph-init.log" 2>&1 || die "could not move ceph-mon to port ${want}; see ${ASC_LOGS}/ceph-init.log"
  fi
  echo "${want}" >"${CEPH_DIR}/mon-port"
}

ceph_stop() {
  ceph_paths
  local name word pid
  for name in rgw:radosgw ceph-osd:ceph-osd ceph-mon:ceph-mon; do
    word="${name#*:}" name="${name%%:*}"
    if pid="$(running "${name}" "${word}")"; then
      stop_pid "${name}" "${pid}" 30
      ok "${name} stopped (pid ${pid})"
    fi
    rm -f "$(pidfile_of "${name}")"
  done
}
