// Test support: recomputes every piece of advice's evidence of an analysis result document from
// the document's own frames, as a reader of the result (the app, a reviewer) could, without the
// biomechanics code. It is the proof that the advice never contradicts the numbers the app draws:
// the straight-arm share is recounted from the frames' drawn "angles", the hip share from the
// frames' "hip_distance_bh", the pauses from "still", and so on (docs/coaching.md, "Evidence").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ascension::coaching::testing {

// Every disagreement found in `result` (the document the worker stores: "video", "frames" with
// "angles", "uncertain", "uncertain_angles" and the coaching's per-frame measures,
// "biomechanics" and "advice"), one sentence each; empty when every claim checks out. An
// evidence measure it does not know how to recompute is itself a disagreement.
std::vector<std::string> RecomputeEvidence(const nlohmann::json& result);

// How many evidence values RecomputeEvidence recomputed in `result` (so a test can tell that it
// did check something).
int CountEvidence(const nlohmann::json& result);

}  // namespace ascension::coaching::testing
