// Coaching advice: a rule engine over the biomechanics of a climb, in English or French, and its
// Markdown rendering for the app's `hints` field. Pure and deterministic. docs/coaching.md lists
// the rules and their thresholds (thresholds.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coaching/biomechanics.hpp"

namespace ascension::coaching {

enum class Language { kEnglish, kFrench };

// The language of a tag or of a whole Accept-Language header ("fr", "en-GB",
// "de-DE,en;q=0.8"): the first tag, in the order given, whose primary subtag (any case) is "fr"
// or "en"; French when there is none — empty, "*", only other languages — since the product
// speaks French first (DEFAULT_LANGUAGE).
Language ParseLanguage(std::string_view tag);
// "en" or "fr".
const char* LanguageCode(Language language);

// What a piece of advice rests on: a measure, its value, the threshold the rule compared it
// with, the frames (video frame indices, at most kMaxEvidenceFrames, in order) that show it, and
// the basis of the value: the frames it was computed over and the time they cover. Every value
// can be recomputed from the result document's own frames (docs/coaching.md says how, per
// measure; a test does it).
struct Evidence {
  std::string measure;  // a ClimbSummary or FrameMetrics field name, or a derived one
  double value = 0;
  double threshold = 0;
  std::vector<int> frames;
  Coverage basis;
  // The basis holds at least kWholeClimbShare of the frames with a pose. When it does not, the
  // advice's first point says what the claim rests on ("in the 3.2 s where your right arm was
  // visible"), unless the measure is about one moment or one pause the point names.
  bool whole_climb = false;
};

enum class AdviceKind {
  kImprovement,  // a problem found in this climb
  kStrength,     // praise for a good score, when fewer than three problems were found
  kDrill,        // a general exercise, when still fewer than three
  kTip,          // about the video itself (nothing detected, camera angle)
};
// "improvement", "strength", "drill", "tip".
const char* AdviceKindName(AdviceKind kind);

struct Advice {
  std::string id;  // stable snake_case rule id, e.g. "straight_arms"
  AdviceKind kind = AdviceKind::kImprovement;
  int priority = 0;               // 1 = most important; 1..N in list order
  std::int64_t timestamp_ms = 0;  // the moment of the clip that shows it
  Language language = Language::kFrench;
  std::string title;                // one line
  std::vector<std::string> points;  // actionable bullets; the first one cites the timestamp
  std::vector<Evidence> evidence;
  // The limbs the advice asks the climber to use; never one the profile says is injured or
  // absent.
  std::vector<domain::BodyLimb> limbs;
};

// Runs every rule over `bio` and returns the advice, most important first. A climb with a
// detected pose gets at least kMinAdviceCount pieces when enough can be said (strengths, then
// drills of the catalogue for the weakest indicators, fill in when few problems are found); a
// climb without one gets the single tip "no_climber_detected". Every timestamp lies within the
// clip. The climber's profile (bio.profile) sets the units (cm with a height), the span reaches
// are judged against, the drills' level, and drops any advice asking for an injured or absent
// limb. `lang` as for ParseLanguage.
std::vector<Advice> Advise(const Biomechanics& bio, std::string_view lang);

// "[1234ms]" below one minute, "[1m23s]" from one minute on (seconds rounded down).
std::string FormatTimecode(std::int64_t ms);

// The `hints` Markdown: for each piece of advice in order, a "## title" line, then one "- point"
// line per point, sections separated by a blank line. Line breaks inside texts become spaces.
std::string HintsMarkdown(const std::vector<Advice>& advice);

}  // namespace ascension::coaching
