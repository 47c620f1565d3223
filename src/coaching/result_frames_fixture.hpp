// Test support: reads the frames of a result document ({"frames":[{"frame","timestamp_ms",
// "pose_detected","landmarks":{"11":{"x","y","z","pres"},...}}]}) back into a PoseSequence.
// "pres" becomes both visibility and presence; landmarks the document lacks stay absent
// (visibility and presence 0), as the biomechanics must cope with.
#pragma once

#include <string>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::coaching::testing {

Result<domain::PoseSequence> LoadResultFrames(const std::string& path,
                                              const domain::VideoInfo& video);

}  // namespace ascension::coaching::testing
