// The whole analysis of one clip as the app receives it: the pose result document of the
// vision pipeline, with the coaching measures merged beside each frame and the top-level
// "biomechanics" and "advice" sections, plus the Markdown hints. Shared by the worker and the
// offline `ascension analyze`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "domain/pose.hpp"
#include "domain/profile.hpp"
#include "services/job_processing.hpp"

namespace ascension::worker {

// result (stored as result_json) and hints (Markdown for the app's hints field).
using AnalysisDocument = services::AnalysisDocument;

// `lang` as for coaching::ParseLanguage; `profile`: the climber the coaching adapts to (units in
// cm with a height, reach against the span, no advice for an injured or absent limb, drills of
// the level); empty = an unknown adult climber.
AnalysisDocument BuildAnalysisDocument(const domain::PoseSequence& poses, const std::string& lang,
                                       const domain::ClimberProfile& profile = {});

}  // namespace ascension::worker
