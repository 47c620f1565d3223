#include "adapters/amqp/connection.hpp"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ascension::amqp {
namespace {

constexpr amqp_channel_t kChannel = 1;
constexpr int kFrameMax = 131072;

using SteadyClock = std::chrono::steady_clock;

struct ConnectionDeleter {
  void operator()(amqp_connection_state_t_* c) const { amqp_destroy_connection(c); }
};
using ConnectionPtr = std::unique_ptr<amqp_connection_state_t_, ConnectionDeleter>;

// rabbitmq-c takes byte buffers as mutable pointers but does not write through them.
amqp_bytes_t Bytes(std::string_view s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

std::string ToString(amqp_bytes_t b) {
  return b.len == 0 ? std::string() : std::string(static_cast<const char*>(b.bytes), b.len);
}

timeval ToTimeval(std::chrono::microseconds d) {
  if (d.count() < 0) d = std::chrono::microseconds(0);
  timeval tv;
  tv.tv_sec = static_cast<time_t>(d.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(d.count() % 1000000);
  return tv;
}

amqp_table_entry_t StringEntry(std::string_view key, std::string_view value) {
  amqp_table_entry_t e;
  e.key = Bytes(key);
  e.value.kind = AMQP_FIELD_KIND_UTF8;
  e.value.value.bytes = Bytes(value);
  return e;
}

amqp_table_entry_t IntEntry(std::string_view key, int32_t value) {
  amqp_table_entry_t e;
  e.key = Bytes(key);
  e.value.kind = AMQP_FIELD_KIND_I32;
  e.value.value.i32 = value;
  return e;
}

amqp_table_t Table(std::vector<amqp_table_entry_t>& entries) {
  amqp_table_t t;
  t.num_entries = static_cast<int>(entries.size());
  t.entries = entries.empty() ? nullptr : entries.data();
  return t;
}

std::optional<std::string> FieldText(const amqp_field_value_t& v) {
  switch (v.kind) {
    case AMQP_FIELD_KIND_UTF8:
    case AMQP_FIELD_KIND_BYTES:
      return ToString(v.value.bytes);
    case AMQP_FIELD_KIND_BOOLEAN:
      return v.value.boolean ? "true" : "false";
    case AMQP_FIELD_KIND_I8:
      return std::to_string(v.value.i8);
    case AMQP_FIELD_KIND_U8:
      return std::to_string(v.value.u8);
    case AMQP_FIELD_KIND_I16:
      return std::to_string(v.value.i16);
    case AMQP_FIELD_KIND_U16:
      return std::to_string(v.value.u16);
    case AMQP_FIELD_KIND_I32:
      return std::to_string(v.value.i32);
    case AMQP_FIELD_KIND_U32:
      return std::to_string(v.value.u32);
    case AMQP_FIELD_KIND_I64:
      return std::to_string(v.value.i64);
    case AMQP_FIELD_KIND_U64:
    case AMQP_FIELD_KIND_TIMESTAMP:
      return std::to_string(v.value.u64);
    case AMQP_FIELD_KIND_F32:
      return std::to_string(v.value.f32);
    case AMQP_FIELD_KIND_F64:
      return std::to_string(v.value.f64);
    default:
      return std::nullopt;
  }
}

// Maps an AMQP reply code (connection.close / channel.close) to a Status kind.
Status FromReplyCode(uint16_t code, std::string text, std::string_view what) {
  std::string msg = "AMQP " + std::string(what) + ": " + std::to_string(code) + " " + text;
  switch (code) {
    case 403:
      return PermissionDenied(msg);  // ACCESS_REFUSED
    case 404:
      return NotFound(msg);  // NOT_FOUND
    case 405:                // RESOURCE_LOCKED
    case 406:
      return FailedPrecondition(msg);  // PRECONDITION_FAILED
    case 530:
      return msg.find("vhost") != std::string::npos ? NotFound(msg) : Unavailable(msg);
    default:
      return Unavailable(msg);
  }
}

}  // namespace

struct Connection::State {
  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  // Stops the heartbeat thread, then closes channel and connection politely when still open
  // (also when replaced by a move).
  ~State() {
    StopHeartbeats();
    if (!open) return;
    amqp_channel_close(conn.get(), kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn.get(), AMQP_REPLY_SUCCESS);
  }

  // Every use of `conn` (and of the fields below) holds `mu`: the owner's calls and the
  // heartbeat thread's servicing.
  std::mutex mu;
  ConnectionPtr conn;
  std::atomic<bool> open{false};
  std::string broken_reason;
  std::deque<Delivery> pending;  // deliveries read while waiting for something else

  // Publisher confirms.
  bool confirm_mode = false;
  uint64_t publish_seq = 0;  // delivery tag of the last published message
  uint64_t waiting_for = 0;  // tag whose confirm PublishConfirmed is waiting for (0: none)
  enum class Confirm { kPending, kAck, kNack } confirm = Confirm::kPending;
  std::string returned;  // reply of a basic.return for the awaited message

  Status Broken(Status st) {
    if (open) {
      open = false;
      broken_reason = st.message();
    }
    return st;
  }

  Status NotOpen() const {
    return Unavailable("AMQP connection is closed (" + broken_reason + "); reconnect");
  }

  // Turns a synchronous command's reply into a Status; anything but success breaks the connection.
  Status FromRpcReply(amqp_rpc_reply_t r, std::string_view what) {
    switch (r.reply_type) {
      case AMQP_RESPONSE_NORMAL:
        return Status::Ok();
      case AMQP_RESPONSE_NONE:
        return Broken(Internal("AMQP " + std::string(what) + ": missing reply"));
      case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        return Broken(
            Unavailable("AMQP " + std::string(what) + ": " + amqp_error_string2(r.library_error)));
      case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
          auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
          Status st = FromReplyCode(m->reply_code, ToString(m->reply_text), what);
          amqp_connection_close_ok_t ok{};
          amqp_send_method(conn.get(), 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
          return Broken(st);
        }
        if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
          auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
          Status st = FromReplyCode(m->reply_code, ToString(m->reply_text), what);
          amqp_channel_close_ok_t ok{};
          amqp_send_method(conn.get(), kChannel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
          return Broken(st);
        }
        return Broken(Internal("AMQP " + std::string(what) + ": unexpected server method"));
    }
    return Broken(Internal("AMQP " + std::string(what) + ": unknown reply type"));
  }

  Status Rpc(std::string_view what) { return FromRpcReply(amqp_get_rpc_reply(conn.get()), what); }

  // The heartbeat thread: every quarter of the heartbeat interval, if the owner is not inside a
  // call (then it services the connection itself), reads what arrived without blocking;
  // rabbitmq-c sends our heartbeat when one is due and notes the broker's.
  void StartHeartbeats(std::chrono::seconds interval) {
    const auto period = std::max<std::chrono::milliseconds>(
        std::chrono::milliseconds(250),
        std::chrono::duration_cast<std::chrono::milliseconds>(interval) / 4);
    heartbeat_thread = std::thread([this, period] {
      std::unique_lock stop_lock(stop_mu);
      while (!stop_cv.wait_for(stop_lock, period, [this] { return stopping; })) {
        std::unique_lock l(mu, std::try_to_lock);
        if (!l.owns_lock() || !open) continue;
        (void)PumpUntil(SteadyClock::now(), [] { return false; });
      }
    });
  }

  void StopHeartbeats() {
    if (!heartbeat_thread.joinable()) return;
    {
      std::lock_guard l(stop_mu);
      stopping = true;
    }
    stop_cv.notify_all();
    heartbeat_thread.join();
  }

  std::thread heartbeat_thread;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;

  Status CheckSend(int rc, std::string_view what) {
    if (rc == AMQP_STATUS_OK) return Status::Ok();
    return Broken(Unavailable("AMQP " + std::string(what) + ": " + amqp_error_string2(rc)));
  }

  // Reads the content of a message whose method frame was just received.
  Result<amqp_message_t> ReadContent(amqp_channel_t channel) {
    amqp_message_t message;
    Status st = FromRpcReply(amqp_read_message(conn.get(), channel, &message, 0), "read message");
    if (!st.ok()) return st;
    return message;
  }

  // Handles one asynchronous frame: buffers deliveries, records confirms and returns, and turns
  // channel or connection closes into a broken connection.
  Status HandleFrame(const amqp_frame_t& frame) {
    if (frame.frame_type != AMQP_FRAME_METHOD) return Status::Ok();  // stray content: ignore
    switch (frame.payload.method.id) {
      case AMQP_BASIC_DELIVER_METHOD: {
        auto* m = static_cast<amqp_basic_deliver_t*>(frame.payload.method.decoded);
        Delivery d;
        d.delivery_tag = m->delivery_tag;
        d.redelivered = m->redelivered != 0;
        d.exchange = ToString(m->exchange);
        d.routing_key = ToString(m->routing_key);
        Result<amqp_message_t> msg = ReadContent(frame.channel);
        if (!msg.ok()) return msg.status();
        const amqp_basic_properties_t& p = msg->properties;
        d.body = ToString(msg->body);
        if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) d.message_id = ToString(p.message_id);
        if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) d.content_type = ToString(p.content_type);
        if (p._flags & AMQP_BASIC_PRIORITY_FLAG) d.priority = p.priority;
        if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
          for (int i = 0; i < p.headers.num_entries; ++i) {
            const amqp_table_entry_t& e = p.headers.entries[i];
            if (auto text = FieldText(e.value)) d.headers[ToString(e.key)] = std::move(*text);
          }
        }
        amqp_destroy_message(&msg.value());
        pending.push_back(std::move(d));
        return Status::Ok();
      }
      case AMQP_BASIC_ACK_METHOD: {
        auto* m = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
        if (waiting_for != 0 &&
            (m->delivery_tag == waiting_for || (m->multiple && m->delivery_tag >= waiting_for))) {
          confirm = Confirm::kAck;
        }
        return Status::Ok();
      }
      case AMQP_BASIC_NACK_METHOD: {
        auto* m = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
        if (waiting_for != 0 &&
            (m->delivery_tag == waiting_for || (m->multiple && m->delivery_tag >= waiting_for))) {
          confirm = Confirm::kNack;
        }
        return Status::Ok();
      }
      case AMQP_BASIC_RETURN_METHOD: {
        auto* m = static_cast<amqp_basic_return_t*>(frame.payload.method.decoded);
        std::string reply = std::to_string(m->reply_code) + " " + ToString(m->reply_text);
        Result<amqp_message_t> msg = ReadContent(frame.channel);
        if (!msg.ok()) return msg.status();
        amqp_destroy_message(&msg.value());
        if (waiting_for != 0) returned = reply;
        return Status::Ok();
      }
      case AMQP_CHANNEL_CLOSE_METHOD: {
        auto* m = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
        Status st =
            FromReplyCode(m->reply_code, ToString(m->reply_text), "channel closed by broker");
        amqp_channel_close_ok_t ok{};
        amqp_send_method(conn.get(), frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
        return Broken(st);
      }
      case AMQP_CONNECTION_CLOSE_METHOD: {
        auto* m = static_cast<amqp_connection_close_t*>(frame.payload.method.decoded);
        Status st =
            Unavailable("AMQP connection closed by broker: " + std::to_string(m->reply_code) + " " +
                        ToString(m->reply_text));
        amqp_connection_close_ok_t ok{};
        amqp_send_method(conn.get(), 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
        return Broken(st);
      }
      default:
        return Status::Ok();
    }
  }

  // Reads and handles frames until done() holds (true) or the deadline passes (false). Always
  // looks at least once, without blocking, so a past deadline still drains buffered frames.
  Result<bool> PumpUntil(SteadyClock::time_point deadline, const std::function<bool()>& done) {
    while (true) {
      if (!open) return NotOpen();
      if (done()) return true;
      amqp_maybe_release_buffers(conn.get());
      auto remaining =
          std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now());
      timeval tv = ToTimeval(remaining);
      amqp_frame_t frame;
      int rc = amqp_simple_wait_frame_noblock(conn.get(), &frame, &tv);
      if (rc == AMQP_STATUS_TIMEOUT) {
        if (remaining.count() <= 0 || SteadyClock::now() >= deadline) return done();
        continue;
      }
      if (rc != AMQP_STATUS_OK) {
        return Broken(Unavailable(std::string("AMQP connection lost: ") + amqp_error_string2(rc)));
      }
      if (Status st = HandleFrame(frame); !st.ok()) return st;
    }
  }
};

