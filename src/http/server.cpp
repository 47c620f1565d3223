#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/log.hpp"
#include "common/strings.hpp"
#include "http/websocket_hub.hpp"

namespace ascension::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;

// A request body is framed by Content-Length or by exactly one "Transfer-Encoding: chunked".
// Any other coding list ("gzip, chunked", "xchunked", two headers) is refused before the body is
// read: a proxy in front may frame it differently, and what one side takes for a body the other
// would take for a second request.
template <class Fields>
bool AcceptableTransferEncoding(const Fields& fields) {
  auto n = fields.count(bhttp::field::transfer_encoding);
  if (n == 0) return true;
  if (n > 1) return false;
  auto field = fields[bhttp::field::transfer_encoding];
  std::string_view v(field.data(), field.size());
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return Lowercase(v) == "chunked";
}

// The socket-independent Request of a parsed header (the body is added by the caller).
template <class Fields>
Request FromHeader(const bhttp::request_header<Fields>& m, const std::string& peer_ip) {
  Request r;
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  std::string_view target = r.target;
  size_t q = target.find('?');
  r.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) r.query = ParseQuery(target.substr(q + 1));
  for (const auto& f : m)
    r.headers.emplace_back(Lowercase(std::string(f.name_string())), std::string(f.value()));
  r.peer_ip = peer_ip;
  r.client_ip = peer_ip;
  return r;
}

// The answer to a request that could not be read.
Response ReadErrorResponse(beast::error_code ec) {
  if (ec == bhttp::error::body_limit)
    return Error(413, "payload_too_large", "Request body is too large");
  if (ec == bhttp::error::header_limit)
    return Error(431, "headers_too_large", "Request headers are too large");
  return Error(400, "bad_request", "Malformed HTTP request");
}

}  // namespace

ParsedRequest ParseRequest(std::string_view raw, const ServerOptions& options,
                           const std::string& peer_ip) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  parser.eager(true);
  beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < raw.size()) {
    std::size_t n = parser.put(asio::buffer(raw.data() + used, raw.size() - used), ec);
    used += n;
    if (ec == bhttp::error::need_more) {
      // The parser wants more bytes than it was given at once; there are none left.
      if (n == 0) break;
      ec = {};
    }
  }
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec == bhttp::error::need_more) ec = bhttp::error::partial_message;
  ParsedRequest out;
  if (parser.is_header_done()) out.request = FromHeader(parser.get(), peer_ip);
  out.request.peer_ip = peer_ip;
  out.request.client_ip = peer_ip;
  if (parser.is_header_done() && !AcceptableTransferEncoding(parser.get())) {
    // The server answers this right after the header, before reading any body.
    out.error = Error(501, "unsupported_transfer_encoding", "Only Transfer-Encoding: chunked is supported");
    return out;
  }
  if (ec) {
    out.error = ReadErrorResponse(ec);
    return out;
  }
  out.upgrade = beast::websocket::is_upgrade(parser.get());
  out.keep_alive = parser.get().keep_alive();
  out.request.body = std::move(parser.get().body());
  out.consumed = used;
  return out;
}

class Session;

struct Server::Impl {
  ServerOptions options;
  RequestDecorator decorate;
  RequestHandler handler;
  ResponseObserver observe;
  UpgradeAuthorizer authorize;
  WebSocketHub* hub;

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor{io};
  std::unique_ptr<asio::thread_pool> handlers;
  std::vector<std::thread> threads;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::atomic<bool> stopped{false};
  int bound_port = 0;

  std::mutex sessions_mu;
  std::unordered_set<std::shared_ptr<Session>> sessions;

  void Accept();
  void Register(const std::shared_ptr<Session>& s) {
    std::lock_guard l(sessions_mu);
    sessions.insert(s);
  }
  void Unregister(const std::shared_ptr<Session>& s) {
    std::lock_guard l(sessions_mu);
    sessions.erase(s);
  }
};

