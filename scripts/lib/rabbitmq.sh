# shellcheck shell=bash
# RabbitMQ as a plain process owned by the stack: its own node name, epmd, ports, cookie (HOME),
# config and mnesia dir. The server and every CLI call share one environment, built here.
# The `ascension` user comes from default_user in rabbitmq.conf, so `guest` is never created.
# Sourced by ./ascension.

RMQ_SBIN=/usr/lib/rabbitmq/bin

rmq_paths() {
  RMQ_DIR="${ASCENSION_HOME}/rabbitmq"
  RMQ_LOG="${ASC_LOGS}/rabbitmq.log"
  # The node name is chosen once per data dir (its mnesia dir is named after it), so a later
  # change of ports keeps the broker's data.
  if [[ -f "${RMQ_DIR}/nodename" ]]; then RMQ_NODENAME="$(cat "${RMQ_DIR}/nodename")"
  else RMQ_NODENAME="ascension-${ASCENSION_AMQP_PORT}@localhost"; fi
  RMQ_BEAM_PIDFILE="$(pidfile_of rabbitmq-beam)"
  RMQ_ENV=(
    "HOME=${RMQ_DIR}"
    "RABBITMQ_NODENAME=${RMQ_NODENAME}"
    "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
    "RABBITMQ_NODE_PORT=${ASCENSION_AMQP_PORT}"
    "RABBITMQ_DIST_PORT=${ASCENSION_AMQP_DIST_PORT}"
    "ERL_EPMD_PORT=${ASCENSION_EPMD_PORT}"
    "ERL_EPMD_ADDRESS=127.0.0.1"
    "RABBITMQ_CTL_DIST_PORT_MIN=${ASCENSION_AMQP_CLI_PORT_MIN}"
    "RABBITMQ_CTL_DIST_PORT_MAX=${ASCENSION_AMQP_CLI_PORT_MAX}"
    "RABBITMQ_MNESIA_BASE=${RMQ_DIR}/mnesia"
    "RABBITMQ_LOG_BASE=${ASC_LOGS}"
    "RABBITMQ_LOGS=${RMQ_LOG}"
    "RABBITMQ_PID_FILE=${RMQ_BEAM_PIDFILE}"
    "RABBITMQ_CONFIG_FILE=${RMQ_DIR}/rabbitmq.conf"
    "RABBITMQ_ADVANCED_CONFIG_FILE=${RMQ_DIR}/advanced.config"
    "RABBITMQ_ENABLED_PLUGINS_FILE=${RMQ_DIR}/enabled_plugins"
    "RABBITMQ_CONF_ENV_FILE=${RMQ_DIR}/rabbitmq-env.conf"
    # Erlang distribution listens on every interface unless told otherwise.
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
  )
}

# The VM's command line carries its HOME (`-home DIR`), unique to this stack.
rmq_beam_pid() { running rabbitmq-beam "-home ${RMQ_DIR} "; }


# AMQP 0-9-1 handshake probe: a broker answers the protocol header with a connection.start frame
# (frame type 1). Much cheaper than a CLI call (each starts an Erlang VM).
amqp_probe() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "AMQP\x00\x00\x09\x01" >&3
    b="$(head -c 1 <&3 | od -An -tx1 | tr -d " ")"
    [[ "$b" == 01 ]]' _ "$1" 2>/dev/null
}

epmd_start() {
  local pid
  if pid="$(running epmd epmd)"; then return 0; fi
  if ! port_free "${ASCENSION_EPMD_PORT}"; then
    # An epmd left on our port (by a killed stack whose pid file is gone) is harmless to reuse.
    if ERL_EPMD_PORT="${ASCENSION_EPMD_PORT}" epmd -names >/dev/null 2>&1; then
      warn "reusing an epmd already listening on port ${ASCENSION_EPMD_PORT} (not started by this stack)"
      return 0
    fi
    require_port_free "${ASCENSION_EPMD_PORT}" ASCENSION_EPMD_PORT
  fi
  # epmd has been seen to exit at once, with nothing logged, while another stack was starting on
  # the machine: try again a couple of times before giving up.
  local attempt deadline
  for attempt in 1 2 3; do
    spawn epmd "${ASC_LOGS}/epmd.log" epmd -address 127.0.0.1 -port "${ASCENSION_EPMD_PORT}"
    pid="$(pid_of epmd)"
    deadline=$(( $(now_ms) + 10000 ))
    while pid_alive "${pid}" && (( $(now_ms) < deadline )); do
      if ERL_EPMD_PORT="${ASCENSION_EPMD_PORT}" epmd -names >/dev/null 2>&1; then return 0; fi
      sleep 0.25
    done
    pid_alive "${pid}" && die "epmd did not come up within 10s on port ${ASCENSION_EPMD_PORT}; see ${ASC_LOGS}/epmd.log"
    warn "epmd exited during start-up (attempt ${attempt} of 3)"
    sleep 0.5
  done
  _show_log_tail "${ASC_LOGS}/epmd.log"
  die "epmd exited during start-up three times; see ${ASC_LOGS}/epmd.log"
}

