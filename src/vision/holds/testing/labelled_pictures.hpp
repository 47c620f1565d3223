// Test and benchmark support: the picture each labelled image describes — a frame decoded from a
// video in testdata/ (with the climber's region from the reference pose result beside it,
// testdata/<video stem>-biomechanics.json), or a synthetic wall rendered from its parameters.
#pragma once

#include <functional>
#include <opencv2/core.hpp>
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
// does with the pose it has) and the labelled holds whose centre lies in it are hidden: not
// counted, since nothing can be found there. Without it, every label counts (a photo with a
// person in it). `on_image` (may be empty) sees each image's result with the counted labels.
struct SetResult {
  Evaluation total;
  Evaluation video;
  Evaluation synthetic;
  int hidden = 0;  // labels not counted
};

// The centroid of an outline's vertices.
Point OutlineCentre(const std::vector<Point>& outline);
using ImageFn = std::function<void(const LabelledImage& counted, const Picture&, const HoldSet&,
                                   const Evaluation&)>;
Result<SetResult> EvaluateSet(const std::string& labels_dir, const std::string& testdata_dir,
                              bool exclude_climber, const ImageFn& on_image = {});

}  // namespace ascension::vision::holds::testing
