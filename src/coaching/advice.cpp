#include "coaching/advice.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>

#include "coaching/advice_text.hpp"
#include "coaching/thresholds.hpp"

namespace ascension::coaching {

Language ParseLanguage(std::string_view tag) {
  while (!tag.empty()) {
    const std::size_t comma = tag.find(',');
    std::string_view item = tag.substr(0, comma);
    tag = comma == std::string_view::npos ? std::string_view() : tag.substr(comma + 1);
    item = item.substr(0, item.find(';'));  // drop the quality
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    if (item.size() < 2) continue;
    const bool whole_subtag = item.size() == 2 || item[2] == '-' || item[2] == '_' ||
                              std::isspace(static_cast<unsigned char>(item[2]));
    if (!whole_subtag) continue;
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(item[0])));
    const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(item[1])));
    if (a == 'f' && b == 'r') return Language::kFrench;
    if (a == 'e' && b == 'n') return Language::kEnglish;
  }
  return Language::kFrench;
}

const char* LanguageCode(Language language) {
  return language == Language::kFrench ? "fr" : "en";
}

const char* AdviceKindName(AdviceKind kind) {
  switch (kind) {
    case AdviceKind::kImprovement:
      return "improvement";
    case AdviceKind::kStrength:
      return "strength";
    case AdviceKind::kDrill:
      return "drill";
    case AdviceKind::kTip:
      return "tip";
  }
  return "unknown";
}

std::string FormatTimecode(std::int64_t ms) {
  ms = std::max<std::int64_t>(ms, 0);
  char buf[48];
  if (ms < 60000) {
    std::snprintf(buf, sizeof buf, "[%lldms]", static_cast<long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "[%lldm%02llds]", static_cast<long long>(ms / 60000),
                  static_cast<long long>(ms % 60000 / 1000));
  }
  return buf;
}

std::string HintsMarkdown(const std::vector<Advice>& advice) {
  auto one_line = [](std::string s) {
    for (char& c : s) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return s;
  };
  std::string md;
  for (const Advice& a : advice) {
    if (!md.empty()) md += '\n';
    md += "## " + one_line(a.title) + '\n';
    for (const std::string& p : a.points) md += "- " + one_line(p) + '\n';
  }
  return md;
}

