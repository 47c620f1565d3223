#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "api/handlers/handlers.hpp"
#include "store/outbox.hpp"

namespace ascension::api {
namespace {

// One dependency's state for /ready.
nlohmann::json Check(const Status& s) {
  if (s.ok()) return {{"status", "up"}};
  return {{"status", "down"}, {"error", s.message()}};
}

Status CheckPostgres(ApiContext& ctx) {
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec("SELECT 1").status();
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
    Status s3 = ctx.s3->HeadBucket();
    bool up = pg.ok() && mq.ok() && s3.ok();
    nlohmann::json body = {{"status", up ? "ready" : "unavailable"},
                           {"checks", {{"postgres", Check(pg)}, {"rabbitmq", Check(mq)}, {"s3", Check(s3)}}}};
    if (!up) {
      std::string down;
      for (auto& [name, st] : {std::pair{"postgres", &pg}, {"rabbitmq", &mq}, {"s3", &s3}}) {
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
