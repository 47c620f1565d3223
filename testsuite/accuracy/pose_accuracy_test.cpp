// Accuracy of the pose pipeline against MediaPipe's own output: runs the heavy model over
// example-2.mp4 and compares with example-2-biomechanics.json (MediaPipe PoseLandmarker, heavy,
// VIDEO mode), once on one core and once cut into two segments analysed at once (what a job on
// two cores does). Prints the measured numbers; fails when any falls outside the bounds below.
//   usage: vision_accuracy_test MODELS_DIR DATA_DIR   (ASCENSION_MODELS_DIR overrides MODELS_DIR)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "domain/joint_angles.hpp"
#include "vision/pose_analyzer.hpp"
#include "vision/pose_compare.hpp"

namespace {

// Bounds held since the pipeline first matched MediaPipe.
constexpr double kMinDetectedShare = 0.99;
constexpr double kMaxMeanDistance = 0.006;
constexpr double kMaxP95Distance = 0.02;
constexpr double kMaxMedianAngleError = 2.5;
// Bounds just above what the pipeline reaches (docs/benchmarks.md, "3-D angles and z"): the
// angles as the result stores them, z, and the angles in the image plane.
constexpr double kMaxMedian3dAngleError = 1.6;
constexpr double kMaxMedianZError = 0.011;
constexpr double kMaxP95ZError = 0.07;
constexpr double kMaxMedian2dAngleError = 1.0;
// The landmarks' presence (the model's output, not smoothed) equals MediaPipe's "pres" but for
// the reference's rounding to 3 decimals: the landmark tensor's channels are read as MediaPipe
// reads them (x, y, z, visibility, presence). Our visibility cannot be compared (the reference
// does not carry it); it is the neighbouring channel of the same tensor, smoothed as MediaPipe
// smooths it (docs/benchmarks.md, "Visibility").
constexpr double kMaxMedianPresenceError = 0.001;
constexpr double kMaxPresenceError = 0.01;
// "Measurable" is judged by visibility, not presence (docs/benchmarks.md, "Visibility"): the
// image-plane angles the result draws (three landmarks of visibility >= 0.5) agree with
// MediaPipe's within this at the 90th percentile (they reach 1.7 deg), while the angles it sets
// apart differ at least this many times more (they reach 11.6 deg): visibility still separates
// the angles that can be trusted from those that cannot. Presence cannot (>= 0.98 on every
// landmark of an angle in every frame of the sample), which this checks too.
constexpr double kMaxP90CertainAngleError = 3.0;
constexpr double kMinUncertainOverCertainP90 = 2.0;
constexpr double kMinSamplePresence = 0.98;
// Two segments against one: only the frames after the cut differ (the second segment's tracker
// and smoothing start a second before it), by about a third of the distance to MediaPipe.
constexpr double kMaxSegmentedMeanDistance = 0.002;

bool Check(bool cond, const char* what) {
  if (!cond) std::printf("FAIL: %s\n", what);
  return cond;
}

void Print(const char* label, const ascension::vision::PoseAgreement& a) {
  std::printf(
      "%s: frames %d (only theirs %d, only ours %d, missing %d, timestamps differing %d)\n"
      "  landmarks 11-16, 23-28 distance: mean %.4f, median %.4f, p95 %.4f\n"
      "  z: median %.4f, mean %.4f, p95 %.4f\n"
      "  joint angle (3-D, as stored): median %.2f deg, mean %.2f deg\n"
      "  joint angle (image plane): median %.2f deg, mean %.2f deg\n"
      "  presence: median %.4f, max %.4f\n",
      label, a.frames, a.only_a, a.only_b, a.not_in_b, a.timestamp_mismatches, a.distance_mean,
      a.distance_median, a.distance_p95, a.z_median, a.z_mean, a.z_p95, a.angle3d_median,
      a.angle3d_mean, a.angle2d_median, a.angle2d_mean, a.presence_median, a.presence_max);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The image-plane angle errors against the reference, split by whether our angle is drawn
// (certain) or set apart; checks the decision to judge "measurable" by visibility.
bool CheckVisibilityDecision(const ascension::domain::PoseSequence& reference,
                             const ascension::domain::PoseSequence& ours, int w, int h) {
  namespace domain = ascension::domain;
  std::map<int, const domain::PoseFrame*> by_index;
  for (const auto& f : ours.frames) by_index[f.frame] = &f;
  std::vector<double> certain, uncertain;
  double min_presence = 1;
  const double aspect = static_cast<double>(w) / h;
  for (const auto& r : reference.frames) {
    auto it = by_index.find(r.frame);
    if (!r.detected || it == by_index.end() || !it->second->detected) continue;
    const domain::PoseFrame& o = *it->second;
    const auto ref_angles = ascension::vision::JointAngles2D(r, w, h);
    const auto our_angles = ascension::vision::JointAngles2D(o, w, h);
    for (const domain::JointDefinition& j : domain::kJoints) {
      const auto a = ref_angles.find(j.vertex), b = our_angles.find(j.vertex);
      const auto measured = domain::MeasureJointAngle(o, j.vertex, aspect);
      if (a == ref_angles.end() || b == our_angles.end() || !measured) continue;
      for (int i : {j.vertex, j.a, j.b})
        min_presence = std::min(min_presence, o.landmarks[i].presence);
      (measured->certain ? certain : uncertain).push_back(std::abs(a->second - b->second));
    }
  }
  const double p90_certain = Percentile(certain, 0.9), p90_uncertain = Percentile(uncertain, 0.9);
  std::printf(
      "  image-plane angle error, drawn angles (visibility >= 0.5): %zu, median %.2f deg, p90 "
      "%.2f deg\n"
      "  image-plane angle error, set-apart angles: %zu, median %.2f deg, p90 %.2f deg\n"
      "  smallest presence of a landmark of an angle: %.3f\n",
      certain.size(), Percentile(certain, 0.5), p90_certain, uncertain.size(),
      Percentile(uncertain, 0.5), p90_uncertain, min_presence);
  bool ok = Check(!certain.empty() && !uncertain.empty(), "both drawn and set-apart angles");
  ok &= Check(p90_certain <= kMaxP90CertainAngleError, "p90 image-plane error of drawn angles");
  ok &= Check(p90_uncertain >= kMinUncertainOverCertainP90 * p90_certain,
              "visibility separates the angles that agree with MediaPipe");
  ok &= Check(min_presence >= kMinSamplePresence,
              "presence is near 1 on the sample (it cannot judge measurability)");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  namespace vision = ascension::vision;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODELS_DIR DATA_DIR\n", argv[0]);
    return 2;
  }
  std::string models_dir = argv[1];
  if (const char* env = std::getenv("ASCENSION_MODELS_DIR"); env != nullptr && *env != '\0') {
    models_dir = env;
  }
  const std::string data_dir = argv[2];
  const std::string video = data_dir + "/example-2.mp4";
  const std::string reference_path = data_dir + "/example-2-biomechanics.json";
  if (!std::filesystem::exists(models_dir + "/pose_landmark_heavy.tflite")) {
    std::fprintf(stderr, "FAIL: models not found in %s (run scripts/fetch-models.sh)\n",
                 models_dir.c_str());
    return 1;
  }
  std::ifstream ref_in(reference_path);
  if (!ref_in) {
    std::fprintf(stderr, "FAIL: reference %s not found\n", reference_path.c_str());
    return 1;
  }
  auto reference = vision::PoseSequenceFromResult(nlohmann::json::parse(ref_in, nullptr, false));
  if (!reference.ok()) {
    std::fprintf(stderr, "FAIL: reference: %s\n", reference.status().ToString().c_str());
    return 1;
  }
  int with_pose = 0;
  for (const auto& f : reference->frames) with_pose += f.detected ? 1 : 0;

  bool ok = Check(with_pose > 0, "the reference has frames with a pose");
  ascension::domain::PoseSequence single;
  for (int threads : {1, 2}) {
    vision::AnalyzerOptions options;
    options.models_dir = models_dir;
    options.model = vision::ModelVariant::kHeavy;
    options.threads = threads;
    auto analyzer = vision::PoseAnalyzer::Load(options);
    if (!analyzer.ok()) {
      std::fprintf(stderr, "FAIL: %s\n", analyzer.status().ToString().c_str());
      return 1;
    }
    std::string code;
    auto seq = (*analyzer)->Analyze(video, {}, &code);
    if (!seq.ok()) {
      std::fprintf(stderr, "FAIL: analysis failed: %s %s\n", code.c_str(),
                   seq.status().ToString().c_str());
      return 1;
    }
    const int w = seq->video.width, h = seq->video.height;
    // Reference frames without a pose are not compared (MediaPipe kept presence >= 0.8 only).
    ascension::domain::PoseSequence posed;
    for (const auto& f : reference->frames) {
      if (f.detected) posed.frames.push_back(f);
    }
    const auto a = vision::ComparePoses(posed, *seq, w, h);
    const auto& t = (*analyzer)->last_timings();
    std::printf(
        "== %d core(s), %d segment(s): %.2f s for %d frames (decode %.2f s, inference %.2f s)\n",
        threads, t.segments, t.total_s, t.frames, t.decode_s, t.inference_s);
    Print("against MediaPipe", a);
    const double share = static_cast<double>(a.frames) / with_pose;
    std::printf("  pose found in %.2f %% of the reference's frames (need >= %.0f %%)\n",
                share * 100, kMinDetectedShare * 100);
    ok &= Check(a.not_in_b == 0, "every reference frame analysed");
    ok &= Check(a.timestamp_mismatches == 0, "timestamps equal the reference's");
    ok &= Check(share >= kMinDetectedShare, "pose found in enough frames");
    ok &= Check(a.distance_mean <= kMaxMeanDistance, "mean landmark distance");
    ok &= Check(a.distance_p95 <= kMaxP95Distance, "p95 landmark distance");
    ok &= Check(a.angle3d_median <= kMaxMedianAngleError, "median joint-angle error");
    ok &= Check(a.angle3d_median <= kMaxMedian3dAngleError, "median 3-D joint-angle error");
    ok &= Check(a.z_median <= kMaxMedianZError, "median z error");
    ok &= Check(a.z_p95 <= kMaxP95ZError, "p95 z error");
    ok &= Check(a.angle2d_median <= kMaxMedian2dAngleError, "median image-plane angle error");
    ok &= Check(a.presence_median <= kMaxMedianPresenceError, "median presence difference");
    ok &= Check(a.presence_max <= kMaxPresenceError, "largest presence difference");
    if (threads == 1) {
      ok &= CheckVisibilityDecision(posed, *seq, w, h);
      single = std::move(*seq);
    } else {
      ok &= Check(t.segments == 2, "the clip was cut into two segments");
      const auto s = vision::ComparePoses(single, *seq, w, h);
      Print("two segments against one", s);
      ok &= Check(s.not_in_b == 0 && s.only_a == 0 && s.only_b == 0, "the same frames posed");
      ok &= Check(s.distance_mean <= kMaxSegmentedMeanDistance, "segments agree with one run");
    }
  }
  std::printf(ok ? "PASS\n" : "FAILED\n");
  return ok ? 0 : 1;
}
