#include "vision/pose_analyzer.hpp"

#include <chrono>
#include <cmath>

#include "domain/joint_angles.hpp"
#include "vision/pose/detector.hpp"
#include "vision/pose/landmarker.hpp"
#include "vision/pose/tracker.hpp"
#include "vision/tflite/model.hpp"
#include "vision/video/video_reader.hpp"

namespace ascension::vision {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReportEvery = std::chrono::seconds(1);

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double Round(double v, double scale) {
  return std::round(v * scale) / scale;
}

}  // namespace

std::optional<ModelVariant> ParseModelVariant(std::string_view name) {
  if (name == "lite") return ModelVariant::kLite;
  if (name == "full") return ModelVariant::kFull;
  if (name == "heavy") return ModelVariant::kHeavy;
  return std::nullopt;
}

const char* ModelVariantName(ModelVariant v) {
  switch (v) {
    case ModelVariant::kLite:
      return "lite";
    case ModelVariant::kFull:
      return "full";
    case ModelVariant::kHeavy:
      return "heavy";
  }
  return "heavy";
}

struct PoseAnalyzer::Models {
  std::unique_ptr<pose::PoseDetector> detector;
  std::unique_ptr<pose::LandmarkModel> landmarks;
};

PoseAnalyzer::PoseAnalyzer(AnalyzerOptions options, std::unique_ptr<Models> models)
    : options_(std::move(options)), models_(std::move(models)) {}
PoseAnalyzer::~PoseAnalyzer() = default;

Result<std::unique_ptr<PoseAnalyzer>> PoseAnalyzer::Load(const AnalyzerOptions& options) {
  if (options.max_fps < 0 || options.max_width < 16 || options.max_duration_s <= 0 ||
      options.threads < 1) {
    return InvalidArgument("invalid analyzer options");
  }
  const std::string dir = options.models_dir.empty() ? "models" : options.models_dir;
  auto detector_model = tflite::Model::Load(dir + "/pose_detection.tflite");
  if (!detector_model.ok()) return detector_model.status();
  auto landmark_model =
      tflite::Model::Load(dir + "/pose_landmark_" + ModelVariantName(options.model) + ".tflite");
  if (!landmark_model.ok()) return landmark_model.status();
  auto models = std::make_unique<Models>();
  auto detector = pose::PoseDetector::Load(*detector_model, options.threads);
  if (!detector.ok()) return detector.status();
  auto landmarks = pose::LandmarkModel::Load(*landmark_model, options.threads);
  if (!landmarks.ok()) return landmarks.status();
  models->detector = std::move(*detector);
  models->landmarks = std::move(*landmarks);
  return std::make_unique<PoseAnalyzer>(options, std::move(models));
}

Result<domain::PoseSequence> PoseAnalyzer::Analyze(const std::string& video_path,
                                                   const ProgressFn& progress,
                                                   std::string* error_code) {
  std::string ignored;
  if (error_code == nullptr) error_code = &ignored;
  error_code->clear();
  timings_ = {};
  const auto start = Clock::now();

  VideoReaderOptions vo;
  vo.max_fps = options_.max_fps;
  vo.max_width = options_.max_width;
  vo.max_duration_s = options_.max_duration_s;
  auto reader = VideoReader::Open(video_path, vo, error_code);
  if (!reader.ok()) return reader.status();

  domain::PoseSequence seq;
  seq.video = (*reader)->info();
  seq.model = ModelVariantName(options_.model);
  pose::PoseTracker tracker(models_->detector.get(), models_->landmarks.get());
  VideoFrame frame;
  int detected = 0;
  double last_reported = -1;
  auto last_report_time = Clock::now();
  while (true) {
    auto t0 = Clock::now();
    auto more = (*reader)->Next(&frame, error_code);
    auto t1 = Clock::now();
    timings_.decode_s += Seconds(t1 - t0);
    if (!more.ok()) return more.status();
    if (!*more) break;
    auto pose = tracker.Process(frame.rgb, frame.index, frame.timestamp_ms);
    timings_.inference_s += Seconds(Clock::now() - t1);
    if (!pose.ok()) {
      *error_code = "internal";
      return pose.status();
    }
    detected += pose->detected ? 1 : 0;
    seq.frames.push_back(std::move(*pose));
    // Report each percent, and at least every second so a cancellation is noticed even when the
    // progress estimate is stuck (no duration, no file size).
    const double fraction = (*reader)->progress();
    const auto now = Clock::now();
    if (progress && (fraction - last_reported >= 0.01 || now - last_report_time >= kReportEvery)) {
      last_reported = fraction;
      last_report_time = now;
      if (!progress(fraction)) {
        *error_code = "cancelled";
        return Unavailable("cancelled");
      }
    }
  }
  timings_.frames = static_cast<int>(seq.frames.size());
  timings_.total_s = Seconds(Clock::now() - start);
  if (detected == 0) {
    *error_code = "no_climber_found";
    return InvalidArgument("no person was found in the video");
  }
  if (progress) progress(1.0);
  return seq;
}

nlohmann::json ResultJson(const domain::PoseSequence& seq) {
  using nlohmann::json;
  const double aspect = domain::AspectRatio(seq.video);
  json frames = json::array();
  for (const auto& f : seq.frames) {
    json jf = {{"frame", f.frame}, {"timestamp_ms", f.timestamp_ms}, {"pose_detected", f.detected}};
    if (f.detected) {
      json lms = json::object();
      json uncertain = json::array();
      for (int i : kResultLandmarks) {
        const auto& l = f.landmarks[i];
        lms[std::to_string(i)] = {{"x", Round(l.x, 1e3)},
                                  {"y", Round(l.y, 1e3)},
                                  {"z", Round(l.z, 1e3)},
                                  {"pres", Round(l.presence, 1e3)},
                                  {"vis", Round(l.visibility, 1e3)}};
        if (!domain::LandmarkUsable(l)) uncertain.push_back(std::to_string(i));
      }
      json angles = json::object();
      json uncertain_angles = json::object();
      for (const auto& a : domain::JointAngles(f, aspect)) {
        (a.certain ? angles : uncertain_angles)[std::to_string(a.joint)] = Round(a.degrees, 1e2);
      }
      json all = json::array();
      for (const auto& l : f.landmarks) {
        all.push_back({Round(l.x, 1e3), Round(l.y, 1e3), Round(l.z, 1e3), Round(l.visibility, 1e3),
                       Round(l.presence, 1e3)});
      }
      jf["landmarks"] = std::move(lms);
      jf["angles"] = std::move(angles);
      jf["uncertain"] = std::move(uncertain);
      jf["uncertain_angles"] = std::move(uncertain_angles);
      jf["landmarks33"] = std::move(all);
    }
    frames.push_back(std::move(jf));
  }
  const auto& v = seq.video;
  return {{"version", 1},
          {"model", seq.model},
          {"video",
           {{"fps", Round(v.fps, 1e3)},
            {"width", v.width},
            {"height", v.height},
            {"rotation", v.rotation_degrees},
            {"duration_ms", static_cast<std::int64_t>(std::llround(v.duration_s * 1000))},
            {"frame_count", v.frame_count},
            {"codec", v.codec}}},
          {"frames", std::move(frames)}};
}

}  // namespace ascension::vision