Connection::Connection(std::unique_ptr<State> state) : state_(std::move(state)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

Connection::~Connection() = default;

bool Connection::is_open() const {
  return state_ && state_->open;
}

Result<Connection> Connection::Open(const Url& url, const ConnectOptions& options) {
  auto state = std::make_unique<State>();
  state->conn.reset(amqp_new_connection());
  if (!state->conn) return Internal("AMQP: cannot allocate a connection");
  amqp_connection_state_t c = state->conn.get();
  amqp_socket_t* socket = amqp_tcp_socket_new(c);  // owned by the connection
  if (socket == nullptr) return Internal("AMQP: cannot create a TCP socket");

  const std::string where = url.Redacted();
  timeval connect_tv = ToTimeval(options.connect_timeout);
  int rc = amqp_socket_open_noblock(socket, url.host.c_str(), url.port, &connect_tv);
  if (rc != AMQP_STATUS_OK) {
    return Unavailable("AMQP connect to " + where + ": " + amqp_error_string2(rc));
  }
  amqp_set_handshake_timeout(c, &connect_tv);
  timeval rpc_tv = ToTimeval(options.rpc_timeout);
  amqp_set_rpc_timeout(c, &rpc_tv);

  state->open = true;  // from here on, failures go through Broken()
  amqp_rpc_reply_t login =
      amqp_login(c, url.vhost.c_str(), 0, kFrameMax, static_cast<int>(options.heartbeat.count()),
                 AMQP_SASL_METHOD_PLAIN, url.user.c_str(), url.password.c_str());
  if (login.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      login.library_error == AMQP_STATUS_CONNECTION_CLOSED) {
    // RabbitMQ drops the socket on bad credentials before any close method.
    return PermissionDenied("AMQP login to " + where + " refused (check user and password)");
  }
  if (Status st = state->FromRpcReply(login, "login to " + where); !st.ok()) return st;
  amqp_channel_open(c, kChannel);
  if (Status st = state->Rpc("channel.open"); !st.ok()) return st;
  if (options.background_heartbeats && options.heartbeat.count() > 0) {
    state->StartHeartbeats(options.heartbeat);
  }
  return Connection(std::move(state));
}

Status Connection::DeclareTopology(const topology::Names& names) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  amqp_connection_state_t c = s.conn.get();
  std::vector<amqp_table_entry_t> none;

  amqp_exchange_declare(c, kChannel, Bytes(names.dead_letter_exchange), Bytes("direct"), 0, 1, 0, 0,
                        Table(none));
  if (Status st = s.Rpc("declare exchange " + names.dead_letter_exchange); !st.ok()) return st;

  // Each job family (analysis, hold detection, ghost) has the same shape: a durable queue whose
  // rejected messages go to its dead-letter queue on the dead-letter exchange, and a retry queue
  // whose expired messages go back to the queue through the default exchange. Only analysis jobs
  // have priorities.
  struct JobFamily {
    const std::string& queue;
    const std::string& retry_queue;
    const std::string& dead_letter_queue;
    const std::string& dead_letter_routing_key;
    int max_priority;  // 0: none
  };
  const JobFamily families[] = {
      {names.job_queue, names.retry_queue, names.dead_letter_queue, names.dead_letter_routing_key,
       topology::kJobQueueMaxPriority},
      {names.holds_queue, names.holds_retry_queue, names.holds_dead_letter_queue,
       names.holds_dead_letter_routing_key, 0},
      {names.ghost_queue, names.ghost_retry_queue, names.ghost_dead_letter_queue,
       names.ghost_dead_letter_routing_key, 0},
  };
  for (const JobFamily& f : families) {
    amqp_queue_declare(c, kChannel, Bytes(f.dead_letter_queue), 0, 1, 0, 0, Table(none));
    if (Status st = s.Rpc("declare queue " + f.dead_letter_queue); !st.ok()) return st;
    amqp_queue_bind(c, kChannel, Bytes(f.dead_letter_queue), Bytes(names.dead_letter_exchange),
                    Bytes(f.dead_letter_routing_key), Table(none));
    if (Status st = s.Rpc("bind " + f.dead_letter_queue); !st.ok()) return st;

    std::vector<amqp_table_entry_t> queue_args;
    if (f.max_priority > 0) queue_args.push_back(IntEntry("x-max-priority", f.max_priority));
    queue_args.push_back(StringEntry("x-dead-letter-exchange", names.dead_letter_exchange));
    queue_args.push_back(StringEntry("x-dead-letter-routing-key", f.dead_letter_routing_key));
    amqp_queue_declare(c, kChannel, Bytes(f.queue), 0, 1, 0, 0, Table(queue_args));
    if (Status st = s.Rpc("declare queue " + f.queue); !st.ok()) return st;

    std::vector<amqp_table_entry_t> retry_args = {
        StringEntry("x-dead-letter-exchange", ""),
        StringEntry("x-dead-letter-routing-key", f.queue),
    };
    amqp_queue_declare(c, kChannel, Bytes(f.retry_queue), 0, 1, 0, 0, Table(retry_args));
    if (Status st = s.Rpc("declare queue " + f.retry_queue); !st.ok()) return st;
  }

  amqp_exchange_declare(c, kChannel, Bytes(names.events_exchange), Bytes("topic"), 0, 1, 0, 0,
                        Table(none));
  return s.Rpc("declare exchange " + names.events_exchange);
}

