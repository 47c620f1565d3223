// /health (the process answers), /ready (its dependencies — probed at most once a second — and
// its own loops work), /metrics,
// /openapi.json.
#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/url.hpp"
#include "api/handlers/handlers.hpp"
#include "services/readiness.hpp"
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
  // The dependencies are probed at most once a second however often /ready is called (issue 10
  // #13: a flood opened one RabbitMQ connection per call); the loops are read at each call.
  auto dependencies = std::make_shared<services::CachedReadiness>(
      ctx.clock, std::chrono::milliseconds(1000), [&ctx] {
        return std::vector<std::pair<std::string, Status>>{
            {"postgres", CheckPostgres(ctx)},
            {"rabbitmq", CheckRabbitMq(ctx)},
            {"s3", ctx.objects ? ctx.objects->Ping() : Unavailable("storage not configured")}};
      });
  r.Add("GET", "/ready", open, [&ctx, dependencies](http::Request&) {
    auto checks = dependencies->Get().checks;
    checks.emplace_back("outbox_relay", CheckLoop(ctx.relay_loop));
    checks.emplace_back("events_forwarder", CheckLoop(ctx.forwarder_loop));
    nlohmann::json states = nlohmann::json::object();
    std::string down;
    for (const auto& [name, st] : checks) {
      states[name] = Check(st);
      if (!st.ok()) down += (down.empty() ? "" : ", ") + name;
    }
    bool up = down.empty();
    nlohmann::json body = {{"status", up ? "ready" : "unavailable"}, {"checks", states}};
    if (!up)
      body["error"] = {{"code", "dependency_unavailable"}, {"message", "Unavailable: " + down}};
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
