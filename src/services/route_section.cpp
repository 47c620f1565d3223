#include "services/route_section.hpp"

#include <optional>
#include <string>
#include <vector>

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

Result<json> HoldsUsedSection(const domain::Route& r, const std::vector<domain::RouteHold>& holds,
                              const json& result) {
  if (r.image_width <= 0 || r.image_height <= 0)
    return InvalidArgument("The route has no image size");
  std::vector<ghost::HoldShape> shapes;
  shapes.reserve(holds.size());
  const double w = r.image_width, h = r.image_height;
  for (const domain::RouteHold& hold : holds) {
    ghost::HoldShape s;
    s.id = hold.id.str();
    s.size = ghost::ParseSizeClass(hold.size).value_or(ghost::SizeClass::kMedium);
    s.outline.reserve(hold.outline.size());
    for (const domain::ImagePoint& p : hold.outline) s.outline.push_back({p.x / w, p.y / h});
    shapes.push_back(std::move(s));
  }
  auto section = ghost::HoldsUsedSectionJson(result, shapes);
  if (!section.ok()) return section.status();
  (*section)["id"] = r.id.str();
  return section;
}

Result<HoldsUsedFill> FillHoldsUsed(ports::RouteRepository& routes, const domain::Route& route) {
  constexpr int kMaxAnalyses = 500;
  HoldsUsedFill out;
  if (route.status != domain::RouteStatus::kReady) return out;
  auto analyses = routes.AnalysesOnRoute(route.id, route.user_id, route.analysis_id, kMaxAnalyses);
  if (!analyses.ok()) return analyses.status();
  std::optional<std::vector<domain::RouteHold>> holds;  // read once, when one analysis needs them
  for (const ports::AnalysisOnRoute& a : *analyses) {
    auto unreadable = [&](const std::string& why) {
      ++out.unreadable;
      log::Warn("analysis left without the holds used on its route",
                {{"analysis_id", a.id.str()}, {"route_id", route.id.str()}, {"error", why}});
    };
    // Climbed on another route: its section is that route's.
    if (a.route_id && *a.route_id != route.id) {
      ++out.unchanged;
      continue;
    }
    json result = json::parse(a.result_json, nullptr, /*allow_exceptions=*/false);
    if (result.is_discarded() || !result.is_object()) {
      unreadable("the result is not a JSON object");
      continue;
    }
    const auto section = result.find("route");
    if (section != result.end() && section->is_object() && section->contains("holds_used")) {
      ++out.unchanged;
      continue;
    }
    if (!holds) {
      auto read = routes.Holds(route.id);
      if (!read.ok()) return read.status();
      holds = std::move(read).value();
    }
    auto filled = HoldsUsedSection(route, *holds, result);
    if (!filled.ok()) {
      unreadable(filled.status().message());
      continue;
    }
    result["route"] = std::move(filled).value();
    auto written =
        routes.ReplaceAnalysisResult(a.id, route.user_id, a.result_json,
                                     result.dump(-1, ' ', false, json::error_handler_t::replace));
    if (!written.ok()) return written.status();
    if (*written) {
      ++out.filled;
    } else {
      ++out.conflicts;
      log::Info("analysis result changed meanwhile, holds used not written",
                {{"analysis_id", a.id.str()}, {"route_id", route.id.str()}});
    }
  }
  return out;
}

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
  auto section = HoldsUsedSection(r, *holds, result);
  if (!section.ok()) return without("route_unreadable", section.status().message());
  result["route"] = std::move(section).value();
  json ghost = GhostSection(analysis, r, result, hints);
  if (!ghost.is_null()) result["ghost"] = std::move(ghost);
}

void ClimbOnRoute::AfterComplete(const domain::Analysis& analysis, const json& result) {
  if (!analysis.route_id || !result.is_object()) return;
  const auto section = result.find("route");
  if (section == result.end() || !section->is_object()) return;
  const auto error = section->find("error");
  if (error == section->end() || !error->is_object()) return;
  const auto code = error->find("code");
  if (code == error->end() || !code->is_string() || *code != "route_not_ready") return;
  auto route = routes_.FindOwned(*analysis.route_id, analysis.user_id);
  Status failed;
  if (!route.ok()) {
    failed = route.status();
  } else if (*route && (*route)->status == domain::RouteStatus::kReady) {
    auto filled = FillHoldsUsed(routes_, **route);
    if (!filled.ok()) failed = filled.status();
  }
  if (!failed.ok()) {
    log::Warn("holds used not filled after the route became ready",
              {{"analysis_id", analysis.id.str()},
               {"route_id", analysis.route_id->str()},
               {"error", failed.message()}});
  }
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
