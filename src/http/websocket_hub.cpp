#include "http/websocket_hub.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>

#include "common/log.hpp"

namespace ascension::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// A client that has not read this many queued messages is too slow and is disconnected.
constexpr size_t kMaxQueuedMessages = 512;

}  // namespace

class WebSocketConnection : public std::enable_shared_from_this<WebSocketConnection> {
 public:
  WebSocketConnection(asio::ip::tcp::socket socket, WebSocketHub* hub, std::string user_id,
                      std::string credential)
      : ws_(std::move(socket)),
        hub_(hub),
        user_id_(std::move(user_id)),
        credential_(std::move(credential)) {}

  const std::string& user_id() const { return user_id_; }
  const std::string& credential() const { return credential_; }

  void Start(beast::http::request<beast::http::string_body> upgrade, std::chrono::seconds idle) {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = idle;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(64 * 1024);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(beast::http::field::server, "ascension-api");
    }));
    ws_.async_accept(upgrade, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->End();
      self->hub_->Add(self->user_id_, self);
      self->open_ = true;
      self->Read();
    });
  }

  void Send(std::string text) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (!self->open_) return;
      if (self->queue_.size() >= kMaxQueuedMessages) {
        log::Warn("websocket client too slow, closing", {{"user_id", self->user_id_}});
        return self->CloseGoingAway();
      }
      self->queue_.push_back(std::move(text));
      if (self->queue_.size() == 1) self->WriteNext();
    });
  }

  void CloseGoingAway() { CloseWith(websocket::close_code::going_away); }
  void CloseRevoked() { CloseWith(websocket::close_code::policy_error); }

 private:
  void CloseWith(websocket::close_code code) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), code] {
      if (!self->open_ || self->closing_) return;
      self->closing_ = true;
      self->ws_.async_close(code, [self](beast::error_code) { self->End(); });
    });
  }

  void Read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->End();
      // Clients may send {"type":"ping"}; anything else is ignored (server → client only).
      std::string msg = beast::buffers_to_string(self->in_.data());
      self->in_.consume(self->in_.size());
      if (msg.find("\"ping\"") != std::string::npos) self->Send(R"({"event":"pong","data":{}})");
      self->Read();
    });
  }

  void WriteNext() {
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->End();
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->WriteNext();
                    });
  }

  void End() {
    if (ended_) return;
    ended_ = true;
    if (open_) hub_->Remove(user_id_, this);
    open_ = false;
    queue_.clear();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).close(ec);
  }

  websocket::stream<asio::ip::tcp::socket> ws_;
  WebSocketHub* hub_;
  const std::string user_id_;
  const std::string credential_;
  beast::flat_buffer in_;
  std::deque<std::string> queue_;
  bool open_ = false;
  bool closing_ = false;
  bool ended_ = false;
};

WebSocketHub::WebSocketHub(std::chrono::seconds idle_timeout) : idle_timeout_(idle_timeout) {}

WebSocketHub::~WebSocketHub() = default;

void WebSocketHub::Accept(asio::ip::tcp::socket socket,
                          beast::http::request<beast::http::string_body> upgrade,
                          const std::string& user_id, const std::string& credential) {
  auto c = std::make_shared<WebSocketConnection>(std::move(socket), this, user_id, credential);
  c->Start(std::move(upgrade), idle_timeout_);
}

void WebSocketHub::Add(const std::string& user_id, const std::shared_ptr<WebSocketConnection>& c) {
  std::lock_guard l(mu_);
  by_user_[user_id].push_back(c);
  ++count_;
}

void WebSocketHub::Remove(const std::string& user_id, const WebSocketConnection* c) {
  std::lock_guard l(mu_);
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return;
  auto& v = it->second;
  for (auto i = v.begin(); i != v.end();) {
    auto sp = i->lock();
    if (!sp || sp.get() == c) {
      if (sp.get() == c) --count_;
      i = v.erase(i);
    } else {
      ++i;
    }
  }
  if (v.empty()) by_user_.erase(it);
}

int WebSocketHub::Deliver(const std::string& user_id, const std::string& text) {
  std::vector<std::shared_ptr<WebSocketConnection>> targets;
  {
    std::lock_guard l(mu_);
    auto it = by_user_.find(user_id);
    if (it == by_user_.end()) return 0;
    for (auto& w : it->second) {
      if (auto sp = w.lock()) targets.push_back(std::move(sp));
    }
  }
  for (auto& t : targets) t->Send(text);
  return static_cast<int>(targets.size());
}

void WebSocketHub::CloseAll() {
  std::vector<std::shared_ptr<WebSocketConnection>> all;
  {
    std::lock_guard l(mu_);
    for (auto& [user, v] : by_user_) {
      for (auto& w : v) {
        if (auto sp = w.lock()) all.push_back(std::move(sp));
      }
    }
  }
  for (auto& c : all) c->CloseGoingAway();
}

int WebSocketHub::CloseInvalid(
    const std::function<bool(const std::string&, const std::string&)>& still_valid) {
  std::vector<std::shared_ptr<WebSocketConnection>> all;
  {
    std::lock_guard l(mu_);
    for (auto& [user, v] : by_user_) {
      for (auto& w : v) {
        if (auto sp = w.lock()) all.push_back(std::move(sp));
      }
    }
  }
  int closed = 0;
  for (auto& c : all) {
    if (still_valid(c->user_id(), c->credential())) continue;
    log::Info("websocket closed: its token expired or was revoked", {{"user_id", c->user_id()}});
    c->CloseRevoked();
    ++closed;
  }
  return closed;
}

}  // namespace ascension::http
