// Test and benchmark support: the picture each labelled image describes — a frame decoded from a
// video in testdata/ (with the climber's region from the reference pose result beside it,
// testdata/<video stem>-biomechanics.json), or a synthetic wall rendered from its parameters.
#pragma once

#include <opencv2/core.hpp>
#include <functional>
#include <string>

#include "common/status.hpp"
#include "vision/holds/detector.hpp"
#include "vision/holds/evaluation.hpp"
#include "vision/holds/labelled_set.hpp"

namespace ascension::vision::holds::testing {

struct Picture {
  cv::Mat bgr;
  cv::Mat1b climber;  // empty for a synthetic wall
};

Result<Picture> LoadPicture(const LabelledImage& image, const std::string& testdata_dir);

// Detects on every labelled image of `labels_dir` and adds up the evaluation. With
// `exclude_climber`, a video frame's climber region is excluded from detection (as the worker
// does with the pose it has); `on_image` (may be empty) sees each image's result.
struct SetResult {
  Evaluation total;
  Evaluation video;
  Evaluation synthetic;
};
using ImageFn = std::function<void(const LabelledImage&, const Picture&, const HoldSet&,
                                   const Evaluation&)>;
Result<SetResult> EvaluateSet(const std::string& labels_dir, const std::string& testdata_dir,
                              bool exclude_climber, const ImageFn& on_image = {});

}  // namespace ascension::vision::holds::testing
