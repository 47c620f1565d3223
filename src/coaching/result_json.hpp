// The coaching pieces of the analysis result document (docs/coaching.md shows each shape):
// the top-level "biomechanics" and "advice" values, and the per-frame values merged beside each
// frame's landmarks. Numbers are rounded (positions and distances to 4 decimals, speeds to 4,
// angles to 2) so that the same input gives byte-identical documents and small diffs.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "coaching/advice.hpp"
#include "coaching/biomechanics.hpp"

namespace ascension::coaching {

// {"version":2,"climber":{"limbs","level","span_bh",["height_cm","arm_span_cm", measures in cm]},
//  "units":{...},"summary":{...,"coverage":{...},"scores":{"global","technique","fluidity",
//  "stability","efficiency","pace"}},"placements":[...],"moves":[...],"readjustments":[...],
//  "pauses":[...]}; times in ms, frames as video frame indices; a score that cannot be measured
//  in the clip is null.
nlohmann::json BiomechanicsJson(const Biomechanics& bio);

// The measures of one frame, to merge into that frame's object: {"com":{"x","y"},
// "com_speed","com_speed_bh","com_jerk_bh","hip_distance_bh","reach_bh","com_over_feet",
// "com_in_support","placed":[limb names],"still"}. Absent measures are left out; a frame without
// any measure gives {"placed":[],"still":false}. The joint angles are the frame's own "angles"
// (the vision pipeline writes them with the same definition, domain/joint_angles.hpp).
nlohmann::json FrameJson(const FrameMetrics& frame);

// [{"id","limbs":[...],"kind","priority","timestamp_ms","lang","title","points":[...],
//   "evidence":[{"measure","value","threshold","frames":[...],
//                "basis":{"frames","ms","whole_climb"}}]}], in priority order.
nlohmann::json AdviceJson(const std::vector<Advice>& advice);

}  // namespace ascension::coaching
