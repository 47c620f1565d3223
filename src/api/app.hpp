// The API process: builds the context, the routes and the HTTP server, and runs the
// background loops every instance carries — the outbox relay (jobs to RabbitMQ), the events
// forwarder (RabbitMQ events to WebSocket clients), the upload sweeper and the stuck-job reaper.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "api/context.hpp"
#include "api/handlers/web.hpp"
#include "common/stopper.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace ascension::api {

class App {
 public:
  explicit App(ApiConfig config);
  ~App();

  // Connects storage, starts the server and the background loops. Dependencies that are down
  // are not fatal: /ready reports them and the loops retry.
  Status Start();
  // Graceful stop: in-flight requests finish within `grace`.
  void Stop(std::chrono::milliseconds grace);

  int port() const { return server_ ? server_->port() : 0; }
  ApiContext& context() { return *ctx_; }
  const http::Router& router() const { return router_; }

  // What the server calls for every request read from a socket: Decorate fills the client
  // address and request id, Handle runs the middleware (rate limit, routing, authentication)
  // and the handler. Public so the fuzz targets drive the whole path without a socket.
  void Decorate(http::Request& req) const;
  http::Response Handle(http::Request& req);

 private:
  http::Response Route(http::Request& req);
  void Observe(const http::Request& req, http::Response& res, double seconds);
  std::optional<http::Response> AuthorizeUpgrade(http::Request& req);
  // `upgrade`: the WebSocket handshake, which a cookie authenticates only from an allowed Origin
  // (as every state-changing request does).
  bool Authenticate(http::Request& req, http::Response* error, bool upgrade = false) const;
  bool IsTrustedProxy(const std::string& ip) const;

  void RunOutboxRelay();
  void RunEventForwarder();
  void RunSweeper();
  void RunReaper();

  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
  WebClient web_;
  std::unique_ptr<http::Server> server_;
  Stopper stopper_;
  Wakeup relay_wakeup_{stopper_};  // the reaper pokes the relay after re-queueing
  std::vector<std::thread> loops_;
};

// Deletes expired unsaved uploads (older than `retention`) from storage and marks their rows
// expired, in batches; safe to run from several instances at once. Returns how many expired.
Result<int> SweepExpiredVideos(ApiContext& ctx, std::chrono::seconds retention);

}  // namespace ascension::api
