#include "vision/pose_analyzer.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>

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
constexpr auto kPollEvery = std::chrono::milliseconds(100);
// Frames a segment after the first analyses before its first kept frame, and the least a segment
// keeps: a shorter clip gets fewer segments.
constexpr std::size_t kWarmupFrames = 30;
constexpr std::size_t kMinSegmentFrames = 4 * kWarmupFrames;

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

PoseAnalyzer::PoseAnalyzer(AnalyzerOptions options, std::vector<std::unique_ptr<Models>> models)
    : options_(std::move(options)), models_(std::move(models)) {}
PoseAnalyzer::~PoseAnalyzer() = default;

Result<std::unique_ptr<PoseAnalyzer>> PoseAnalyzer::Load(const AnalyzerOptions& options) {
  if (options.max_fps < 0 || options.max_width < 16 || options.max_duration_s <= 0 ||
      options.threads < 1 || options.threads > kMaxThreads) {
    return InvalidArgument("invalid analyzer options");
  }
  const std::string dir = options.models_dir.empty() ? "models" : options.models_dir;
  auto detector_model = tflite::Model::Load(dir + "/pose_detection.tflite");
  if (!detector_model.ok()) return detector_model.status();
  auto landmark_model =
      tflite::Model::Load(dir + "/pose_landmark_" + ModelVariantName(options.model) + ".tflite");
  if (!landmark_model.ok()) return landmark_model.status();
  // One set of single-threaded models per segment (see Analyze).
  std::vector<std::unique_ptr<Models>> sets;
  for (int i = 0; i < options.threads; ++i) {
    auto models = std::make_unique<Models>();
    auto detector = pose::PoseDetector::Load(*detector_model, 1);
    if (!detector.ok()) return detector.status();
    auto landmarks = pose::LandmarkModel::Load(*landmark_model, 1);
    if (!landmarks.ok()) return landmarks.status();
    models->detector = std::move(*detector);
    models->landmarks = std::move(*landmarks);
    sets.push_back(std::move(models));
  }
  return std::make_unique<PoseAnalyzer>(options, std::move(sets));
}

