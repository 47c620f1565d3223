#include "ghost/analysis_ghost.hpp"

#include <cmath>

#include "coaching/result_json.hpp"
#include "ghost/comparison.hpp"
#include "ghost/ghost_advice.hpp"
#include "ghost/ghost_json.hpp"

namespace ascension::ghost {

Result<AnalysisGhost> CompareAnalysisWithGhost(const RouteGhostModel& model,
                                               const nlohmann::json& result,
                                               std::string_view lang) {
  using nlohmann::json;
  const Route& route = model.route.route;
  AnalysisGhost out;
  if (!model.ghost || model.plan.betas.empty()) {
    out.section = {
        {"status", "no_beta"},
        {"no_beta", model.plan.no_beta ? NoBetaJson(route, *model.plan.no_beta) : json(nullptr)}};
    return out;
  }
  auto climb = ParseClimbJson(result, route);
  if (!climb.ok()) return climb.status();
  auto comparison = CompareClimb(route, *model.ghost, model.body, *climb);
  if (!comparison.ok()) return comparison.status();
  GhostAdviceOptions options;
  if (result.is_object()) {
    const auto video = result.find("video");
    if (video != result.end() && video->is_object()) {
      const auto fps = video->find("fps");
      if (fps != video->end() && fps->is_number()) {
        const double v = fps->get<double>();
        if (std::isfinite(v) && v > 0 && v <= 1000) options.video_fps = v;
      }
    }
  }
  out.advice = GhostAdvice(route, *model.ghost, *comparison, lang, options);
  out.section = {{"status", "compared"},
                 {"beta", BetaJson(route, model.plan.betas.front(), &*model.ghost)},
                 {"comparison", ComparisonJson(route, *model.ghost, *comparison)},
                 {"duration_ms", model.ghost->duration_ms}};
  out.comparison = std::move(*comparison);
  return out;
}

std::string AppendAdvice(nlohmann::json& result, const std::vector<coaching::Advice>& extra) {
  if (extra.empty()) return "";
  if (!result.contains("advice") || !result["advice"].is_array())
    result["advice"] = nlohmann::json::array();
  nlohmann::json& list = result["advice"];
  std::vector<coaching::Advice> numbered = extra;
  int next = static_cast<int>(list.size());
  for (coaching::Advice& a : numbered) a.priority = ++next;
  for (nlohmann::json& entry : coaching::AdviceJson(numbered)) list.push_back(std::move(entry));
  return coaching::HintsMarkdown(numbered);
}

}  // namespace ascension::ghost
