// The HTTP/1.1 server: Boost.Beast on an Asio io_context. Sockets are handled asynchronously
// on a few I/O threads; each parsed request is run on a separate handler pool (handlers may
// block on the database) and its response written back in order, one request at a time per
// connection, so pipelined requests are answered in sequence.
//
// Limits: header and body sizes (431 / 413), a deadline for reading each request (a slow
// client cannot hold a connection open by trickling bytes) and an idle keep-alive timeout.
// Shutdown() stops accepting, lets in-flight requests finish within a grace period and closes
// idle connections.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "http/message.hpp"

namespace ascension::http {

class WebSocketHub;

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  int port = 8080;  // 0 picks a free port (see Server::port())
  int io_threads = 2;
  int handler_threads = 16;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds request_timeout{30};  // to receive one whole request
  std::chrono::seconds idle_timeout{75};     // keep-alive connection with no request
};

// Handles a fully read request (on a handler thread).
using RequestHandler = std::function<Response(Request&)>;

// Decides on a WebSocket upgrade (on an I/O thread; must not block). Returns nullopt to
// accept, having set request.user_id, or the response to send instead (e.g. 401).
using UpgradeAuthorizer = std::function<std::optional<Response>(Request&)>;

// Fills the socket-independent parts of a Request (called by the server before handlers).
using RequestDecorator = std::function<void(Request&)>;

// Called on the I/O thread for responses the server itself produces (413, 431, 400, 503):
// lets the application add its common headers and log them like any other response.
using ResponseObserver = std::function<void(const Request&, Response&, double seconds)>;

// One request read from raw bytes exactly as a connection reads it (same parser, limits and
// decoding), without a socket: for tests and the fuzz targets. `error` is the 400/413/431/501 the
// server would answer (the request then holds whatever header was read); the decorator is not
// applied.
struct ParsedRequest {
  Request request;
  std::optional<Response> error;
  bool upgrade = false;      // a WebSocket upgrade request
  bool keep_alive = false;   // the connection would stay open
  std::size_t consumed = 0;  // bytes of `raw` the request took (pipelined bytes follow)
};
ParsedRequest ParseRequest(std::string_view raw, const ServerOptions& options,
                           const std::string& peer_ip);

class Server {
 public:
  Server(ServerOptions options, RequestDecorator decorate, RequestHandler handler,
         ResponseObserver observe, UpgradeAuthorizer authorize, WebSocketHub* hub);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the I/O and handler threads. Returns once listening.
  Status Start();
  // The bound port (useful with port 0).
  int port() const;
  // Stops accepting, waits up to `grace` for in-flight requests, closes every connection and
  // joins the threads. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

  int in_flight() const;

  struct Impl;  // public so the connection class in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ascension::http
