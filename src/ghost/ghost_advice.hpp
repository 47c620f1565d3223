// Advice from the comparison of a climb with its ghost, in the coaching's advice format
// (coaching/advice.hpp): the biggest deviations — another hold than the ghost's, an extra or a
// skipped move, the centre of mass far from the ghost's, a move much slower than the ghost's —
// each as an improvement with its moment, numbers and evidence, in English or French. Holds are
// named by their number in the route's order ("hold 3": HoldNumber, route.hpp), as the web names
// them, never by id.
//
// The coaching's advice list and `hints` Markdown take these entries: append them to
// coaching::Advise's result, renumber the priorities, then coaching::HintsMarkdown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "coaching/advice.hpp"
#include "ghost/animation.hpp"
#include "ghost/comparison.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

struct GhostAdviceOptions {
  double video_fps = 30;  // converts moments to the video frame indices cited as evidence
  int max_entries = 3;
};

// Thresholds: a deviation becomes advice when the climber's hold is another one, a move is
// extra or skipped, the centres of mass at landing are more than kComAdviceCm apart, or a move
// takes more than kSlowMoveFactor × the ghost's time and kSlowMoveMinExtraMs more.
inline constexpr double kComAdviceCm = 15;
inline constexpr double kSlowMoveFactor = 2.0;
inline constexpr std::int64_t kSlowMoveMinExtraMs = 1000;

// The most severe deviations, at most options.max_entries, most severe first, priorities
// 1..N. Ids: ghost_other_hold, ghost_extra_move, ghost_skipped_move, ghost_com_far,
// ghost_slow_move. `lang` as for coaching::ParseLanguage. Empty when the climb follows the ghost.
std::vector<coaching::Advice> GhostAdvice(const Route& route, const Ghost& ghost,
                                          const Comparison& comparison, std::string_view lang,
                                          const GhostAdviceOptions& options = {});

// Every ghost advice id, for the tests' completeness check of both languages.
std::vector<std::string_view> GhostAdviceIds();
// The title and points of advice `id` in `lang`, filled with sample values for every limb (the
// tests' check of the French texts' "vous"); empty for an unknown id.
std::vector<std::string> GhostAdviceTexts(std::string_view id, std::string_view lang);

}  // namespace ascension::ghost
