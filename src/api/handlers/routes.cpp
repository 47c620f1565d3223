// /v1/routes*: a wall photo's presigned upload and its detection, a route from an analysed climb,
// reading, listing, naming and deletion, and the corrections of the holds (add, move, reshape,
// recolour, role, select, delete; select by colour; the colours found). A route is its owner's
// only: anyone else's answers 404 like a missing one. Bodies are checked here field by field
// (422 naming the field); the rules on the values are services::Routes'.
#include <cmath>
#include <initializer_list>
#include <string_view>

#include "api/handlers/handlers.hpp"
#include "api/respond.hpp"
#include "api/route_views.hpp"

namespace ascension::api {
namespace {

http::Response NotFoundRoute() {
  return http::Error(404, "not_found", "Route not found");
}
http::Response NotFoundHold() {
  return http::Error(404, "not_found", "Hold not found");
}
http::Response Invalid(const std::string& message) {
  return http::Error(422, "validation_failed", message);
}

// The first member of `body` not in `known`, for a 422 naming it.
std::optional<std::string> UnknownField(const nlohmann::json& body,
                                        std::initializer_list<std::string_view> known) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool found = false;
    for (auto k : known) found = found || it.key() == k;
    if (!found) return it.key().substr(0, 64);
  }
  return std::nullopt;
}

