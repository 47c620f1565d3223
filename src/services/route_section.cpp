#include "services/route_section.hpp"

#include <optional>
#include <string>

#include "common/log.hpp"
#include "ghost/analysis_ghost.hpp"
#include "ghost/holds_used.hpp"
#include "services/ghosts.hpp"

namespace ascension::services {
namespace {

using nlohmann::json;

json Problem(const domain::Analysis& analysis, const char* what, const char* code,
             const std::string& message) {
  log::Warn(what, {{"analysis_id", analysis.id.str()},
                   {"route_id", analysis.route_id ? analysis.route_id->str() : ""},
                   {"error_code", code},
                   {"error", message}});
  return json{{"code", code}, {"message", message}};
}

}  // namespace

void ClimbOnRoute::Attach(const domain::Analysis& analysis, json& result, std::string& hints) {
  if (!analysis.route_id || !result.is_object()) return;
  const std::string route_id = analysis.route_id->str();
  auto without = [&](const char* code, const std::string& message) {
    result["route"] = {
        {"id", route_id},
        {"error", Problem(analysis, "analysis completes without the holds used on its route", code,
                          message)}};
  };
  auto route = routes_.FindOwned(*analysis.route_id, analysis.user_id);
  if (!route.ok()) return without("route_unavailable", route.status().message());
  if (!*route) return without("route_not_found", "The route was deleted");
  const domain::Route& r = **route;
  if (r.status != domain::RouteStatus::kReady) {
    return without("route_not_ready", "The route's holds are being detected again (status " +
                                          std::string(domain::RouteStatusName(r.status)) + ")");
  }
  if (r.image_width <= 0 || r.image_height <= 0)
    return without("route_unreadable", "The route has no image size");
  auto holds = routes_.Holds(r.id);
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
  result["route"] = {{"id", route_id},
                     {"holds_used", ghost::HoldsUsedJson(used)},
                     {"unmatched_placements", used.unmatched},
                     {"hold_count", shapes.size()},
                     {"coordinates", "normalized frame coordinates"}};
  json section = GhostSection(analysis, r, result, hints);
  if (!section.is_null()) result["ghost"] = std::move(section);
}

json ClimbOnRoute::GhostSection(const domain::Analysis& analysis, const domain::Route& route,
                                json& result, std::string& hints) {
  const char* kWhat = "analysis completes without its ghost comparison";
  auto user = users_.FindById(analysis.user_id);
  if (!user.ok()) {
    return {{"route_id", route.id.str()},
            {"status", "unavailable"},
            {"error", Problem(analysis, kWhat, "ghost_unavailable", user.status().message())}};
  }
  if (!*user) return nullptr;
  const std::string& tier = (*user)->subscription_tier;
  if (tier != "premium" && tier != "infinity") return nullptr;  // ghost mode is premium

  json out = {{"route_id", route.id.str()}};
  auto stored = ghosts_.Find(route.id);
  if (!stored.ok()) {
    out["status"] = "unavailable";
    out["error"] = Problem(analysis, kWhat, "ghost_unavailable", stored.status().message());
    return out;
  }
  if (!*stored || (*stored)->user_id != analysis.user_id) {
    out["status"] = "none";
    out["message"] = "No ghost was computed for this route (POST /v1/routes/{id}/ghost)";
    return out;
  }
  const domain::StoredGhost& g = **stored;
  if (g.status != domain::GhostStatus::kReady) {
    out["status"] = std::string(domain::GhostStatusName(g.status));
    return out;
  }
  auto in = LoadGhostInputs(routes_, profiles_, route);
  if (!in.ok()) {
    out["status"] = "unavailable";
    out["error"] = Problem(analysis, kWhat, "ghost_unavailable", in.status().message());
    return out;
  }
  if (ghost::GhostFingerprint(*in) != g.fingerprint) {
    out["status"] = "stale";
    out["message"] =
        "The route or the profile changed since the ghost was computed; ask for it "
        "again (POST /v1/routes/{id}/ghost)";
    return out;
  }
  // The stored document was computed from exactly these inputs (the fingerprint): the same
  // model is computed again, in the ghost job's options.
  auto model = ghost::PlanRouteGhost(*in, GhostComputationOptions{}.ghost);
  if (!model.ok()) {
    out["status"] = "unreadable";
    out["error"] = Problem(analysis, kWhat, "ghost_unreadable", model.status().message());
    return out;
  }
  auto compared =
      ghost::CompareAnalysisWithGhost(*model, result, domain::LanguageCode(analysis.language));
  if (!compared.ok()) {
    out["status"] = "unreadable";
    out["error"] = Problem(analysis, kWhat, "ghost_unreadable", compared.status().message());
    return out;
  }
  out.update(compared->section);
  out["fingerprint"] = g.fingerprint;
  const std::string markdown = ghost::AppendAdvice(result, compared->advice);
  if (!markdown.empty()) hints += (hints.empty() ? "" : "\n\n") + markdown;
  return out;
}

}  // namespace ascension::services