Result<std::string> Connection::DeclareEventQueue(std::span<const std::string> binding_keys,
                                                  std::string_view exchange) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  amqp_connection_state_t c = s.conn.get();
  std::vector<amqp_table_entry_t> none;
  amqp_queue_declare_ok_t* ok = amqp_queue_declare(c, kChannel, Bytes(""), 0, 0, 1, 1, Table(none));
  if (Status st = s.Rpc("declare event queue"); !st.ok()) return st;
  std::string name = ToString(ok->queue);
  for (const auto& key : binding_keys) {
    amqp_queue_bind(c, kChannel, Bytes(name), Bytes(exchange), Bytes(key), Table(none));
    if (Status st = s.Rpc("bind event queue to " + key); !st.ok()) return st;
  }
  return name;
}

Status Connection::DeleteQueue(std::string_view queue) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  amqp_queue_delete(state_->conn.get(), kChannel, Bytes(queue), 0, 0);
  return state_->Rpc("delete queue " + std::string(queue));
}

Status Connection::DeleteExchange(std::string_view exchange) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  amqp_exchange_delete(state_->conn.get(), kChannel, Bytes(exchange), 0);
  return state_->Rpc("delete exchange " + std::string(exchange));
}

Status Connection::PublishConfirmed(std::string_view exchange, std::string_view routing_key,
                                    std::string_view body, const PublishOptions& options) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  amqp_connection_state_t c = s.conn.get();
  if (!s.confirm_mode) {
    amqp_confirm_select(c, kChannel);
    if (Status st = s.Rpc("confirm.select"); !st.ok()) return st;
    s.confirm_mode = true;
  }

  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
  props.delivery_mode = options.persistent ? AMQP_DELIVERY_PERSISTENT : AMQP_DELIVERY_NONPERSISTENT;
  if (!options.content_type.empty()) {
    props._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG;
    props.content_type = Bytes(options.content_type);
  }
  if (options.priority) {
    props._flags |= AMQP_BASIC_PRIORITY_FLAG;
    props.priority = *options.priority;
  }
  std::string expiration;
  if (options.expiration) {
    expiration = std::to_string(std::max<int64_t>(0, options.expiration->count()));
    props._flags |= AMQP_BASIC_EXPIRATION_FLAG;
    props.expiration = Bytes(expiration);
  }
  if (!options.message_id.empty()) {
    props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
    props.message_id = Bytes(options.message_id);
  }
  std::vector<amqp_table_entry_t> headers;
  for (const auto& [k, v] : options.headers) headers.push_back(StringEntry(k, v));
  if (!headers.empty()) {
    props._flags |= AMQP_BASIC_HEADERS_FLAG;
    props.headers = Table(headers);
  }

  const std::string what =
      "publish to '" + std::string(exchange) + "' key '" + std::string(routing_key) + "'";
  int rc = amqp_basic_publish(c, kChannel, Bytes(exchange), Bytes(routing_key),
                              options.mandatory ? 1 : 0, 0, &props, Bytes(body));
  if (Status st = s.CheckSend(rc, what); !st.ok()) return st;
  s.waiting_for = ++s.publish_seq;
  s.confirm = State::Confirm::kPending;
  s.returned.clear();

  auto deadline = SteadyClock::now() + options.confirm_timeout;
  Result<bool> done = s.PumpUntil(deadline, [&] { return s.confirm != State::Confirm::kPending; });
  s.waiting_for = 0;
  if (!done.ok()) return done.status();
  if (!*done) return Unavailable("AMQP " + what + ": no confirm from the broker in time");
  if (s.confirm == State::Confirm::kNack)
    return FailedPrecondition("AMQP " + what + ": nacked by the broker");
  if (!s.returned.empty())
    return FailedPrecondition("AMQP " + what + ": returned unroutable (" + s.returned + ")");
  return Status::Ok();
}