// A finite JSON number.
std::optional<double> Number(const nlohmann::json& v) {
  if (!v.is_number()) return std::nullopt;
  const double d = v.get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

// {"x": number, "y": number} or [x, y].
std::optional<domain::ImagePoint> Point(const nlohmann::json& v) {
  std::optional<double> x, y;
  if (v.is_array() && v.size() == 2) {
    x = Number(v[0]);
    y = Number(v[1]);
  } else if (v.is_object() && v.size() == 2 && v.contains("x") && v.contains("y")) {
    x = Number(v["x"]);
    y = Number(v["y"]);
  }
  if (!x || !y) return std::nullopt;
  return domain::ImagePoint{*x, *y};
}

// An outline: an array of at most kMaxOutlinePoints points. nullopt with the 422 otherwise.
std::optional<std::vector<domain::ImagePoint>> Outline(const nlohmann::json& v,
                                                       http::Response* err) {
  if (!v.is_array() || v.size() > static_cast<std::size_t>(domain::kMaxOutlinePoints)) {
    *err = Invalid("outline must be an array of at most " +
                   std::to_string(domain::kMaxOutlinePoints) + " [x, y] points");
    return std::nullopt;
  }
  std::vector<domain::ImagePoint> out;
  for (const auto& p : v) {
    auto pt = Point(p);
    if (!pt) {
      *err = Invalid("outline must be an array of [x, y] points (finite numbers)");
      return std::nullopt;
    }
    out.push_back(*pt);
  }
  return out;
}

// A colour name; nullopt with the 422 when not a string of the palette.
std::optional<std::string> Colour(const nlohmann::json& v, http::Response* err) {
  if (!v.is_string() || !domain::IsHoldColour(v.get_ref<const std::string&>())) {
    *err = Invalid(
        "colour must be one of red, orange, yellow, green, blue, purple, pink, black, "
        "white, grey");
    return std::nullopt;
  }
  return v.get<std::string>();
}

// A role: start | top | hand | foot, or null (none) into *role. False with the 422 otherwise.
bool Role(const nlohmann::json& v, std::optional<domain::HoldRole>* role, http::Response* err) {
  role->reset();
  if (v.is_null()) return true;
  if (v.is_string()) {
    if (auto r = domain::ParseHoldRole(v.get_ref<const std::string&>())) {
      *role = *r;
      return true;
    }
  }
  *err = Invalid("role must be start, top, hand, foot or null");
  return false;
}

std::optional<std::pair<domain::Uuid, domain::Uuid>> RouteAndHold(const http::Request& q) {
  auto id = IdParam(q);
  auto hold = IdParam(q, "hold_id");
  if (!id || !hold) return std::nullopt;
  return std::pair{*id, *hold};
}

http::Response UploadUrl(ApiContext& ctx, http::Request& req) {
  if (auto bad = UnknownField(req.json, {"filename"})) return Invalid("unknown field " + *bad);
  Fields f(req.json);
  auto filename = f.String("filename", true);
  if (!f.ok()) return f.error();
  auto ticket = ctx.routes->RequestUpload(Caller(req), *filename);
  if (!ticket.ok()) return FromStatus(ticket.status());
  return http::Json(
      201, RouteUploadJson(*ticket, ctx.routes->presign_ttl(), ctx.route_options.max_photo_bytes));
}

http::Response FromAnalysis(ApiContext& ctx, http::Request& req) {
  if (auto bad = UnknownField(req.json, {"analysis_id"})) return Invalid("unknown field " + *bad);
  Fields f(req.json);
  auto analysis_id = f.String("analysis_id", true);
  if (!f.ok()) return f.error();
  auto analysis = domain::Uuid::Parse(*analysis_id);
  if (!analysis) return http::Error(404, "not_found", "Analysis not found");
  auto route = ctx.routes->FromAnalysis(Caller(req), *analysis);
  if (!route.ok()) return FromStatus(route.status());
  return http::Json(202, RouteJson(*route));
}

http::Response Patch(ApiContext& ctx, http::Request& req) {
  auto id = IdParam(req);
  if (!id) return NotFoundRoute();
  const auto& b = req.json;
  if (auto bad = UnknownField(b, {"name", "grade", "grade_system", "wall_angle_deg"})) {
    return Invalid("unknown field " + *bad);
  }
  services::RouteEdit edit;
  Fields f(b);
  if (f.Has("name")) edit.name = f.String("name");
  if (f.Has("grade")) edit.grade = f.String("grade");
  if (f.Has("grade_system")) {
    auto system = f.String("grade_system");
    if (f.ok() && !system && edit.grade && *edit.grade) {
      return Invalid("grade_system is required with grade");
    }
    if (system) edit.grade_system = *system;
  }
  if (!f.ok()) return f.error();
  if (auto it = b.find("wall_angle_deg"); it != b.end()) {
    if (it->is_null()) {
      edit.wall_angle_deg = std::optional<double>();
    } else if (auto d = Number(*it)) {
      edit.wall_angle_deg = std::optional<double>(*d);
    } else {
      return Invalid("wall_angle_deg must be a number of degrees or null");
    }
  }
  auto route = ctx.routes->Update(Caller(req), *id, edit);
  if (!route.ok()) return FromStatus(route.status());
  return http::Json(200, RouteJson(*route));
}

http::Response AddHold(ApiContext& ctx, http::Request& req) {
  auto id = IdParam(req);
  if (!id) return NotFoundRoute();
  const auto& b = req.json;
  if (auto bad = UnknownField(b, {"outline", "centre", "radius", "colour", "role", "selected"})) {
    return Invalid("unknown field " + *bad);
  }
  services::NewHold hold;
  http::Response err;
  if (auto it = b.find("outline"); it != b.end() && !it->is_null()) {
    auto outline = Outline(*it, &err);
    if (!outline) return err;
    hold.outline = std::move(*outline);
  }
  if (auto it = b.find("centre"); it != b.end() && !it->is_null()) {
    auto c = Point(*it);
    if (!c) return Invalid("centre must be {\"x\": number, \"y\": number}");
    hold.centre = *c;
  }
  if (auto it = b.find("radius"); it != b.end() && !it->is_null()) {
    auto r = Number(*it);
    if (!r) return Invalid("radius must be a number of pixels");
    hold.radius = *r;
  }
  if (hold.centre.has_value() != hold.radius.has_value() && !hold.outline) {
    return Invalid(hold.centre ? "radius is required with centre"
                               : "centre is required with radius");
  }
  auto colour_it = b.find("colour");
  if (colour_it == b.end() || colour_it->is_null()) return Invalid("colour is required");
  auto colour = Colour(*colour_it, &err);
  if (!colour) return err;
  hold.colour = *colour;
  if (auto it = b.find("role"); it != b.end()) {
    if (!Role(*it, &hold.role, &err)) return err;
  }
  Fields f(b);
  if (auto selected = f.Boolean("selected")) hold.selected = *selected;
  if (!f.ok()) return f.error();
  auto added = ctx.routes->AddHold(Caller(req), *id, hold);
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
  const auto& b = req.json;
  if (auto bad = UnknownField(b, {"outline", "centre", "colour", "role", "selected"})) {
    return Invalid("unknown field " + *bad);
  }
  services::HoldEdit edit;
  http::Response err;
  if (auto it = b.find("outline"); it != b.end()) {
    auto outline = Outline(*it, &err);
    if (!outline) return err;
    edit.outline = std::move(*outline);
  }
  if (auto it = b.find("centre"); it != b.end()) {
    auto c = Point(*it);
    if (!c) return Invalid("centre must be {\"x\": number, \"y\": number}");
    edit.centre = *c;
  }
  if (auto it = b.find("colour"); it != b.end()) {
    auto colour = Colour(*it, &err);
    if (!colour) return err;
    edit.colour = *colour;
  }
  if (auto it = b.find("role"); it != b.end()) {
    std::optional<domain::HoldRole> role;
    if (!Role(*it, &role, &err)) return err;
    edit.role = role;
  }
  Fields f(b);
  edit.selected = f.Boolean("selected");
  if (!f.ok()) return f.error();
  auto changed = ctx.routes->EditHold(Caller(req), ids->first, ids->second, edit);
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
  if (auto bad = UnknownField(req.json, {"colour"})) return Invalid("unknown field " + *bad);
  auto it = req.json.find("colour");
  if (it == req.json.end() || it->is_null()) return Invalid("colour is required");
  http::Response err;
  auto colour = Colour(*it, &err);
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
