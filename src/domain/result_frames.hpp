// The poses of an analysis read back from its stored result document (DESIGN.md "Analysis
// result"): {"video":{"fps","width","height",...},"frames":[{"frame","timestamp_ms",
// "pose_detected","landmarks":{"11":{"x","y","z","pres","vis"},...},"landmarks33":[[x,y,z,vis,
// pres],...]}]}. The 33-landmark array is used when present, else the keyed landmarks. Hostile
// input: every member is type-checked; a wrong type is an error naming it, never an exception.
#pragma once

#include <string_view>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::domain {

// kInvalidArgument naming the member ("result frames[3].timestamp_ms must be an integer") when
// the document is not JSON, has no frames array, or a member has the wrong type.
Result<PoseSequence> PosesFromResult(std::string_view result_json);

}  // namespace ascension::domain
