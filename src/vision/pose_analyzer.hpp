// The vision pipeline's public interface: BlazePose (MediaPipe's models run with XNNPACK) over a
// video file, producing one PoseFrame per sampled frame, plus the derived joint angles and the
// result document the app draws.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "domain/pose.hpp"

namespace ascension::vision {

enum class ModelVariant { kLite, kFull, kHeavy };

// "lite" | "full" | "heavy" (case-sensitive); nullopt otherwise.
std::optional<ModelVariant> ParseModelVariant(std::string_view name);
const char* ModelVariantName(ModelVariant v);

struct AnalyzerOptions {
  std::string models_dir;  // holds pose_detection.tflite and pose_landmark_<variant>.tflite
  ModelVariant model = ModelVariant::kHeavy;
  int max_fps = 30;             // frames sampled per second of video, at most
  int max_width = 640;          // frames are scaled down to this width for inference
  double max_duration_s = 300;  // longer videos are refused ("video_too_long")
  // Cores one analysis may use (1..kMaxThreads). The clip is cut into that many consecutive
  // segments analysed at once, each by a single-threaded pipeline with its own models; segments
  // after the first start a second early and drop those frames. Clips shorter than 4 s per
  // segment get fewer segments.
  int threads = 1;
};

// Called with the fraction done in [0, 1]; return false to cancel the analysis.
using ProgressFn = std::function<bool(double fraction)>;

inline constexpr int kMaxThreads = 64;

// Per-stage time of the last Analyze call, for benchmarks and logs. decode_s and inference_s are
// summed over the segments (thread time); total_s is the wall time of the call.
struct AnalyzeTimings {
  double decode_s = 0;     // demux, decode, scale, rotate
  double inference_s = 0;  // detector + landmark model invocations (incl. crop and decode)
  double total_s = 0;
  int frames = 0;
  int segments = 0;  // analysed at once
};

class PoseAnalyzer {
 public:
  // Loads and checks both models once. Errors: kNotFound (missing model file), kDataLoss (corrupt
  // model), kInvalidArgument (a model this pipeline cannot run).
  static Result<std::unique_ptr<PoseAnalyzer>> Load(const AnalyzerOptions& options);
  ~PoseAnalyzer();

  // Analyses the video at `video_path`. One call at a time per analyzer; a PoseAnalyzer may be
  // reused for any number of videos. On failure returns a non-ok Status and sets *error_code to
  // one of "empty_file", "not_a_video", "corrupt_video", "unsupported_dimensions",
  // "video_too_long", "no_climber_found" (permanent: the same input always fails), "cancelled"
  // (progress returned false; kUnavailable) or "internal". `progress` may be empty.
  Result<domain::PoseSequence> Analyze(const std::string& video_path, const ProgressFn& progress,
                                       std::string* error_code);

  const AnalyzeTimings& last_timings() const { return timings_; }
  const AnalyzerOptions& options() const { return options_; }

  struct Models;
  PoseAnalyzer(AnalyzerOptions options, std::vector<std::unique_ptr<Models>> models);

 private:
  AnalyzerOptions options_;
  std::vector<std::unique_ptr<Models>> models_;  // one set per segment
  AnalyzeTimings timings_;
};

// Landmarks written under "landmarks" in the result document.
inline constexpr int kResultLandmarks[] = {11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28};

// The result document (DESIGN.md "Analysis result"):
// {"version":1, "model", "video":{fps,width,height,rotation,duration_ms,frame_count,codec},
//  "frames":[{"frame","timestamp_ms","pose_detected",
//             "landmarks":{"11":{"x","y","z","pres","vis"},...}, "angles":{"11":..},
//             "uncertain":["16",...], "uncertain_angles":{"14":..},
//             "landmarks33":[[x,y,z,visibility,presence] x 33]}]}
// Values are rounded to 3 decimals (angles to 2); "pres" and "vis" are the landmark presence and
// visibility probabilities. The joint angles are domain::JointAngles (src/domain/joint_angles.hpp,
// the definition the coaching uses too): "angles" holds those resting on three usable landmarks
// only, "uncertain_angles" the others (to be drawn greyed, if at all), and "uncertain" lists the
// landmarks of "landmarks" that are too uncertain to measure (domain::LandmarkUsable).
// Frames without a pose carry only frame, timestamp_ms and pose_detected=false.
nlohmann::json ResultJson(const domain::PoseSequence& sequence);

}  // namespace ascension::vision