namespace {

// One consecutive piece of the clip, in sampled-frame ordinals: frames [first, end) are kept;
// frames [warmup_from, first) are analysed only to find and settle on the climber (detector,
// tracking ROI, smoothing), then dropped; the frames before are decoded but not converted.
struct Segment {
  std::size_t warmup_from = 0, first = 0;
  std::size_t end = std::numeric_limits<std::size_t>::max();  // the last segment runs to the end
  std::unique_ptr<VideoReader> reader;
  std::vector<domain::PoseFrame> frames;
  int detected = 0;
  double decode_s = 0, inference_s = 0;
  Status status;
  std::string error_code;
};

// Runs a segment on the calling thread. `after_frame` is called after each analysed frame and
// returns false to stop (cancellation); the segment then ends with "cancelled".
void RunSegment(Segment* seg, pose::PoseDetector* detector, pose::LandmarkModel* landmarks,
                const std::function<bool()>& after_frame) {
  pose::PoseTracker tracker(detector, landmarks);
  VideoFrame frame;
  for (std::size_t ordinal = 0; ordinal < seg->end; ++ordinal) {
    const auto t0 = Clock::now();
    auto more = ordinal < seg->warmup_from ? seg->reader->Skip(&frame, &seg->error_code)
                                           : seg->reader->Next(&frame, &seg->error_code);
    const auto t1 = Clock::now();
    seg->decode_s += Seconds(t1 - t0);
    if (!more.ok()) {
      seg->status = more.status();
      return;
    }
    if (!*more) return;
    if (ordinal < seg->warmup_from) continue;
    auto pose = tracker.Process(frame.rgb, frame.index, frame.timestamp_ms);
    seg->inference_s += Seconds(Clock::now() - t1);
    if (!pose.ok()) {
      seg->error_code = "internal";
      seg->status = pose.status();
      return;
    }
    if (ordinal >= seg->first) {
      seg->detected += pose->detected ? 1 : 0;
      seg->frames.push_back(std::move(*pose));
    }
    if (!after_frame()) {
      seg->error_code = "cancelled";
      seg->status = Unavailable("cancelled");
      return;
    }
  }
}

}  // namespace

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

  // The clip is cut into as many consecutive segments as the analyzer has cores, each analysed
  // by its own single-threaded pipeline (the most frames per core), so one job uses every core
  // it is given and each core decodes its own frames between inferences. A segment after the
  // first starts kWarmupFrames early, like a MediaPipe run from that point, and drops those.
  const double fps = seq.video.fps;
  const double rate = options_.max_fps > 0 && fps > options_.max_fps ? options_.max_fps / fps : 1;
  const auto expected = static_cast<std::size_t>(
      std::max<double>(0, static_cast<double>(seq.video.frame_count) * rate));
  const std::size_t segments = std::clamp<std::size_t>(expected / kMinSegmentFrames, 1,
                                                       static_cast<std::size_t>(models_.size()));
  // Cuts that give every segment the same number of frames to analyse, warm-up included:
  // segment 0 analyses [0, L), segment k > 0 [k L - k W, (k+1) L - k W) with L = (n + (T-1) W) / T.
  std::vector<Segment> parts(segments);
  const std::size_t share = (expected + (segments - 1) * kWarmupFrames) / segments;
  for (std::size_t k = 0; k < segments; ++k) {
    Segment& seg = parts[k];
    seg.first = k == 0 ? 0 : k * share - (k - 1) * kWarmupFrames;
    seg.warmup_from = seg.first >= kWarmupFrames ? seg.first - kWarmupFrames : 0;
    if (k + 1 < segments) seg.end = (k + 1) * share - k * kWarmupFrames;
    if (k == 0) {
      seg.reader = std::move(*reader);
    } else {
      std::string code;
      auto r = VideoReader::Open(video_path, vo, &code);
      if (!r.ok()) {
        *error_code = code;
        return r.status();
      }
      seg.reader = std::move(*r);
    }
  }

  // Progress: frames analysed (warm-up included) over the frames expected.
  std::atomic<std::size_t> analysed{0};
  std::atomic<bool> stop{false};
  std::size_t work = 0;
  for (const auto& seg : parts) {
    if (seg.end != std::numeric_limits<std::size_t>::max())
      work += seg.end - seg.warmup_from;
    else
      work += expected > seg.warmup_from ? expected - seg.warmup_from : 1;
  }
  auto fraction = [&] {
    return work == 0 ? 0.0 : std::min(0.99, static_cast<double>(analysed.load()) / work);
  };
  double last_reported = -1;
  auto last_report_time = Clock::now();
  // Reports each percent, and at least every second so a cancellation is noticed even when the
  // estimate is stuck; false once the caller cancels.
  auto report = [&] {
    if (!progress) return true;
    const double f = fraction();
    const auto now = Clock::now();
    if (f - last_reported < 0.01 && now - last_report_time < kReportEvery) return true;
    last_reported = f;
    last_report_time = now;
    return progress(f);
  };

  if (segments == 1) {
    RunSegment(&parts[0], models_[0]->detector.get(), models_[0]->landmarks.get(), [&] {
      analysed.fetch_add(1);
      return report();
    });
  } else {
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::condition_variable done_cv;
    std::size_t done = 0;
    std::size_t started = 0;
    for (std::size_t k = 0; k < segments; ++k) {
      auto body = [&, k] {
        try {
          RunSegment(&parts[k], models_[k]->detector.get(), models_[k]->landmarks.get(), [&] {
            analysed.fetch_add(1);
            return !stop.load();
          });
        } catch (const std::exception& e) {  // never let an exception leave the thread
          parts[k].error_code = "internal";
          parts[k].status = Internal(std::string("analysis thread: ") + e.what());
        }
        if (!parts[k].status.ok()) stop.store(true);  // the others stop at their next frame
        std::lock_guard lock(mutex);
        ++done;
        done_cv.notify_all();
      };
      try {
        threads.emplace_back(body);
        ++started;
      } catch (const std::system_error& e) {  // no thread for this segment: fail the analysis
        parts[k].error_code = "internal";
        parts[k].status = Internal(std::string("cannot start an analysis thread: ") + e.what());
        stop.store(true);
        break;
      }
    }
    // The caller's progress callback runs on this (the calling) thread only.
    {
      std::unique_lock lock(mutex);
      while (done < started) {
        done_cv.wait_for(lock, kPollEvery);
        lock.unlock();
        if (!stop.load() && !report()) stop.store(true);
        lock.lock();
      }
    }
    for (auto& t : threads) t.join();
  }

  bool cancelled = false;
  for (auto& seg : parts) {
    timings_.decode_s += seg.decode_s;
    timings_.inference_s += seg.inference_s;
    if (seg.status.ok()) continue;
    if (seg.error_code == "cancelled") {
      cancelled = true;
      continue;
    }
    *error_code = seg.error_code.empty() ? "internal" : seg.error_code;
    return seg.status;
  }
  if (cancelled) {
    *error_code = "cancelled";
    return Unavailable("cancelled");
  }
  int detected = 0;
  for (auto& seg : parts) {
    detected += seg.detected;
    for (auto& f : seg.frames) seq.frames.push_back(std::move(f));
  }
  timings_.frames = static_cast<int>(seq.frames.size());
  timings_.segments = static_cast<int>(segments);
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
