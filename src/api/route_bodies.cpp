#include "api/route_bodies.hpp"

#include <cmath>
#include <initializer_list>
#include <string_view>

#include "api/respond.hpp"

namespace ascension::api {
namespace {

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

}  // namespace

std::optional<std::string> ReadRouteUpload(const nlohmann::json& body, http::Response* error) {
  if (auto bad = UnknownField(body, {"filename"})) {
    *error = Invalid("unknown field " + *bad);
    return std::nullopt;
  }
  Fields f(body);
  auto filename = f.String("filename", true);
  if (!f.ok()) {
    *error = f.error();
    return std::nullopt;
  }
  return filename;
}

std::optional<std::string> ReadRouteFromAnalysis(const nlohmann::json& body,
                                                 http::Response* error) {
  if (auto bad = UnknownField(body, {"analysis_id"})) {
    *error = Invalid("unknown field " + *bad);
    return std::nullopt;
  }
  Fields f(body);
  auto analysis_id = f.String("analysis_id", true);
  if (!f.ok()) {
    *error = f.error();
    return std::nullopt;
  }
  return analysis_id;
}

std::optional<services::RouteEdit> ReadRouteEdit(const nlohmann::json& b, http::Response* error) {
  if (auto bad = UnknownField(b, {"name", "grade", "grade_system", "wall_angle_deg", "scale"})) {
    *error = Invalid("unknown field " + *bad);
    return std::nullopt;
  }
  services::RouteEdit edit;
  Fields f(b);
  if (f.Has("name")) edit.name = f.String("name");
  if (f.Has("grade")) edit.grade = f.String("grade");
  if (f.Has("grade_system")) {
    auto system = f.String("grade_system");
    if (f.ok() && !system && edit.grade && *edit.grade) {
      *error = Invalid("grade_system is required with grade");
      return std::nullopt;
    }
    if (system) edit.grade_system = *system;
  }
  if (!f.ok()) {
    *error = f.error();
    return std::nullopt;
  }
  if (auto it = b.find("wall_angle_deg"); it != b.end()) {
    if (it->is_null()) {
      edit.wall_angle_deg = std::optional<double>();
    } else if (auto d = Number(*it)) {
      edit.wall_angle_deg = std::optional<double>(*d);
    } else {
      *error = Invalid("wall_angle_deg must be a number of degrees or null");
      return std::nullopt;
    }
  }
  if (auto it = b.find("scale"); it != b.end()) {
    auto scale = ReadScale(*it, error);
    if (!scale) return std::nullopt;
    edit.scale = std::move(*scale);
  }
  return edit;
}

std::optional<services::NewHold> ReadNewHold(const nlohmann::json& b, http::Response* error) {
  auto fail = [&](const std::string& message) {
    *error = Invalid(message);
    return std::nullopt;
  };
  if (auto bad = UnknownField(b, {"outline", "centre", "radius", "colour", "role", "selected"})) {
    return fail("unknown field " + *bad);
  }
  services::NewHold hold;
  if (auto it = b.find("outline"); it != b.end() && !it->is_null()) {
    auto outline = Outline(*it, error);
    if (!outline) return std::nullopt;
    hold.outline = std::move(*outline);
  }
  if (auto it = b.find("centre"); it != b.end() && !it->is_null()) {
    auto c = Point(*it);
    if (!c) return fail("centre must be {\"x\": number, \"y\": number}");
    hold.centre = *c;
  }
  if (auto it = b.find("radius"); it != b.end() && !it->is_null()) {
    auto r = Number(*it);
    if (!r) return fail("radius must be a number of pixels");
    hold.radius = *r;
  }
  if (hold.centre.has_value() != hold.radius.has_value() && !hold.outline) {
    return fail(hold.centre ? "radius is required with centre" : "centre is required with radius");
  }
  auto colour_it = b.find("colour");
  if (colour_it == b.end() || colour_it->is_null()) return fail("colour is required");
  auto colour = Colour(*colour_it, error);
  if (!colour) return std::nullopt;
  hold.colour = *colour;
  if (auto it = b.find("role"); it != b.end()) {
    if (!Role(*it, &hold.role, error)) return std::nullopt;
  }
  Fields f(b);
  if (auto selected = f.Boolean("selected")) hold.selected = *selected;
  if (!f.ok()) {
    *error = f.error();
    return std::nullopt;
  }
  return hold;
}

std::optional<services::HoldEdit> ReadHoldEdit(const nlohmann::json& b, http::Response* error) {
  auto fail = [&](const std::string& message) {
    *error = Invalid(message);
    return std::nullopt;
  };
  if (auto bad = UnknownField(b, {"outline", "centre", "colour", "role", "selected"})) {
    return fail("unknown field " + *bad);
  }
  services::HoldEdit edit;
  if (auto it = b.find("outline"); it != b.end()) {
    auto outline = Outline(*it, error);
    if (!outline) return std::nullopt;
    edit.outline = std::move(*outline);
  }
  if (auto it = b.find("centre"); it != b.end()) {
    auto c = Point(*it);
    if (!c) return fail("centre must be {\"x\": number, \"y\": number}");
    edit.centre = *c;
  }
  if (auto it = b.find("colour"); it != b.end()) {
    auto colour = Colour(*it, error);
    if (!colour) return std::nullopt;
    edit.colour = *colour;
  }
  if (auto it = b.find("role"); it != b.end()) {
    std::optional<domain::HoldRole> role;
    if (!Role(*it, &role, error)) return std::nullopt;
    edit.role = role;
  }
  Fields f(b);
  edit.selected = f.Boolean("selected");
  if (!f.ok()) {
    *error = f.error();
    return std::nullopt;
  }
  return edit;
}

std::optional<std::string> ReadSelectColour(const nlohmann::json& body, http::Response* error) {
  if (auto bad = UnknownField(body, {"colour"})) {
    *error = Invalid("unknown field " + *bad);
    return std::nullopt;
  }
  auto it = body.find("colour");
  if (it == body.end() || it->is_null()) {
    *error = Invalid("colour is required");
    return std::nullopt;
  }
  return Colour(*it, error);
}

std::optional<domain::GhostScale> ReadScale(const nlohmann::json& s, http::Response* err) {
  domain::GhostScale scale;
  if (s.is_null()) return scale;
  if (!s.is_object()) return *err = Invalid("scale must be an object or null"), std::nullopt;
  if (auto bad = UnknownField(s, {"hold_a", "hold_b", "distance_cm", "wall_height_cm"})) {
    return *err = Invalid("unknown field scale." + *bad), std::nullopt;
  }
  const bool distance = s.contains("hold_a") || s.contains("hold_b") || s.contains("distance_cm");
  const bool wall = s.contains("wall_height_cm");
  if (distance == wall) {
    return *err = Invalid(
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
        return *err = Invalid(std::string("scale.") + name + " must be a hold id"), std::nullopt;
      }
      *out = *id;
    }
    auto f = s.find("distance_cm");
    auto cm = f == s.end() ? std::nullopt : Number(*f);
    if (!cm) return *err = Invalid("scale.distance_cm must be a number"), std::nullopt;
    d.distance_cm = *cm;
    scale.distance = d;
  } else {
    auto cm = Number(*s.find("wall_height_cm"));
    if (!cm) return *err = Invalid("scale.wall_height_cm must be a number"), std::nullopt;
    scale.wall_height_cm = *cm;
  }
  return scale;
}

std::optional<GhostRequestBody> ReadGhostRequest(const nlohmann::json& body,
                                                 http::Response* err) {
  if (auto bad = UnknownField(body, {"scale"})) {
    return *err = Invalid("unknown field " + *bad), std::nullopt;
  }
  GhostRequestBody out;
  if (auto it = body.find("scale"); it != body.end()) {
    auto scale = ReadScale(*it, err);
    if (!scale) return std::nullopt;
    out.scale = std::move(*scale);
  }
  return out;
}

}  // namespace ascension::api
