#include "worker/hold_detector.hpp"

#include <opencv2/imgcodecs.hpp>

#include "vision/holds/image_io.hpp"
#include "vision/holds/video_wall.hpp"
#include "vision/pose_analyzer.hpp"

namespace ascension::worker {
namespace {

namespace holds = vision::holds;

// A failure of the input: its FailureCode name as the Status code.
Status InputFailure(const std::string& code, const Status& s) {
  return Status(ErrorKind::kInvalidArgument, s.message(), code);
}

}  // namespace

std::vector<domain::RouteHold> ToRouteHolds(const holds::HoldSet& set) {
  std::vector<domain::RouteHold> out;
  out.reserve(set.holds.size());
  for (const auto& h : set.holds) {
    domain::RouteHold r;
    r.origin = domain::HoldOrigin::kDetected;
    r.outline = h.outline;
    r.colour = holds::ColourName(h.colour);
    r.measured = h.measured;
    r.size = holds::SizeClassName(h.size);
    r.confidence = h.confidence;
    out.push_back(std::move(r));
  }
  return out;
}

Result<ports::DetectedHolds> VisionHoldDetector::FromPhoto(const std::filesystem::path& path) {
  std::string code;
  auto image = holds::LoadImageFile(path.string(), holds::ImageLimits{}, &code);
  if (!image.ok()) {
    // A file the worker itself cannot read is its own fault (transient), not the photo's.
    if (code == "unreadable_file" || code.empty()) return image.status();
    return InputFailure(code, image.status());
  }
  auto set = holds::DetectHolds(*image, options_);
  if (!set.ok()) return set.status();
  ports::DetectedHolds d;
  d.image_width = set->image_width;
  d.image_height = set->image_height;
  d.holds = ToRouteHolds(*set);
  return d;
}

Result<ports::DetectedHolds> VisionHoldDetector::FromVideo(
    const std::filesystem::path& video, const domain::PoseSequence& poses,
    const std::filesystem::path& wall_jpeg, const std::function<bool(double)>& progress) {
  if (progress && !progress(0.0)) return Status(ErrorKind::kUnavailable, "stopping", "cancelled");
  const vision::AnalyzerOptions analysis;  // the sampling the analysis used
  holds::VideoWallOptions wall;
  wall.reader.max_fps = analysis.max_fps;
  wall.reader.max_width = analysis.max_width;
  wall.reader.max_duration_s = analysis.max_duration_s;
  std::string code;
  auto built = holds::WallImageFromVideo(video.string(), poses, wall, &code);
  if (!built.ok()) {
    if (code.empty()) return built.status();
    return InputFailure(code, built.status());
  }
  if (progress && !progress(0.8)) return Status(ErrorKind::kUnavailable, "stopping", "cancelled");
  try {
    if (!cv::imwrite(wall_jpeg.string(), built->image, {cv::IMWRITE_JPEG_QUALITY, 92})) {
      return Internal("cannot write the wall image " + wall_jpeg.string());
    }
  } catch (const cv::Exception& e) {
    return Internal(std::string("cannot write the wall image: ") + e.what());
  }
  auto set = holds::DetectHoldsOnWall(*built, options_);
  if (!set.ok()) return set.status();
  if (progress) (void)progress(1.0);
  ports::DetectedHolds d;
  d.image_width = set->image_width;
  d.image_height = set->image_height;
  d.holds = ToRouteHolds(*set);
  if (built->reference_ms >= 0) d.reference_ms = built->reference_ms;
  return d;
}

}  // namespace ascension::worker