namespace {

namespace th = thresholds;
using Run = std::pair<std::size_t, std::size_t>;

// A rule's conclusion before its texts are written.
struct Finding {
  std::string_view id;
  AdviceKind kind = AdviceKind::kImprovement;
  double severity = 0;  // 0..1; orders the improvements
  std::int64_t timestamp_ms = 0;
  TextValues values;
  std::vector<Evidence> evidence;
  // The limbs the advice asks the climber to use (by domain::BodyLimb).
  std::array<bool, 4> limbs{};
  const training::Drill* drill = nullptr;  // for kDrill findings
};

constexpr std::array<bool, 4> kLegs = {false, false, true, true};
constexpr std::array<bool, 4> kArms = {true, true, false, false};

// Severity of a triggered rule from how far past its threshold it is (thresholds.hpp).
double Severity(double excess) {
  return th::kAdviceSeverityFloor + (1 - th::kAdviceSeverityFloor) * std::clamp(excess, 0.0, 1.0);
}

// Video frame indices of frames[first..last], evenly thinned to kMaxEvidenceFrames.
std::vector<int> Frames(const Biomechanics& b, std::size_t first, std::size_t last) {
  std::vector<int> out;
  const std::size_t count = last - first + 1;
  const std::size_t keep = std::min<std::size_t>(count, th::kMaxEvidenceFrames);
  for (std::size_t k = 0; k < keep; ++k) {
    const std::size_t i = keep == 1 ? first : first + k * (count - 1) / (keep - 1);
    out.push_back(b.frames[i].frame);
  }
  return out;
}

std::int64_t MidTime(const Biomechanics& b, const Run& r) {
  return b.frames[(r.first + r.second) / 2].timestamp_ms;
}

// The longest (in time) run of frames where `pred` holds; the earliest on ties.
template <typename Pred>
std::optional<Run> LongestRun(const Biomechanics& b, Pred pred) {
  std::optional<Run> best;
  std::int64_t best_ms = -1;
  for (std::size_t i = 0; i < b.frames.size();) {
    if (!pred(b.frames[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < b.frames.size() && pred(b.frames[j + 1])) ++j;
    const std::int64_t ms = b.frames[j].timestamp_ms - b.frames[i].timestamp_ms;
    if (ms > best_ms) {
      best = Run{i, j};
      best_ms = ms;
    }
    i = j + 1;
  }
  return best;
}

template <typename Pred>
bool Any(const Biomechanics& b, Pred pred) {
  return std::any_of(b.frames.begin(), b.frames.end(), pred);
}

bool IsWholeClimb(const Biomechanics& b, const Coverage& basis) {
  return basis.frames > 0 && basis.frames >= th::kWholeClimbShare * b.summary.detected_frame_count;
}

// Evidence for a claim about the climb: its value rests on the frames of `basis`.
Evidence ClimbEvidence(const Biomechanics& b, std::string measure, double value, double threshold,
                       std::vector<int> frames, Coverage basis) {
  return {std::move(measure), value, threshold, std::move(frames), basis, IsWholeClimb(b, basis)};
}

// Evidence for a claim about the frames first..last only (one moment, one pause), which the
// advice names itself.
Evidence SpanEvidence(const Biomechanics& b, std::string measure, double value, double threshold,
                      std::size_t first, std::size_t last) {
  const Coverage basis{static_cast<int>(last - first + 1),
                       b.frames[last].timestamp_ms - b.frames[first].timestamp_ms};
  return {std::move(measure), value, threshold, Frames(b, first, last), basis, false};
}

// The scope phrase of a finding's first point follows its main evidence.
void SetScope(Finding& f, const Biomechanics& b, ScopePart part, const Coverage& basis) {
  f.values.whole_climb = IsWholeClimb(b, basis);
  f.values.part = part;
  f.values.scope_ms = basis.ms;
}

// The frames the jerk frequency rests on (ClimbSummary::moving_frames).
Coverage MovingCoverage(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  const double interval = s.detected_frame_count > 0
                              ? static_cast<double>(s.duration_ms) / s.detected_frame_count
                              : 0.0;
  return {s.moving_frames, std::llround(s.moving_frames * interval)};
}

// --- Improvement rules -----------------------------------------------------------------------

std::optional<Finding> StraightArms(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  // The worse of the arms that were measured and that the climber can use.
  std::optional<int> worst;
  for (int side : {0, 1}) {
    const auto limb = side == 0 ? domain::BodyLimb::kLeftArm : domain::BodyLimb::kRightArm;
    const Coverage& c = side == 0 ? s.coverage.left_elbow : s.coverage.right_elbow;
    if (c.frames == 0 || !b.profile.CanUse(limb)) continue;
    const double r = side == 0 ? s.left_straight_arm_ratio : s.right_straight_arm_ratio;
    if (!worst || r < (*worst == 0 ? s.left_straight_arm_ratio : s.right_straight_arm_ratio)) {
      worst = side;
    }
  }
  if (!worst) return std::nullopt;
  const int side = *worst;
  auto elbow = [side](const FrameMetrics& m) {
    return side == 0 ? m.left_elbow_deg : m.right_elbow_deg;
  };
  const double ratio = side == 0 ? s.left_straight_arm_ratio : s.right_straight_arm_ratio;
  if (ratio >= th::kAdviceStraightArmRatio) return std::nullopt;
  const auto run = LongestRun(
      b, [&](const FrameMetrics& m) { return elbow(m) && *elbow(m) <= th::kStraightElbowDeg; });
  if (!run) return std::nullopt;
  Finding f{"straight_arms",
            AdviceKind::kImprovement,
            Severity((th::kAdviceStraightArmRatio - ratio) / th::kAdviceStraightArmRatio),
            MidTime(b, *run),
            {},
            {}};
  f.values.side = side;
  f.values.p = 100 * ratio;
  f.values.q = 100 * th::kAdviceStraightArmRatio;
  f.limbs[side] = true;
  const Coverage& basis = side == 0 ? s.coverage.left_elbow : s.coverage.right_elbow;
  SetScope(f, b, side == 0 ? ScopePart::kLeftArm : ScopePart::kRightArm, basis);
  f.evidence.push_back(
      ClimbEvidence(b, side == 0 ? "left_straight_arm_ratio" : "right_straight_arm_ratio", ratio,
                    th::kAdviceStraightArmRatio, Frames(b, run->first, run->second), basis));
  return f;
}

std::optional<Finding> HipsToWall(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  if (s.hips_far_ratio <= th::kAdviceHipsFarRatio) return std::nullopt;
  const auto run = LongestRun(b, [](const FrameMetrics& m) {
    return m.hip_distance_bh && *m.hip_distance_bh > th::kHipsFarDistance;
  });
  if (!run) return std::nullopt;
  std::size_t peak = run->first;
  for (std::size_t i = run->first; i <= run->second; ++i) {
    if (*b.frames[i].hip_distance_bh > *b.frames[peak].hip_distance_bh) peak = i;
  }
  const double distance = *b.frames[peak].hip_distance_bh;
  Finding f{"hips_to_wall",
            AdviceKind::kImprovement,
            Severity((s.hips_far_ratio - th::kAdviceHipsFarRatio) / (1 - th::kAdviceHipsFarRatio)),
            b.frames[peak].timestamp_ms,
            {},
            {}};
  f.values.d_bh = distance;
  f.values.q = 100 * s.hips_far_ratio;
  SetScope(f, b, ScopePart::kHipsHandsFeet, s.coverage.hips);
  f.limbs = kLegs;
  f.evidence.push_back(ClimbEvidence(b, "hips_far_ratio", s.hips_far_ratio, th::kAdviceHipsFarRatio,
                                     Frames(b, run->first, run->second), s.coverage.hips));
  f.evidence.push_back(
      SpanEvidence(b, "hip_distance_bh", distance, th::kHipsFarDistance, peak, peak));
  return f;
}

std::optional<Finding> LongPause(const Biomechanics& b) {
  const Pause* longest = nullptr;
  for (const Pause& p : b.pauses) {
    const std::int64_t ms = p.end_ms - p.start_ms;
    if (ms < th::kAdviceLongPauseMs || p.straight_arm_share >= th::kAdviceRestStraightShare) {
      continue;
    }
    if (longest == nullptr || ms > longest->end_ms - longest->start_ms) longest = &p;
  }
  if (longest == nullptr) return std::nullopt;
  const double ms = static_cast<double>(longest->end_ms - longest->start_ms);
  Finding f{"long_pause",
            AdviceKind::kImprovement,
            Severity((ms - th::kAdviceLongPauseMs) / th::kAdviceLongPauseMs),
            longest->start_ms,
            {},
            {}};
  f.values.s = ms / 1000.0;
  f.values.p = 100 * longest->straight_arm_share;
  f.limbs = kArms;
  f.evidence.push_back(SpanEvidence(b, "pause_ms", ms, static_cast<double>(th::kAdviceLongPauseMs),
                                    longest->first, longest->last));
  f.evidence.push_back(SpanEvidence(b, "pause_straight_arm_share", longest->straight_arm_share,
                                    th::kAdviceRestStraightShare, longest->first, longest->last));
  return f;
}

std::optional<Finding> SmoothMoves(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  if (s.smoothness >= th::kAdviceSmoothness || s.jerk_hz <= 0) return std::nullopt;
  std::optional<std::size_t> peak;
  for (std::size_t i = 0; i < b.frames.size(); ++i) {
    const auto& j = b.frames[i].com_jerk_bh;
    if (j && (!peak || *j > *b.frames[*peak].com_jerk_bh)) peak = i;
  }
  if (!peak) return std::nullopt;
  Finding f{"smooth_moves",
            AdviceKind::kImprovement,
            Severity((th::kAdviceSmoothness - s.smoothness) / th::kAdviceSmoothness),
            b.frames[*peak].timestamp_ms,
            {},
            {}};
  f.values.p = 100 * s.smoothness;
  f.values.q = 100 * th::kAdviceSmoothness;
  const std::size_t half = th::kAdviceJerkEvidenceHalfWindow;
  const std::size_t from = *peak >= half ? *peak - half : 0;
  const std::size_t to = std::min(b.frames.size() - 1, *peak + half);
  const Coverage moving = MovingCoverage(b);
  SetScope(f, b, ScopePart::kMoving, moving);
  f.limbs = kLegs;
  f.evidence.push_back(ClimbEvidence(b, "smoothness", s.smoothness, th::kAdviceSmoothness,
                                     Frames(b, from, to), moving));
  f.evidence.push_back(
      ClimbEvidence(b, "jerk_hz", s.jerk_hz, th::kSmoothJerkHz, Frames(b, from, to), moving));
  return f;
}

std::optional<Finding> WeightOverFeet(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  if (s.camera_facing < th::kFrontalViewMin || s.com_over_feet_ratio >= th::kAdviceOverFeetRatio ||
      !Any(b, [](const FrameMetrics& m) { return m.com_over_feet.has_value(); })) {
    return std::nullopt;
  }
  const auto run = LongestRun(b, [](const FrameMetrics& m) { return m.com_over_feet == false; });
  if (!run) return std::nullopt;
  Finding f{"weight_over_feet",
            AdviceKind::kImprovement,
            Severity((th::kAdviceOverFeetRatio - s.com_over_feet_ratio) / th::kAdviceOverFeetRatio),
            MidTime(b, *run),
            {},
            {}};
  f.values.p = 100 * s.com_over_feet_ratio;
  SetScope(f, b, ScopePart::kBodyAndFeet, s.coverage.over_feet);
  f.limbs = kLegs;
  f.evidence.push_back(ClimbEvidence(b, "com_over_feet_ratio", s.com_over_feet_ratio,
                                     th::kAdviceOverFeetRatio, Frames(b, run->first, run->second),
                                     s.coverage.over_feet));
  return f;
}

std::optional<Finding> QuietFeet(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  const double per_move = static_cast<double>(s.foot_readjustments) / std::max(1, s.foot_moves);
  if (s.foot_readjustments < th::kAdviceFootReadjustments ||
      per_move <= th::kAdviceReadjustmentsPerFootMove) {
    return std::nullopt;
  }
  std::vector<const Move*> feet;
  for (const Move& m : b.readjustments) {
    if (!IsHand(m.limb)) feet.push_back(&m);
  }
  if (feet.empty()) return std::nullopt;
  Finding f{"quiet_feet",
            AdviceKind::kImprovement,
            Severity((per_move - th::kAdviceReadjustmentsPerFootMove) /
                     th::kAdviceReadjustmentsExcessScale),
            feet.front()->start_ms,
            {},
            {}};
  f.values.side = feet.front()->limb == Limb::kLeftFoot ? 0 : 1;
  f.values.n = s.foot_readjustments;
  f.values.m = s.foot_moves;
  std::vector<int> frames;
  for (const Move* m : feet) {
    if (frames.size() < static_cast<std::size_t>(th::kMaxEvidenceFrames)) {
      frames.push_back(b.frames[m->last].frame);
    }
  }
  SetScope(f, b, ScopePart::kBothFeet, s.coverage.both_feet);
  f.limbs = kLegs;
  f.evidence.push_back(ClimbEvidence(b, "foot_readjustments", s.foot_readjustments,
                                     th::kAdviceFootReadjustments, std::move(frames),
                                     s.coverage.both_feet));
  return f;
}

std::optional<Finding> UseLegs(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  const double limit = th::kAdviceHandFootMoveRatio * s.foot_moves;
  if (s.hand_moves < s.foot_moves + 2 || s.hand_moves < limit) return std::nullopt;
  // The first hand move that follows another hand move with no foot move in between.
  const Move* shown = nullptr;
  bool previous_was_hand = false;
  for (const Move& m : b.moves) {
    if (IsHand(m.limb) && previous_was_hand) {
      shown = &m;
      break;
    }
    previous_was_hand = IsHand(m.limb);
  }
  if (shown == nullptr) return std::nullopt;
  Finding f{"use_legs",
            AdviceKind::kImprovement,
            Severity((s.hand_moves - limit) / std::max(1.0, limit)),
            shown->start_ms,
            {},
            {}};
  f.values.n = s.hand_moves;
  f.values.m = s.foot_moves;
  SetScope(f, b, ScopePart::kAllLimbs, s.coverage.all_limbs);
  f.limbs = kLegs;
  f.evidence.push_back(ClimbEvidence(b, "hand_moves", s.hand_moves, limit,
                                     Frames(b, shown->first, shown->last), s.coverage.all_limbs));
  return f;
}

// The climber's arm span in body heights: the profile's span over its height, else 1 (the span
// taken as the height, an ape index of 1).
double SpanBh(const Biomechanics& b) {
  return b.scale ? b.scale->arm_span_cm / b.scale->height_cm : 1.0;
}

std::optional<Finding> LongReaches(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  const double limit = th::kLongReachSpanShare * SpanBh(b);
  int long_moves = 0;
  const Move* longest = nullptr;
  for (const Move& m : b.moves) {
    if (!IsHand(m.limb)) continue;
    long_moves += m.distance_bh >= limit ? 1 : 0;
    if (longest == nullptr || m.distance_bh > longest->distance_bh) longest = &m;
  }
  if (longest == nullptr || s.hand_moves == 0) return std::nullopt;
  const double share = static_cast<double>(long_moves) / s.hand_moves;
  if (long_moves < th::kAdviceLongReachMoves || share < th::kAdviceLongReachShare) {
    return std::nullopt;
  }
  Finding f{"long_reaches",
            AdviceKind::kImprovement,
            Severity((share - th::kAdviceLongReachShare) / (1 - th::kAdviceLongReachShare)),
            longest->start_ms,
            {},
            {}};
  f.values.d_bh = longest->distance_bh;
  f.values.p = 100 * longest->distance_bh / SpanBh(b);
  f.values.q = 100 * th::kLongReachSpanShare;
  f.values.n = long_moves;
  f.values.m = s.hand_moves;
  f.values.span_known = b.scale && b.scale->span_measured;
  f.limbs = kLegs;
  SetScope(f, b, ScopePart::kAllLimbs, s.coverage.all_limbs);
  f.evidence.push_back(ClimbEvidence(b, "long_reach_share", share, th::kAdviceLongReachShare,
                                     Frames(b, longest->first, longest->last),
                                     s.coverage.all_limbs));
  f.evidence.push_back(SpanEvidence(b, "longest_hand_move_span", longest->distance_bh / SpanBh(b),
                                    th::kLongReachSpanShare, longest->first, longest->last));
  return f;
}

std::optional<Finding> Hesitation(const Biomechanics& b) {
  // Short stops only: rests (>= kRestMinMs) are deliberate and long_pause judges them.
  const ClimbSummary& s = b.summary;
  std::int64_t stopped_ms = 0;
  int stops = 0;
  const Pause* longest = nullptr;
  std::vector<int> frames;
  for (const Pause& p : b.pauses) {
    if (p.rest) continue;
    stopped_ms += p.end_ms - p.start_ms;
    ++stops;
    if (longest == nullptr || p.end_ms - p.start_ms > longest->end_ms - longest->start_ms) {
      longest = &p;
    }
    if (frames.size() < static_cast<std::size_t>(th::kMaxEvidenceFrames)) {
      frames.push_back(b.frames[p.first].frame);
    }
  }
  if (s.duration_ms <= 0 || longest == nullptr) return std::nullopt;
  const double share = static_cast<double>(stopped_ms) / static_cast<double>(s.duration_ms);
  if (share <= th::kAdviceStopShare) return std::nullopt;
  Finding f{"hesitation",
            AdviceKind::kImprovement,
            Severity((share - th::kAdviceStopShare) / (1 - th::kAdviceStopShare)),
            longest->start_ms,
            {},
            {}};
  f.values.p = 100 * share;
  f.values.n = stops;
  SetScope(f, b, ScopePart::kBody, s.coverage.com);
  f.evidence.push_back(ClimbEvidence(b, "stop_share", share, th::kAdviceStopShare,
                                     std::move(frames), s.coverage.com));
  return f;
}

std::optional<Finding> FilmFromBehind(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  if (s.camera_facing >= th::kFrontalViewMin) return std::nullopt;
  const auto run = LongestRun(b, [](const FrameMetrics& m) { return m.com.has_value(); });
  if (!run) return std::nullopt;
  Finding f{"film_from_behind", AdviceKind::kTip, 0, b.frames[run->first].timestamp_ms, {}, {}};
  f.values.p = 100 * s.camera_facing;
  SetScope(f, b, ScopePart::kTorso, s.coverage.torso);
  f.evidence.push_back(ClimbEvidence(b, "camera_facing", s.camera_facing, th::kFrontalViewMin,
                                     Frames(b, run->first, run->first), s.coverage.torso));
  return f;
}

// --- Fallbacks: strengths, then drills ---------------------------------------------------------

using domain::Indicator;

constexpr std::string_view StrengthId(Indicator i) {
  switch (i) {
    case Indicator::kTechnique:
      return "strength_technique";
    case Indicator::kFluidity:
      return "strength_fluidity";
    case Indicator::kStability:
      return "strength_stability";
    case Indicator::kEfficiency:
      return "strength_efficiency";
    case Indicator::kPace:
      return "strength_pace";
  }
  return "";
}

std::string ScoreMeasure(Indicator i) {
  return std::string(domain::IndicatorName(i)) + "_score";
}

// The moment that best shows an indicator at its best; the clip's first pose when none does.
Run BestMoment(const Biomechanics& b, Indicator indicator) {
  std::optional<Run> run;
  auto longest_move = [&b](bool shortest) -> std::optional<Run> {
    const Move* pick = nullptr;
    for (const Move& m : b.moves) {
      const auto ms = m.end_ms - m.start_ms;
      if (pick == nullptr ||
          (shortest ? ms < pick->end_ms - pick->start_ms : ms > pick->end_ms - pick->start_ms)) {
        pick = &m;
      }
    }
    if (pick == nullptr) return std::nullopt;
    return Run{pick->first, pick->last};
  };
  switch (indicator) {
    case Indicator::kTechnique:
      run = LongestRun(b, [](const FrameMetrics& m) {
        const bool any_arm = m.left_elbow_deg || m.right_elbow_deg;
        const bool arms = m.left_elbow_deg.value_or(180) > th::kStraightElbowDeg &&
                          m.right_elbow_deg.value_or(180) > th::kStraightElbowDeg;
        const bool hips = m.hip_distance_bh.value_or(0) <= th::kHipsFarDistance;
        return any_arm && arms && hips;
      });
      break;
    case Indicator::kFluidity:
    case Indicator::kEfficiency:
      run = longest_move(false);
      break;
    case Indicator::kPace:
      run = longest_move(true);
      break;
    case Indicator::kStability:
      run = LongestRun(b, [](const FrameMetrics& m) {
        return m.com_in_support == true && m.com_over_feet == true;
      });
      break;
  }
  if (run) return *run;
  const auto first = LongestRun(b, [](const FrameMetrics& m) { return m.com.has_value(); });
  return first ? Run{first->first, first->first} : Run{0, 0};
}

// Whether the climber of `profile` can follow advice asking for `limbs`.
bool CanFollow(const domain::ClimberProfile& profile, const std::array<bool, 4>& limbs) {
  for (domain::BodyLimb l : domain::kBodyLimbs) {
    if (limbs[static_cast<int>(l)] && !profile.CanUse(l)) return false;
  }
  return true;
}

void AddFallbacks(const Biomechanics& b, std::vector<Finding>& findings) {
  const ClimbSummary& s = b.summary;
  struct Measured {
    Indicator indicator;
    double value;
  };
  std::vector<Measured> measured;
  for (Indicator i : domain::kIndicators) {
    if (const auto v = s.scores.indicators.Get(i)) measured.push_back({i, *v});
  }
  auto enough = [&findings] {
    return findings.size() >= static_cast<std::size_t>(th::kMinAdviceCount);
  };
  // Strengths for the best indicators first.
  std::stable_sort(measured.begin(), measured.end(),
                   [](const Measured& x, const Measured& y) { return x.value > y.value; });
  for (const Measured& m : measured) {
    if (enough()) return;
    if (m.value < th::kAdvicePraiseScore) continue;
    const Run run = BestMoment(b, m.indicator);
    Finding f{StrengthId(m.indicator), AdviceKind::kStrength, 0, MidTime(b, run), {}, {}};
    f.values.p = m.value;
    if (m.indicator == Indicator::kStability) f.limbs = kLegs;  // "keep moving the feet first"
    if (!CanFollow(b.profile, f.limbs)) continue;
    SetScope(f, b, ScopePart::kBody, s.coverage.com);
    f.evidence.push_back(ClimbEvidence(b, ScoreMeasure(m.indicator), m.value,
                                       th::kAdvicePraiseScore, Frames(b, run.first, run.second),
                                       s.coverage.com));
    findings.push_back(std::move(f));
  }
  // Then a drill of the catalogue for the weakest indicators, suited to the climber's level and
  // body.
  std::stable_sort(measured.begin(), measured.end(),
                   [](const Measured& x, const Measured& y) { return x.value < y.value; });
  const domain::ClimbingLevel level = training::LevelOf(b.profile);
  for (const Measured& m : measured) {
    if (enough()) return;
    const auto drills = training::DrillsFor(m.indicator, level, b.profile);
    if (drills.empty()) continue;
    const Run run = b.moves.empty() ? BestMoment(b, Indicator::kStability)
                                    : Run{b.moves.front().first, b.moves.front().last};
    Finding f{drills.front()->id, AdviceKind::kDrill, 0, b.frames[run.first].timestamp_ms, {}, {}};
    f.drill = drills.front();
    f.limbs = f.drill->asks_for;
    f.values.p = m.value;
    SetScope(f, b, ScopePart::kBody, s.coverage.com);
    f.evidence.push_back(ClimbEvidence(b, ScoreMeasure(m.indicator), m.value,
                                       th::kAdvicePraiseScore, Frames(b, run.first, run.second),
                                       s.coverage.com));
    findings.push_back(std::move(f));
  }
}

Advice Render(const Finding& f, const Biomechanics& b, Language language, int priority) {
  TextValues values = f.values;
  values.timestamp_ms = f.timestamp_ms;
  values.height_cm = b.scale ? b.scale->height_cm : 0;
  AdviceText text = f.drill != nullptr ? DrillText(*f.drill, language, values)
                                       : LocalizedText(f.id, language, values);
  Advice a{f.drill != nullptr ? "drill_" + std::string(f.id) : std::string(f.id),
           f.kind,
           priority,
           f.timestamp_ms,
           language,
           std::move(text.title),
           std::move(text.points),
           f.evidence,
           {}};
  for (domain::BodyLimb l : domain::kBodyLimbs) {
    if (f.limbs[static_cast<int>(l)]) a.limbs.push_back(l);
  }
  return a;
}

}  // namespace

std::vector<Advice> Advise(const Biomechanics& bio, std::string_view lang) {
  const Language language = ParseLanguage(lang);
  if (bio.summary.detected_frame_count == 0 || bio.summary.body_height <= 0) {
    Finding f{"no_climber_detected",
              AdviceKind::kTip,
              0,
              bio.frames.empty() ? 0 : bio.frames.front().timestamp_ms,
              {},
              {}};
    f.evidence.push_back({"detected_frame_count",
                          static_cast<double>(bio.summary.detected_frame_count),
                          1,
                          {},
                          {bio.summary.frame_count, bio.summary.end_ms - bio.summary.start_ms},
                          true});
    return {Render(f, bio, language, 1)};
  }

  using Rule = std::optional<Finding> (*)(const Biomechanics&);
  // Rule order breaks ties between equally severe findings.
  constexpr std::array<Rule, 10> kRules = {StraightArms,   HipsToWall,    LongPause, SmoothMoves,
                                           WeightOverFeet, QuietFeet,     UseLegs,   LongReaches,
                                           Hesitation,     FilmFromBehind};
  std::vector<Finding> findings;
  for (Rule rule : kRules) {
    // No advice asks for a limb the climber's profile says is injured or absent.
    if (auto f = rule(bio); f && CanFollow(bio.profile, f->limbs))
      findings.push_back(std::move(*f));
  }
  // Improvements before tips, the more severe first; stable, so ties keep the rule order.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.kind != b.kind) return a.kind == AdviceKind::kImprovement;
    return a.severity > b.severity;
  });
  AddFallbacks(bio, findings);

  std::vector<Advice> advice;
  for (const Finding& f : findings) {
    advice.push_back(Render(f, bio, language, static_cast<int>(advice.size()) + 1));
  }
  return advice;
}

}  // namespace ascension::coaching
