// The whole analysis of one clip as the app receives it: the pose result document of the
// vision pipeline, with the coaching measures merged beside each frame and the top-level
// "biomechanics" and "advice" sections, plus the Markdown hints. Shared by the worker and the
// offline `ascension analyze`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "domain/pose.hpp"
#include "services/job_processing.hpp"

namespace ascension::worker {

// result (stored as result_json) and hints (Markdown for the app's hints field).
using AnalysisDocument = services::AnalysisDocument;

// `lang`: "en" or "fr" (anything else → en).
AnalysisDocument BuildAnalysisDocument(const domain::PoseSequence& poses, const std::string& lang);

}  // namespace ascension::worker
