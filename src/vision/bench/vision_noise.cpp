// The noise floor of the pose pipeline: how much our own output moves when the same clip is
// decoded from a re-encoded copy, or from a copy stored rotated with a rotation tag (pixels that
// differ by a fraction of a grey level), beside how far it is from MediaPipe's reference.
//   usage: vision_noise MODELS_DIR VIDEO REFERENCE_JSON [MODEL=heavy]
// Writes the two copies to a temporary directory (removed at the end) and prints one block per
// comparison (docs/benchmarks.md, "3-D angles and z").
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "vision/pose_analyzer.hpp"
#include "vision/pose_compare.hpp"
#include "vision/video/video_reader.hpp"
#include "vision/video/video_writer.hpp"

namespace {

namespace fs = std::filesystem;
namespace vision = ascension::vision;

// All frames of a clip, upright, at its own size.
bool ReadAll(const std::string& path, std::vector<cv::Mat>* frames, vision::VideoFrame* last,
             ascension::domain::VideoInfo* info) {
  vision::VideoReaderOptions o;
  o.max_fps = 0;
  o.max_width = 1 << 14;
  std::string code;
  auto reader = vision::VideoReader::Open(path, o, &code);
  if (!reader.ok()) return false;
  *info = (*reader)->info();
  while (true) {
    auto more = (*reader)->Next(last, &code);
    if (!more.ok()) return false;
    if (!*more) return true;
    frames->push_back(last->rgb.clone());
  }
}

// Writes `frames` (upright) to `path`, stored turned by -rotation with a rotation tag of
// `rotation` so that a player shows them upright again.
bool Write(const std::string& path, const std::vector<cv::Mat>& frames, double fps, int rotation,
           int crf) {
  const cv::Mat& first = frames.front();
  const bool swap = rotation == 90 || rotation == 270;
  auto writer = vision::VideoWriter::Open(path, swap ? first.rows : first.cols,
                                          swap ? first.cols : first.rows, fps, rotation, crf);
  if (!writer.ok()) return false;
  cv::Mat coded;
  for (const auto& f : frames) {
    vision::RotateClockwise(f, (360 - rotation) % 360, &coded);
    if (!(*writer)->Write(coded).ok()) return false;
  }
  return (*writer)->Finish().ok();
}

double MeanGreyDifference(const std::vector<cv::Mat>& a, const std::vector<cv::Mat>& b) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i].size() != b[i].size()) continue;
    cv::Mat d;
    cv::absdiff(a[i], b[i], d);
    sum += cv::sum(d)[0] + cv::sum(d)[1] + cv::sum(d)[2];
    n += d.total() * 3;
  }
  return n == 0 ? NAN : sum / static_cast<double>(n);
}

void Print(const char* label, const vision::PoseAgreement& a) {
  std::printf("| %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f | %.2f | %.2f | %.2f |\n", label,
              a.frames, a.distance_mean, a.distance_median, a.distance_p95, a.z_median, a.z_p95,
              a.angle3d_median, a.angle3d_mean, a.angle2d_median, a.angle2d_mean);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s MODELS_DIR VIDEO REFERENCE_JSON [lite|full|heavy]\n", argv[0]);
    return 2;
  }
  const std::string models = argv[1], video = argv[2];
  const auto variant = vision::ParseModelVariant(argc > 4 ? argv[4] : "heavy");
  std::ifstream ref_in(argv[3]);
  auto reference = vision::PoseSequenceFromResult(nlohmann::json::parse(ref_in, nullptr, false));
  if (!variant || !reference.ok()) {
    std::fprintf(stderr, "bad model name or reference file\n");
    return 2;
  }
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("asc-noise-" + std::to_string(rd()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};

  std::vector<cv::Mat> original;
  vision::VideoFrame frame;
  ascension::domain::VideoInfo info;
  if (!ReadAll(video, &original, &frame, &info) || original.empty()) {
    std::fprintf(stderr, "cannot read %s\n", video.c_str());
    return 1;
  }
  const std::string reencoded = (dir / "reencoded.mp4").string();
  const std::string rotated = (dir / "rotated.mp4").string();
  // crf 12: visually lossless, the copy's pixels within a grey level of the original's.
  if (!Write(reencoded, original, info.fps, 0, 12) || !Write(rotated, original, info.fps, 90, 12)) {
    std::fprintf(stderr, "cannot write the copies\n");
    return 1;
  }
  for (const auto& [label, path] : {std::pair{"re-encoded", reencoded}, {"rotated", rotated}}) {
    std::vector<cv::Mat> copy;
    ascension::domain::VideoInfo copy_info;
    if (!ReadAll(path, &copy, &frame, &copy_info)) return 1;
    std::printf("%s copy: %zu frames, mean |difference| %.2f grey levels, rotation tag %d\n", label,
                copy.size(), MeanGreyDifference(original, copy), copy_info.rotation_degrees);
  }

  vision::AnalyzerOptions o;
  o.models_dir = models;
  o.model = *variant;
  auto analyzer = vision::PoseAnalyzer::Load(o);
  if (!analyzer.ok()) {
    std::fprintf(stderr, "%s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  std::vector<ascension::domain::PoseSequence> runs;
  for (const auto& path : {video, reencoded, rotated}) {
    std::string code;
    auto seq = (*analyzer)->Analyze(path, {}, &code);
    if (!seq.ok()) {
      std::fprintf(stderr, "analysis of %s failed: %s\n", path.c_str(), code.c_str());
      return 1;
    }
    runs.push_back(std::move(*seq));
  }
  ascension::domain::PoseSequence posed;
  for (const auto& f : reference->frames) {
    if (f.detected) posed.frames.push_back(f);
  }
  const int w = runs[0].video.width, h = runs[0].video.height;
  std::printf(
      "\n| comparison (%s model) | frames | distance mean | median | p95 | z median | z p95 | "
      "3-D angle median | mean | image-plane angle median | mean |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n",
      vision::ModelVariantName(*variant));
  Print("ours vs MediaPipe", vision::ComparePoses(posed, runs[0], w, h));
  Print("ours (re-encoded copy) vs MediaPipe", vision::ComparePoses(posed, runs[1], w, h));
  Print("ours (rotated copy) vs MediaPipe", vision::ComparePoses(posed, runs[2], w, h));
  Print("ours: re-encoded copy vs original", vision::ComparePoses(runs[0], runs[1], w, h));
  Print("ours: rotated copy vs original", vision::ComparePoses(runs[0], runs[2], w, h));
  Print("ours: rotated vs re-encoded copy", vision::ComparePoses(runs[1], runs[2], w, h));
  return 0;
}