// One HTTP connection. Owned by Server::Impl::sessions while open.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl* server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    peer_ip_ = ec ? "" : ep.address().to_string();
  }

  void Start() { ReadRequest(); }

  // Closes the connection unless a request is being handled (then it closes after replying).
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->close_after_response_ = true;
      if (!self->busy_) self->Close();
    });
  }

 private:
  void ReadRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(server_->options.max_body_bytes);
    // The first read of a keep-alive connection waits at most the idle timeout; the request
    // timeout then bounds the whole request (see OnHeader).
    stream_.expires_after(first_request_ ? server_->options.request_timeout
                                         : server_->options.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    started_ = Clock::now();
    stream_.expires_after(server_->options.request_timeout);
    if (!AcceptableTransferEncoding(parser_->get())) {
      return Reply(BuildRequest(),
                   Error(501, "unsupported_transfer_encoding", "Only Transfer-Encoding: chunked is supported"),
                   true);
    }
    if (beast::websocket::is_upgrade(parser_->get())) return Upgrade();
    if (server_->draining) return Reply(BuildRequest(), Error(503, "shutting_down", "Server is shutting down"), true);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Close();
    }
    return Reply(BuildRequest(), ReadErrorResponse(ec), true);
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    stream_.expires_never();
    first_request_ = false;
    Request req = BuildRequest();
    req.body = std::move(parser_->get().body());
    keep_alive_ = parser_->get().keep_alive();
    busy_ = true;
    ++server_->in_flight;
    // Run the handler off the I/O threads; come back to this connection's executor to write.
    asio::post(*server_->handlers, [self = shared_from_this(), req = std::move(req)]() mutable {
      Response res;
      try {
        res = self->server_->handler(req);
      } catch (const std::exception& e) {
        log::Error("handler threw", {{"error", e.what()}, {"request_id", req.request_id}});
        res = Error(500, "internal_error", "Internal server error");
      }
      asio::post(self->stream_.get_executor(),
                 [self, req = std::move(req), res = std::move(res)]() mutable {
                   --self->server_->in_flight;
                   self->Write(req, std::move(res), !self->keep_alive_);
                 });
    });
  }

  Request BuildRequest() {
    Request r;
    if (parser_) r = FromHeader(parser_->get(), peer_ip_);
    if (server_->decorate) server_->decorate(r);
    return r;
  }

  // A response produced by the server itself (not a handler): observed, then written.
  void Reply(Request req, Response res, bool close) {
    if (server_->observe) {
      double secs = std::chrono::duration<double>(Clock::now() - started_).count();
      server_->observe(req, res, secs);
    }
    busy_ = true;
    Write(req, std::move(res), close);
  }

  void Write(const Request& req, Response res, bool close) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    msg->version(11);
    msg->result(static_cast<unsigned>(res.status));
    msg->set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) msg->insert(k, v);
    if (!req.request_id.empty() && msg->find("X-Request-Id") == msg->end())
      msg->set("X-Request-Id", req.request_id);
    msg->body() = std::move(res.body);
    close = close || server_->draining || close_after_response_;
    msg->keep_alive(!close);
    msg->prepare_payload();
    stream_.expires_after(server_->options.request_timeout);
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg, close](beast::error_code ec, std::size_t) {
                         self->busy_ = false;
                         if (ec || close) return self->Close();
                         self->ReadRequest();
                       });
  }

  void Upgrade() {
    Request req = BuildRequest();
    std::optional<Response> refusal =
        server_->authorize ? server_->authorize(req) : std::optional<Response>(Error(404, "not_found", "Not found"));
    if (refusal || server_->hub == nullptr) {
      return Reply(std::move(req), refusal ? std::move(*refusal) : Error(404, "not_found", "Not found"), true);
    }
    stream_.expires_never();
    server_->hub->Accept(stream_.release_socket(), parser_->release(), req.user_id, req.credential);
    Close();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
    server_->Unregister(shared_from_this());
  }

  beast::tcp_stream stream_;
  Server::Impl* server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string peer_ip_;
  Clock::time_point started_ = Clock::now();
  bool keep_alive_ = true;
  bool first_request_ = true;
  bool busy_ = false;
  bool close_after_response_ = false;
  bool closed_ = false;
};

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      log::Warn("accept failed", {{"error", ec.message()}});
    } else {
      auto s = std::make_shared<Session>(std::move(socket), this);
      Register(s);
      s->Start();
    }
    if (!draining) Accept();
  });
}

Server::Server(ServerOptions options, RequestDecorator decorate, RequestHandler handler,
               ResponseObserver observe, UpgradeAuthorizer authorize, WebSocketHub* hub)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->decorate = std::move(decorate);
  impl_->handler = std::move(handler);
  impl_->observe = std::move(observe);
  impl_->authorize = std::move(authorize);
  impl_->hub = hub;
}

Server::~Server() { Shutdown(std::chrono::milliseconds(0)); }

Status Server::Start() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(impl_->options.bind_address, ec);
  if (ec) return InvalidArgument("bad bind address " + impl_->options.bind_address);
  tcp::endpoint ep(addr, static_cast<unsigned short>(impl_->options.port));
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable("cannot listen on " + impl_->options.bind_address + ":" +
                       std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->bound_port = impl_->acceptor.local_endpoint().port();
  impl_->handlers = std::make_unique<asio::thread_pool>(impl_->options.handler_threads);
  impl_->work.emplace(impl_->io.get_executor());
  impl_->Accept();
  for (int i = 0; i < impl_->options.io_threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return Status::Ok();
}

int Server::port() const { return impl_->bound_port; }

int Server::in_flight() const { return impl_->in_flight.load(); }

void Server::Shutdown(std::chrono::milliseconds grace) {
  if (impl_->stopped.exchange(true)) return;
  impl_->draining = true;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  {
    std::lock_guard l(impl_->sessions_mu);
    for (const auto& s : impl_->sessions) s->CloseIfIdle();
  }
  if (impl_->hub != nullptr) impl_->hub->CloseAll();
  auto deadline = Clock::now() + grace;
  while (impl_->in_flight > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Let the last responses flush before stopping the loop.
  auto flush_deadline = Clock::now() + std::chrono::milliseconds(500);
  while (Clock::now() < flush_deadline) {
    {
      std::lock_guard l(impl_->sessions_mu);
      if (impl_->sessions.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  if (impl_->handlers) impl_->handlers->join();
  std::lock_guard l(impl_->sessions_mu);
  impl_->sessions.clear();
}

}  // namespace ascension::http
