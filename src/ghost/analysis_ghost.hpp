// The ghost section of an analysis result (issue 14 item 5): the climb of an analysis on a route
// (its route.holds_used and the centre of mass of its frames) compared with the route's ghost —
// the ghost's beta, the sequence and time alignment and the per-move deviations
// (ghost/comparison.hpp), and the biggest deviations as advice (ghost/ghost_advice.hpp). Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "coaching/advice.hpp"
#include "common/status.hpp"
#include "ghost/comparison.hpp"
#include "ghost/route_ghost.hpp"

namespace ascension::ghost {

struct AnalysisGhost {
  // {"status": "compared", "beta", "comparison", "duration_ms", "fps"} or {"status":
  // "no_beta", "no_beta"} when the route has no beta for this climber.
  nlohmann::json section;
  std::vector<coaching::Advice> advice;  // most severe first, priorities 1..N
  // The comparison the section describes (status "compared"): its sync plays the ghost in step
  // with the video (GhostTimeAt), e.g. to draw it over the climber.
  std::optional<Comparison> comparison;
};

// Compares the climb of `result` (an analysis result document with route.holds_used, its frames'
// "com" and video.fps) with the ghost of `model`. kInvalidArgument when the result has no
// route.holds_used or a hostile one (ParseClimbJson, CompareClimb name the field). `lang` as
// for coaching::ParseLanguage.
Result<AnalysisGhost> CompareAnalysisWithGhost(const RouteGhostModel& model,
                                               const nlohmann::json& result, std::string_view lang);

// Appends `extra` to the result's "advice" array (created when missing), numbering their
// priorities after the entries already there; returns the Markdown to append to the hints
// (coaching::HintsMarkdown of `extra`, empty without any).
std::string AppendAdvice(nlohmann::json& result, const std::vector<coaching::Advice>& extra);

}  // namespace ascension::ghost
