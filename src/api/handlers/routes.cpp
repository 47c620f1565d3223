// /v1/routes*: a wall photo's presigned upload and its detection, a route from an analysed climb,
// reading, listing, naming and deletion, and the corrections of the holds (add, move, reshape,
// recolour, role, select, delete; select by colour; the colours found). A route is its owner's
// only: anyone else's answers 404 like a missing one. Bodies are checked field by field by
// api/route_bodies.hpp (422 naming the field); the rules on the values are services::Routes'.
#include "api/handlers/handlers.hpp"
#include "api/respond.hpp"
#include "api/route_bodies.hpp"
#include "api/route_views.hpp"

namespace ascension::api {
namespace {

http::Response NotFoundRoute() {
  return http::Error(404, "not_found", "Route not found");
}
http::Response NotFoundHold() {
  return http::Error(404, "not_found", "Hold not found");
}

std::optional<std::pair<domain::Uuid, domain::Uuid>> RouteAndHold(const http::Request& q) {
  auto id = IdParam(q);
  auto hold = IdParam(q, "hold_id");
  if (!id || !hold) return std::nullopt;
  return std::pair{*id, *hold};
}

http::Response UploadUrl(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto filename = ReadRouteUpload(req.json, &err);
  if (!filename) return err;
  auto ticket = ctx.routes->RequestUpload(Caller(req), *filename);
  if (!ticket.ok()) return FromStatus(ticket.status());
  return http::Json(
      201, RouteUploadJson(*ticket, ctx.routes->presign_ttl(), ctx.route_options.max_photo_bytes));
}

http::Response FromAnalysis(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto analysis_id = ReadRouteFromAnalysis(req.json, &err);
  if (!analysis_id) return err;
  auto analysis = domain::Uuid::Parse(*analysis_id);
  if (!analysis) return http::Error(404, "not_found", "Analysis not found");
  auto route = ctx.routes->FromAnalysis(Caller(req), *analysis);
  if (!route.ok()) return FromStatus(route.status());
  return http::Json(202, RouteJson(*route));
}

http::Response Patch(ApiContext& ctx, http::Request& req) {
  auto id = IdParam(req);
  if (!id) return NotFoundRoute();
  http::Response err;
  auto edit = ReadRouteEdit(req.json, &err);
  if (!edit) return err;
  auto route = ctx.routes->Update(Caller(req), *id, *edit);
  if (!route.ok()) return FromStatus(route.status());
  return http::Json(200, RouteJson(*route));
}

http::Response AddHold(ApiContext& ctx, http::Request& req) {
  auto id = IdParam(req);
  if (!id) return NotFoundRoute();
  http::Response err;
  auto hold = ReadNewHold(req.json, &err);
  if (!hold) return err;
  auto added = ctx.routes->AddHold(Caller(req), *id, *hold);
  if (!added.ok()) return FromStatus(added.status());
  ctx.metrics.route_corrections("added").Increment(static_cast<double>(added->corrections.size()));
  auto route = ctx.routes->Show(Caller(req), *id);
  const int w = route.ok() ? route->route.image_width : 0;
  const int h = route.ok() ? route->route.image_height : 0;
  return http::Json(201, HoldJson(added->hold, w, h));
}

http::Response EditHold(ApiContext& ctx, http::Request& req) {
  auto ids = RouteAndHold(req);
  if (!ids) return NotFoundHold();
  http::Response err;
  auto edit = ReadHoldEdit(req.json, &err);
  if (!edit) return err;
  auto changed = ctx.routes->EditHold(Caller(req), ids->first, ids->second, *edit);
  if (!changed.ok()) return FromStatus(changed.status());
  for (const auto& c : changed->corrections) {
    ctx.metrics.route_corrections(std::string(domain::CorrectionActionName(c.action))).Increment();
  }
  auto route = ctx.routes->Show(Caller(req), ids->first);
  const int w = route.ok() ? route->route.image_width : 0;
  const int h = route.ok() ? route->route.image_height : 0;
  nlohmann::json body = HoldJson(changed->hold, w, h);
  nlohmann::json corrections = nlohmann::json::array();
  for (const auto& c : changed->corrections) corrections.push_back(CorrectionJson(c));
  body["corrections"] = std::move(corrections);
  return http::Json(200, body);
}

http::Response Select(ApiContext& ctx, http::Request& req) {
  auto id = IdParam(req);
  if (!id) return NotFoundRoute();
  http::Response err;
  auto colour = ReadSelectColour(req.json, &err);
  if (!colour) return err;
  auto selection = ctx.routes->SelectColour(Caller(req), *id, *colour);
  if (!selection.ok()) return FromStatus(selection.status());
  for (const auto& c : selection->corrections) {
    ctx.metrics.route_corrections(std::string(domain::CorrectionActionName(c.action))).Increment();
  }
  auto route = ctx.routes->Show(Caller(req), *id);
  if (!route.ok()) return FromStatus(route.status());
  nlohmann::json body = RouteViewJson(*route, ctx.routes->presign_ttl());
  body["selected"] = selection->selected;
  body["colour"] = *colour;
  return http::Json(200, body);
}

}  // namespace

void RegisterRouteRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/routes/upload-url", {.json_body = true},
        [&ctx](http::Request& q) { return UploadUrl(ctx, q); });
  r.Add("POST", "/v1/routes", {.json_body = true},
        [&ctx](http::Request& q) { return FromAnalysis(ctx, q); });
  r.Add("GET", "/v1/routes", {}, [&ctx](http::Request& q) {
    http::Response err;
    auto page = PageParams(q, &err);
    if (!page) return err;
    auto routes = ctx.routes->List(Caller(q), *page);
    if (!routes.ok()) return FromStatus(routes.status());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& route : routes->items) items.push_back(RouteJson(route));
    return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, routes->total)}});
  });
  r.Add("GET", "/v1/routes/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundRoute();
    auto view = ctx.routes->Show(Caller(q), *id);
    if (!view.ok()) return FromStatus(view.status());
    return http::Json(200, RouteViewJson(*view, ctx.routes->presign_ttl()));
  });
  r.Add("PATCH", "/v1/routes/{id}", {.json_body = true},
        [&ctx](http::Request& q) { return Patch(ctx, q); });
  r.Add("DELETE", "/v1/routes/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundRoute();
    Status s = ctx.routes->Delete(Caller(q), *id);
    return s.ok() ? NoContent() : FromStatus(s);
  });
  r.Add("POST", "/v1/routes/{id}/detect", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundRoute();
    auto route = ctx.routes->Detect(Caller(q), *id);
    if (!route.ok()) return FromStatus(route.status());
    return http::Json(202, RouteJson(*route));
  });
  r.Add("POST", "/v1/routes/{id}/holds", {.json_body = true},
        [&ctx](http::Request& q) { return AddHold(ctx, q); });
  r.Add("PATCH", "/v1/routes/{id}/holds/{hold_id}", {.json_body = true},
        [&ctx](http::Request& q) { return EditHold(ctx, q); });
  r.Add("DELETE", "/v1/routes/{id}/holds/{hold_id}", {}, [&ctx](http::Request& q) {
    auto ids = RouteAndHold(q);
    if (!ids) return NotFoundHold();
    auto c = ctx.routes->DeleteHold(Caller(q), ids->first, ids->second);
    if (!c.ok()) return FromStatus(c.status());
    ctx.metrics.route_corrections("deleted").Increment();
    return NoContent();
  });
  r.Add("POST", "/v1/routes/{id}/select", {.json_body = true},
        [&ctx](http::Request& q) { return Select(ctx, q); });
  r.Add("GET", "/v1/routes/{id}/colours", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundRoute();
    auto colours = ctx.routes->Colours(Caller(q), *id);
    if (!colours.ok()) return FromStatus(colours.status());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& c : *colours) {
      items.push_back({{"colour", c.colour}, {"holds", c.holds}, {"selected", c.selected}});
    }
    return http::Json(200, {{"route_id", id->str()}, {"colours", items}});
  });
}

}  // namespace ascension::api
