// /v1/routes/{id}/ghost: ghost mode (issue 14, F07; premium and infinity).
#include <cmath>

#include "api/handlers/handlers.hpp"
#include "domain/time.hpp"

namespace ascension::api {
namespace {

http::Response Unprocessable(const std::string& message) {
  return http::Error(422, "validation_failed", message);
}

// {"scale": {"hold_a","hold_b","distance_cm"} | {"wall_height_cm"}} (all optional).
std::optional<domain::GhostScale> ReadScale(const nlohmann::json& body, http::Response* err) {
  domain::GhostScale scale;
  auto it = body.find("scale");
  if (it == body.end() || it->is_null()) return scale;
  if (!it->is_object()) return *err = Unprocessable("scale must be an object"), std::nullopt;
  const nlohmann::json& s = *it;
  auto number = [&](const char* name) -> std::optional<double> {
    auto f = s.find(name);
    if (f == s.end() || f->is_null()) return std::nullopt;
    if (!f->is_number()) return std::nan("");
    return f->get<double>();
  };
  const bool distance = s.contains("hold_a") || s.contains("hold_b") || s.contains("distance_cm");
  const bool wall = s.contains("wall_height_cm");
  if (distance && wall) {
    return *err = Unprocessable(
               "scale is either hold_a, hold_b and distance_cm, or "
               "wall_height_cm"),
           std::nullopt;
  }
  if (distance) {
    domain::GhostHoldDistance d;
    for (auto [name, out] : {std::pair{"hold_a", &d.hold_a}, std::pair{"hold_b", &d.hold_b}}) {
      auto f = s.find(name);
      std::optional<domain::Uuid> id;
      if (f != s.end() && f->is_string()) id = domain::Uuid::Parse(f->get<std::string>());
      if (!id) {
        return *err = Unprocessable(std::string("scale.") + name + " must be a hold id"),
               std::nullopt;
      }
      *out = *id;
    }
    auto cm = number("distance_cm");
    if (!cm || !std::isfinite(*cm)) {
      return *err = Unprocessable("scale.distance_cm must be a number"), std::nullopt;
    }
    d.distance_cm = *cm;
    scale.distance = d;
  }
  if (wall) {
    auto cm = number("wall_height_cm");
    if (!cm || !std::isfinite(*cm)) {
      return *err = Unprocessable("scale.wall_height_cm must be a number"), std::nullopt;
    }
    scale.wall_height_cm = *cm;
  }
  return scale;
}

nlohmann::json ScaleJson(const domain::GhostScale& s) {
  if (s.distance) {
    return {{"hold_a", s.distance->hold_a.str()},
            {"hold_b", s.distance->hold_b.str()},
            {"distance_cm", s.distance->distance_cm}};
  }
  if (s.wall_height_cm) return {{"wall_height_cm", *s.wall_height_cm}};
  return nullptr;
}

// The ghost's state (without the document).
nlohmann::json StateJson(const services::GhostView& v) {
  const domain::StoredGhost& g = v.ghost;
  nlohmann::json j = {{"route_id", g.route_id.str()},
                      {"status", v.state},
                      {"job_id", g.job_id.str()},
                      {"scale", ScaleJson(g.scale)},
                      {"requested_at", domain::FormatTime(g.requested_at)},
                      {"computed_at", nullptr},
                      {"error", nullptr}};
  if (g.computed_at) j["computed_at"] = domain::FormatTime(*g.computed_at);
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
          auto scale = ReadScale(q.json, &err);
          if (!scale) return err;
          auto v = ctx.ghosts->Request(Caller(q), *id, *scale);
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
