// The API process: composes the context (adapters, services), the routes and the HTTP server,
// applies the middleware every request goes through, and runs the background loops every
// instance carries, each a supervised BackgroundLoop over one service's round: the outbox relay
// (services::OutboxRelay over amqp::AmqpJobPublisher: jobs to RabbitMQ), the events forwarder
// (services::EventsForwarderLoop over amqp::AmqpEventSource: RabbitMQ events to WebSocket
// clients), the upload sweeper, the reapers, the storage measure and the WebSocket sessions'
// check.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "adapters/amqp/event_source.hpp"
#include "adapters/amqp/job_bus.hpp"
#include "api/context.hpp"
#include "api/handlers/web.hpp"
#include "common/background_loop.hpp"
#include "common/stopper.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "services/events_forwarder.hpp"
#include "services/outbox_relay.hpp"

namespace ascension::api {

class App {
 public:
  explicit App(ApiConfig config);
  ~App();

  // Composes the services, starts the background loops and the server. Dependencies that are
  // down are not fatal: /ready reports them and the loops retry.
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

  // ---- background loops (one round each; the relay's and the forwarder's are their units') ----
  std::chrono::milliseconds SweeperRound();
  std::chrono::milliseconds WebSocketSessionsRound();
  std::chrono::milliseconds ReaperRound();
  std::chrono::milliseconds StorageUsageRound();
  BackgroundLoop& AddLoop(const std::string& name, BackgroundLoop::Body body,
                          std::chrono::milliseconds initial_delay);

  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
  WebClient web_;
  std::unique_ptr<http::Server> server_;
  Stopper stopper_;
  // The relay (its own broker connection, used on its loop's thread only) and the events
  // forwarder (a subscription per round), composed by Start.
  std::optional<amqp::AmqpJobPublisher> relay_publisher_;
  std::optional<services::OutboxRelay> relay_;
  std::optional<amqp::AmqpEventSource> event_source_;
  std::optional<services::EventsForwarderLoop> forwarder_;
  std::vector<std::unique_ptr<BackgroundLoop>> loops_;
  BackgroundLoop* relay_loop_ = nullptr;
  BackgroundLoop* forwarder_loop_ = nullptr;
};

}  // namespace ascension::api
