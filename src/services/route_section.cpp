#include "services/route_section.hpp"

#include <string>

#include "common/log.hpp"
#include "ghost/holds_used.hpp"

namespace ascension::services {

nlohmann::json RouteSection(ports::RouteRepository& routes, const domain::Analysis& analysis,
                            const nlohmann::json& result) {
  using nlohmann::json;
  const std::string route_id = analysis.route_id ? analysis.route_id->str() : "";
  auto without = [&](const char* code, const std::string& message) {
    log::Warn("analysis completes without the holds used on its route",
              {{"analysis_id", analysis.id.str()},
               {"route_id", route_id},
               {"error_code", code},
               {"error", message}});
    return json{{"id", route_id}, {"error", {{"code", code}, {"message", message}}}};
  };
  if (!analysis.route_id) return without("route_not_found", "The analysis names no route");
  auto route = routes.FindOwned(*analysis.route_id, analysis.user_id);
  if (!route.ok()) return without("route_unavailable", route.status().message());
  if (!*route) return without("route_not_found", "The route was deleted");
  const domain::Route& r = **route;
  if (r.status != domain::RouteStatus::kReady) {
    return without("route_not_ready", "The route's holds are being detected again (status " +
                                          std::string(domain::RouteStatusName(r.status)) + ")");
  }
  if (r.image_width <= 0 || r.image_height <= 0)
    return without("route_unreadable", "The route has no image size");
  auto holds = routes.Holds(r.id);
  if (!holds.ok()) return without("route_unavailable", holds.status().message());
  auto climb = ghost::PlacementsFromResult(result);
  if (!climb.ok()) return without("route_unreadable", climb.status().message());

  std::vector<ghost::HoldShape> shapes;
  shapes.reserve(holds->size());
  const double w = r.image_width, h = r.image_height;
  for (const domain::RouteHold& hold : *holds) {
    ghost::HoldShape s;
    s.id = hold.id.str();
    s.size = ghost::ParseSizeClass(hold.size).value_or(ghost::SizeClass::kMedium);
    s.outline.reserve(hold.outline.size());
    for (const domain::ImagePoint& p : hold.outline) s.outline.push_back({p.x / w, p.y / h});
    shapes.push_back(std::move(s));
  }
  ghost::HoldsUsedOptions options;
  options.aspect = climb->aspect;
  if (climb->body_height_fh) options.body_height_fh = *climb->body_height_fh;
  const ghost::HoldsUsed used = ghost::MatchPlacements(climb->placements, shapes, options);
  return json{{"id", route_id},
              {"holds_used", ghost::HoldsUsedJson(used)},
              {"unmatched_placements", used.unmatched},
              {"hold_count", shapes.size()},
              {"coordinates", "normalized frame coordinates"}};
}

}  // namespace ascension::services