Status Connection::SetPrefetch(uint16_t count) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  amqp_basic_qos(state_->conn.get(), kChannel, 0, count, 0);
  return state_->Rpc("basic.qos");
}

Result<std::string> Connection::Consume(std::string_view queue, const ConsumeOptions& options) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  std::vector<amqp_table_entry_t> none;
  amqp_basic_consume_ok_t* ok =
      amqp_basic_consume(state_->conn.get(), kChannel, Bytes(queue), amqp_empty_bytes, 0,
                         options.no_ack ? 1 : 0, options.exclusive ? 1 : 0, Table(none));
  if (Status st = state_->Rpc("consume from '" + std::string(queue) + "'"); !st.ok()) return st;
  return ToString(ok->consumer_tag);
}

Result<std::optional<Delivery>> Connection::Next(std::chrono::milliseconds timeout) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  if (s.pending.empty()) {
    Result<bool> got =
        s.PumpUntil(SteadyClock::now() + timeout, [&] { return !s.pending.empty(); });
    if (!got.ok()) return got.status();
    if (!*got) return std::optional<Delivery>();
  }
  Delivery d = std::move(s.pending.front());
  s.pending.pop_front();
  return std::optional<Delivery>(std::move(d));
}

Status Connection::Ack(uint64_t delivery_tag) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  return state_->CheckSend(amqp_basic_ack(state_->conn.get(), kChannel, delivery_tag, 0), "ack");
}

Status Connection::Nack(uint64_t delivery_tag, bool requeue) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  return state_->CheckSend(
      amqp_basic_nack(state_->conn.get(), kChannel, delivery_tag, 0, requeue ? 1 : 0), "nack");
}

Status Connection::Reject(uint64_t delivery_tag, bool requeue) {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  return state_->CheckSend(
      amqp_basic_reject(state_->conn.get(), kChannel, delivery_tag, requeue ? 1 : 0), "reject");
}

Status Connection::KeepAlive() {
  if (!is_open()) return state_ ? state_->NotOpen() : Unavailable("AMQP connection moved-from");
  std::lock_guard lock(state_->mu);
  return state_->PumpUntil(SteadyClock::now(), [] { return false; }).status();
}

}  // namespace ascension::amqp
