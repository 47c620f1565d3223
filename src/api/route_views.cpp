#include "api/route_views.hpp"

#include <cstdio>

#include "domain/time.hpp"

namespace ascension::api {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

double Norm(double v, int extent) {
  return extent > 0 ? v / extent : 0.0;
}

std::string Hex(const domain::Rgb& c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r & 0xff, c.g & 0xff, c.b & 0xff);
  return buf;
}

nlohmann::json HeadersJson(const ports::SignedUrl& u) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : u.headers) headers[name] = value;
  return headers;
}

}  // namespace

nlohmann::json ScaleJson(const domain::GhostScale& s) {
  if (s.distance) {
    return {{"hold_a", s.distance->hold_a.str()},
            {"hold_b", s.distance->hold_b.str()},
            {"distance_cm", s.distance->distance_cm}};
  }
  if (s.wall_height_cm) return {{"wall_height_cm", *s.wall_height_cm}};
  return nullptr;
}

nlohmann::json RouteJson(const domain::Route& r) {
  nlohmann::json j = {
      {"id", r.id.str()},
      {"route_id", r.id.str()},
      {"source", domain::RouteSourceName(r.source)},
      {"analysis_id", r.analysis_id ? nlohmann::json(r.analysis_id->str()) : nlohmann::json()},
      {"status", domain::RouteStatusName(r.status)},
      {"progress", r.progress},
      {"stage", r.stage},
      {"name", OrNull(r.name)},
      {"grade", OrNull(r.grade)},
      {"grade_system", OrNull(r.grade_system)},
      {"wall_angle_deg", OrNull(r.wall_angle_deg)},
      {"scale", ScaleJson(r.scale)},
      {"content_type", r.content_type},
      {"image_width", r.image_width},
      {"image_height", r.image_height},
      {"reference_ms", OrNull(r.reference_ms)},
      {"error_code", OrNull(r.error_code)},
      {"error_message", OrNull(r.error_message)},
      {"job_id", r.job_id.str()},
      {"hold_count", r.hold_count},
      {"created_at", domain::FormatTime(r.created_at)},
      {"updated_at", domain::FormatTime(r.updated_at)},
      {"detected_at",
       r.detected_at ? nlohmann::json(domain::FormatTime(*r.detected_at)) : nlohmann::json()}};
  return j;
}

nlohmann::json HoldJson(const domain::RouteHold& h, int w, int hgt) {
  nlohmann::json outline = nlohmann::json::array();
  nlohmann::json outline_n = nlohmann::json::array();
  for (const auto& p : h.outline) {
    outline.push_back({p.x, p.y});
    outline_n.push_back({Norm(p.x, w), Norm(p.y, hgt)});
  }
  const domain::ImagePoint c = domain::PolygonCentroid(h.outline);
  const domain::ImageBox b = domain::BoundingBox(h.outline);
  nlohmann::json measured;
  if (h.measured) {
    measured = {{"r", h.measured->r},
                {"g", h.measured->g},
                {"b", h.measured->b},
                {"hex", Hex(*h.measured)}};
  }
  return {{"id", h.id.str()},
          {"origin", domain::HoldOriginName(h.origin)},
          {"outline", outline},
          {"outline_normalised", outline_n},
          {"centre", {{"x", c.x}, {"y", c.y}}},
          {"centre_normalised", {{"x", Norm(c.x, w)}, {"y", Norm(c.y, hgt)}}},
          {"bbox", {{"x", b.x}, {"y", b.y}, {"width", b.width}, {"height", b.height}}},
          {"bbox_normalised",
           {{"x", Norm(b.x, w)},
            {"y", Norm(b.y, hgt)},
            {"width", Norm(b.width, w)},
            {"height", Norm(b.height, hgt)}}},
          {"area_px", domain::PolygonArea(h.outline)},
          {"colour", h.colour},
          {"measured_colour", measured},
          {"size", h.size},
          {"confidence", h.confidence},
          {"role", h.role ? nlohmann::json(domain::HoldRoleName(*h.role)) : nlohmann::json()},
          {"selected", h.selected},
          {"created_at", domain::FormatTime(h.created_at)},
          {"updated_at", domain::FormatTime(h.updated_at)}};
}

nlohmann::json RouteViewJson(const services::RouteView& v, std::chrono::seconds ttl) {
  nlohmann::json j = RouteJson(v.route);
  nlohmann::json holds = nlohmann::json::array();
  for (const auto& h : v.holds)
    holds.push_back(HoldJson(h, v.route.image_width, v.route.image_height));
  j["hold_count"] = v.holds.size();
  j["holds"] = std::move(holds);
  j["image_url"] = v.image ? nlohmann::json(v.image->url) : nlohmann::json();
  j["image_url_expires_in"] = v.image ? nlohmann::json(ttl.count()) : nlohmann::json();
  nlohmann::json corrections = nlohmann::json::object();
  int total = 0;
  for (std::size_t i = 0; i < domain::kCorrectionActions.size(); ++i) {
    corrections[std::string(domain::CorrectionActionName(domain::kCorrectionActions[i]))] =
        v.corrections[i];
    total += v.corrections[i];
  }
  corrections["total"] = total;
  j["corrections"] = std::move(corrections);
  return j;
}

nlohmann::json RouteUploadJson(const services::RouteUploadTicket& t, std::chrono::seconds ttl,
                               std::int64_t max_bytes) {
  return {{"route_id", t.route.id.str()},    {"id", t.route.id.str()},
          {"upload_url", t.url.url},         {"method", "PUT"},
          {"headers", HeadersJson(t.url)},   {"content_type", t.route.content_type},
          {"object_key", t.route.image_key}, {"expires_in", ttl.count()},
          {"max_bytes", max_bytes},          {"status", domain::RouteStatusName(t.route.status)}};
}

nlohmann::json CorrectionJson(const domain::HoldCorrection& c) {
  return {{"hold_id", c.hold_id.str()},
          {"action", domain::CorrectionActionName(c.action)},
          {"origin", domain::HoldOriginName(c.origin)},
          {"at", domain::FormatTime(c.at)}};
}

}  // namespace ascension::api
