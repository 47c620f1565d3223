#include "coaching/result_json.hpp"

#include <cmath>

namespace ascension::coaching {
namespace {

using nlohmann::json;

double Round(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(v * scale) / scale;
  return r == 0 ? 0.0 : r;  // no "-0.0"
}

json Optional(const std::optional<double>& v, int decimals) {
  return v ? json(Round(*v, decimals)) : json();
}

json Span(const Biomechanics& b, std::size_t first, std::size_t last) {
  return json::array({b.frames[first].frame, b.frames[last].frame});
}

json CoverageJson(const ClimbCoverage& c) {
  json out = json::object();
  auto add = [&out](const char* name, const Coverage& k) {
    out[name] = {{"frames", k.frames}, {"ms", k.ms}};
  };
  add("com", c.com);
  add("left_elbow", c.left_elbow);
  add("right_elbow", c.right_elbow);
  add("hips", c.hips);
  add("over_feet", c.over_feet);
  add("both_feet", c.both_feet);
  add("all_limbs", c.all_limbs);
  add("torso", c.torso);
  return out;
}

json ScoresJson(const Scores& scores) {
  json out = {{"global", Optional(scores.global, 1)}};
  for (domain::Indicator i : domain::kIndicators) {
    out[std::string(domain::IndicatorName(i))] = Optional(scores.indicators.Get(i), 1);
  }
  return out;
}

// What the climb was analysed with: the climber's scale and limbs (the evidence of the advice
// rests on them too).
json ClimberJson(const Biomechanics& b) {
  json limbs = json::object();
  for (domain::BodyLimb l : domain::kBodyLimbs) {
    if (const auto c = b.profile.condition(l)) {
      limbs[std::string(domain::BodyLimbName(l))] = std::string(domain::LimbConditionName(*c));
    }
  }
  json out = {{"limbs", std::move(limbs)},
              {"level", b.profile.level ? json(b.profile.level->text()) : json()},
              {"span_bh", b.scale ? Round(b.scale->arm_span_cm / b.scale->height_cm, 4) : 1.0}};
  if (const auto& k = b.scale) {
    out["height_cm"] = Round(k->height_cm, 1);
    out["arm_span_cm"] = k->span_measured ? json(Round(k->arm_span_cm, 1)) : json();
    out["com_path_cm"] = Round(k->com_path_cm, 1);
    out["mean_com_speed_cm_s"] = Round(k->mean_com_speed_cm_s, 1);
    out["max_com_speed_cm_s"] = Round(k->max_com_speed_cm_s, 1);
    out["mean_hip_distance_cm"] = Round(k->mean_hip_distance_cm, 1);
    out["max_reach_cm"] = Round(k->max_reach_cm, 1);
    out["longest_hand_move_cm"] = Round(k->longest_hand_move_cm, 1);
    out["longest_hand_move_span"] = Round(k->longest_hand_move_span, 3);
  }
  return out;
}

}  // namespace

json BiomechanicsJson(const Biomechanics& b) {
  const ClimbSummary& s = b.summary;
  json summary = {
      {"frame_count", s.frame_count},
      {"detected_frame_count", s.detected_frame_count},
      {"start_ms", s.start_ms},
      {"end_ms", s.end_ms},
      {"duration_ms", s.duration_ms},
      {"body_height", Round(s.body_height, 4)},
      {"camera_facing", Round(s.camera_facing, 3)},
      {"com_path_bh", Round(s.com_path_bh, 4)},
      {"com_displacement_bh", Round(s.com_displacement_bh, 4)},
      {"directness", Round(s.directness, 3)},
      {"mean_com_speed", Round(s.mean_com_speed, 4)},
      {"mean_com_speed_bh", Round(s.mean_com_speed_bh, 4)},
      {"max_com_speed_bh", Round(s.max_com_speed_bh, 4)},
      {"left_straight_arm_ratio", Round(s.left_straight_arm_ratio, 3)},
      {"right_straight_arm_ratio", Round(s.right_straight_arm_ratio, 3)},
      {"mean_hip_distance_bh", Round(s.mean_hip_distance_bh, 4)},
      {"hips_far_ratio", Round(s.hips_far_ratio, 3)},
      {"max_reach_bh", Round(s.max_reach_bh, 4)},
      {"com_over_feet_ratio", Round(s.com_over_feet_ratio, 3)},
      {"com_in_support_ratio", Round(s.com_in_support_ratio, 3)},
      {"hand_moves", s.hand_moves},
      {"foot_moves", s.foot_moves},
      {"hand_readjustments", s.hand_readjustments},
      {"foot_readjustments", s.foot_readjustments},
      {"mean_move_ms", Round(s.mean_move_ms, 1)},
      {"pause_count", s.pause_count},
      {"rest_count", s.rest_count},
      {"total_pause_ms", s.total_pause_ms},
      {"longest_pause_ms", s.longest_pause_ms},
      {"jerk_hz", Round(s.jerk_hz, 3)},
      {"smoothness", Round(s.smoothness, 3)},
      {"moving_frames", s.moving_frames},
      {"coverage", CoverageJson(s.coverage)},
      {"longest_hand_move_bh", Round(s.longest_hand_move_bh, 4)},
      {"scores", ScoresJson(s.scores)},
  };
  auto moves = [&b](const std::vector<Move>& list) {
    json out = json::array();
    for (const Move& m : list) {
      out.push_back({{"limb", LimbName(m.limb)},
                     {"start_ms", m.start_ms},
                     {"end_ms", m.end_ms},
                     {"frames", Span(b, m.first, m.last)},
                     {"distance_bh", Round(m.distance_bh, 4)}});
    }
    return out;
  };
  json placements = json::array();
  for (const Placement& p : b.placements) {
    placements.push_back(
        {{"limb", LimbName(p.limb)},
         {"start_ms", p.start_ms},
         {"end_ms", p.end_ms},
         {"frames", Span(b, p.first, p.last)},
         {"position", {{"x", Round(p.position.x, 4)}, {"y", Round(p.position.y, 4)}}}});
  }
  json pauses = json::array();
  for (const Pause& p : b.pauses) {
    pauses.push_back({{"start_ms", p.start_ms},
                      {"end_ms", p.end_ms},
                      {"frames", Span(b, p.first, p.last)},
                      {"straight_arm_share", Round(p.straight_arm_share, 3)},
                      {"rest", p.rest}});
  }
  return {{"version", 2},
          {"climber", ClimberJson(b)},
          {"units",
           {{"position", "normalized frame coordinates"},
            {"fh", "frame heights"},
            {"bh", "estimated body heights"},
            {"time", "ms"}}},
          {"summary", std::move(summary)},
          {"placements", std::move(placements)},
          {"moves", moves(b.moves)},
          {"readjustments", moves(b.readjustments)},
          {"pauses", std::move(pauses)}};
}

json FrameJson(const FrameMetrics& m) {
  json out = json::object();
  if (m.com) out["com"] = {{"x", Round(m.com->x, 4)}, {"y", Round(m.com->y, 4)}};
  if (m.com_speed) out["com_speed"] = Optional(m.com_speed, 4);
  if (m.com_speed_bh) out["com_speed_bh"] = Optional(m.com_speed_bh, 4);
  if (m.com_jerk_bh) out["com_jerk_bh"] = Optional(m.com_jerk_bh, 2);
  if (m.hip_distance_bh) out["hip_distance_bh"] = Optional(m.hip_distance_bh, 4);
  if (m.reach_bh) out["reach_bh"] = Optional(m.reach_bh, 4);
  if (m.com_over_feet) out["com_over_feet"] = *m.com_over_feet;
  if (m.com_in_support) out["com_in_support"] = *m.com_in_support;
  json placed = json::array();
  for (int l = 0; l < kLimbCount; ++l) {
    if (m.placed[l]) placed.push_back(LimbName(static_cast<Limb>(l)));
  }
  out["placed"] = std::move(placed);
  out["still"] = m.still;
  return out;
}

json AdviceJson(const std::vector<Advice>& advice) {
  json out = json::array();
  for (const Advice& a : advice) {
    json evidence = json::array();
    for (const Evidence& e : a.evidence) {
      evidence.push_back(
          {{"measure", e.measure},
           {"value", Round(e.value, 4)},
           {"threshold", Round(e.threshold, 4)},
           {"frames", e.frames},
           {"basis",
            {{"frames", e.basis.frames}, {"ms", e.basis.ms}, {"whole_climb", e.whole_climb}}}});
    }
    json limbs = json::array();
    for (domain::BodyLimb l : a.limbs) limbs.push_back(std::string(domain::BodyLimbName(l)));
    out.push_back({{"id", a.id},
                   {"limbs", std::move(limbs)},
                   {"kind", AdviceKindName(a.kind)},
                   {"priority", a.priority},
                   {"timestamp_ms", a.timestamp_ms},
                   {"lang", LanguageCode(a.language)},
                   {"title", a.title},
                   {"points", a.points},
                   {"evidence", std::move(evidence)}});
  }
  return out;
}

}  // namespace ascension::coaching
