// /health (the process answers), /ready (its dependencies and its own loops work), /metrics,
// /openapi.json.
#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "api/handlers/handlers.hpp"
#include "store/sql.hpp"

namespace ascension::api {
namespace {

// One dependency's state for /ready.
nlohmann::json Check(const Status& s) {
  if (s.ok()) return {{"status", "up"}};
  return {{"status", "down"}, {"error", s.message()}};
}

Status CheckPostgres(ApiContext& ctx) { return store::Ping(*ctx.db); }

// A background loop the API cannot serve without (the relay: jobs reach the workers; the
// forwarder: events reach the WebSockets) is down when it ended, crashed or cannot consume.
Status CheckLoop(const BackgroundLoop* loop) {
  if (loop == nullptr) return Unavailable("not started");
  if (loop->healthy()) return Status::Ok();
  return Unavailable(loop->degraded() ? "not consuming" : "not running");
}

Status CheckRabbitMq(ApiContext& ctx) {
  auto url = amqp::ParseUrl(ctx.config.common.rabbitmq_url);
  if (!url.ok()) return url.status();
  amqp::ConnectOptions o;
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.rpc_timeout = std::chrono::milliseconds(2000);
  auto c = amqp::Connection::Open(*url, o);
  return c.status();
}

}  // namespace

void RegisterSystemRoutes(http::Router& r, ApiContext& ctx) {
  http::RouteOptions open{.requires_auth = false};
  r.Add("GET", "/health", open, [&ctx](http::Request&) {
    return http::Json(200, {{"status", "ok"}, {"instance", ctx.config.instance_id}});
  });
  r.Add("GET", "/ready", open, [&ctx](http::Request&) {
    Status pg = CheckPostgres(ctx);
    Status mq = CheckRabbitMq(ctx);
    Status s3 = ctx.objects ? ctx.objects->Ping() : Unavailable("storage not configured");
    Status relay = CheckLoop(ctx.relay_loop);
    Status forwarder = CheckLoop(ctx.forwarder_loop);
    bool up = pg.ok() && mq.ok() && s3.ok() && relay.ok() && forwarder.ok();
    nlohmann::json body = {{"status", up ? "ready" : "unavailable"},
                           {"checks",
                            {{"postgres", Check(pg)},
                             {"rabbitmq", Check(mq)},
                             {"s3", Check(s3)},
                             {"outbox_relay", Check(relay)},
                             {"events_forwarder", Check(forwarder)}}}};
    if (!up) {
      std::string down;
      for (auto& [name, st] : {std::pair{"postgres", &pg}, {"rabbitmq", &mq}, {"s3", &s3},
                               {"outbox_relay", &relay}, {"events_forwarder", &forwarder}}) {
        if (!st->ok()) down += (down.empty() ? "" : ", ") + std::string(name);
      }
      body["error"] = {{"code", "dependency_unavailable"}, {"message", "Unavailable: " + down}};
    }
    return http::Json(up ? 200 : 503, body);
  });
  r.Add("GET", "/metrics", open, [&ctx](http::Request&) {
    ctx.metrics.db_pool_in_use().Set(ctx.db->in_use());
    ctx.metrics.db_pool_idle().Set(ctx.db->idle());
    ctx.metrics.websocket_connections().Set(ctx.hub.connections());
    for (const BackgroundLoop* loop : ctx.loops) ctx.metrics.loop_up(loop->name()).Set(loop->healthy() ? 1 : 0);
    http::Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = ctx.metrics.Render();
    return res;
  });
  r.Add("GET", "/openapi.json", open, [&ctx](http::Request&) {
    http::Response res;
    res.body = ctx.openapi_json;
    return res;
  });
}

}  // namespace ascension::api