rabbitmq_start() {
  rmq_paths
  local pid t0
  if pid="$(rmq_beam_pid)"; then
    ok "rabbitmq already running (pid ${pid}, port ${ASCENSION_AMQP_PORT})"
    return 0
  fi
  t0="$(now_ms)"
  # A wrapper left without its VM (killed stack) is stopped before anything else.
  stop_named rabbitmq rabbitmq-server "rabbitmq wrapper" 10
  rm -f "${RMQ_BEAM_PIDFILE}"
  require_port_free "${ASCENSION_AMQP_PORT}" ASCENSION_AMQP_PORT
  require_port_free "${ASCENSION_AMQP_DIST_PORT}" ASCENSION_AMQP_DIST_PORT
  mkdir -p "${RMQ_DIR}/mnesia"
  [[ -f "${RMQ_DIR}/nodename" ]] || echo "${RMQ_NODENAME}" >"${RMQ_DIR}/nodename"
  : >"${RMQ_DIR}/rabbitmq-env.conf"
  echo '[].' >"${RMQ_DIR}/advanced.config"
  # rabbitmq_prometheus is off by default: it adds about 6 s to every stop (it brings the
  # management agent). ASCENSION_AMQP_PROMETHEUS=1 turns it on, on ASCENSION_AMQP_METRICS_PORT.
  local plugins='[].'
  [[ "${ASCENSION_AMQP_PROMETHEUS:-0}" == 1 ]] && plugins='[rabbitmq_prometheus].'
  echo "${plugins}" >"${RMQ_DIR}/enabled_plugins"
  (
    umask 077
    cat >"${RMQ_DIR}/rabbitmq.conf" <<EOF
# Written by ./ascension up on every start. Ports come from the environment (RABBITMQ_NODE_PORT);
# listeners.tcp.* here would silently override them.
default_vhost = /
default_user = ascension
default_pass = ${AMQP_PASSWORD}
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = info
disk_free_limit.absolute = 50MB
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = ${ASCENSION_AMQP_METRICS_PORT}
EOF
  )
  epmd_start
  spawn rabbitmq "${ASC_LOGS}/rabbitmq-stdout.log" env "${RMQ_ENV[@]}" "${RMQ_SBIN}/rabbitmq-server"
  # The broker opens its AMQP listener as the last boot step, so a protocol handshake on the port
  # is its readiness probe; it costs nothing, where each `rabbitmqctl wait` poll boots an Erlang VM
  # (seconds on a busy machine).
  wait_for rabbitmq 120 "${RMQ_LOG}" "$(pid_of rabbitmq)" amqp_probe "${ASCENSION_AMQP_PORT}"
  pid="$(pid_of rabbitmq-beam)"
  [[ -n "${pid}" ]] || die "rabbitmq is up but wrote no pid file (${RMQ_BEAM_PIDFILE})"
  ok "rabbitmq up (pid ${pid}, port ${ASCENSION_AMQP_PORT}, node ${RMQ_NODENAME}) in $(since "${t0}")"
}

rabbitmq_stop() {
  rmq_paths
  local pid
  if pid="$(rmq_beam_pid)"; then
    # SIGTERM makes the VM run RabbitMQ's own orderly shutdown, without a CLI VM to boot.
    stop_pid rabbitmq "${pid}" 60
    ok "rabbitmq stopped (pid ${pid})"
  fi
  rm -f "${RMQ_BEAM_PIDFILE}"
  stop_named rabbitmq rabbitmq-server "rabbitmq wrapper" 10
  if pid="$(running epmd epmd)"; then
    stop_pid epmd "${pid}" 10
    ok "epmd stopped (pid ${pid})"
  fi
  rm -f "$(pidfile_of epmd)"
}

rabbitmq_health() { rmq_paths; amqp_probe "${ASCENSION_AMQP_PORT}"; }
