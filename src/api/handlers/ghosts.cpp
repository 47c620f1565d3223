// /v1/routes/{id}/ghost: ghost mode (issue 14, F07; premium and infinity).
#include "api/handlers/handlers.hpp"
#include "api/route_bodies.hpp"
#include "api/route_views.hpp"
#include "domain/time.hpp"

namespace ascension::api {
namespace {

// The ghost's state (without the document). `fingerprint` is the one of the inputs the stored
// document was computed from — the one an analysis' ghost section carries when it was compared
// with that document — null before the first one.
nlohmann::json StateJson(const services::GhostView& v) {
  const domain::StoredGhost& g = v.ghost;
  nlohmann::json j = {{"route_id", g.route_id.str()},
                      {"status", v.state},
                      {"job_id", g.job_id.str()},
                      {"scale", ScaleJson(v.scale)},
                      {"requested_at", domain::FormatTime(g.requested_at)},
                      {"computed_at", nullptr},
                      {"fingerprint", nullptr},
                      {"error", nullptr}};
  if (g.computed_at) j["computed_at"] = domain::FormatTime(*g.computed_at);
  if (!g.fingerprint.empty()) j["fingerprint"] = g.fingerprint;
  if (v.state == "failed") {
    j["error"] = {{"code", g.error_code.value_or("internal_error")},
                  {"message", g.error_message.value_or("")}};
  }
  return j;
}

}  // namespace

void RegisterGhostRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/routes/{id}/ghost", {.json_body = true, .body_optional = true},
        [&ctx](http::Request& q) {
          auto id = IdParam(q);
          if (!id) return http::Error(404, "not_found", "Route not found");
          http::Response err;
          auto body = ReadGhostRequest(q.json, &err);
          if (!body) return err;
          auto v = ctx.ghosts->Request(Caller(q), *id, body->scale);
          if (!v.ok()) return FromStatus(v.status());
          return http::Json(v->state == "ready" ? 200 : 202, StateJson(*v));
        });
  r.Add("GET", "/v1/routes/{id}/ghost", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return http::Error(404, "not_found", "Route not found");
    auto v = ctx.ghosts->Show(Caller(q), *id);
    if (!v.ok()) return FromStatus(v.status());
    if (v->state == "stale") {
      return http::Error(409, "ghost_stale",
                         "The route's holds, selection, scale or your profile changed since the "
                         "ghost was computed: ask for it again (POST /v1/routes/{id}/ghost)");
    }
    nlohmann::json j = StateJson(*v);
    if (v->state != "ready") return http::Json(v->state == "computing" ? 202 : 200, j);
    auto doc = nlohmann::json::parse(v->ghost.document, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return FromStatus(DataLoss("the stored ghost of route " + id->str() + " is not a document"));
    }
    j["ghost"] = std::move(doc);
    return http::Json(200, j);
  });
}

}  // namespace ascension::api
