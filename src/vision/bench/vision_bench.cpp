// Timing of the vision pipeline (numbers in docs/benchmarks.md).
//   usage: vision_bench MODELS_DIR VIDEO [RUNS] [SECTION...]
// Sections (all when none is named):
//   inference  ms per invocation of each model at 1 and 2 threads (wall and thread CPU time)
//   profile    each model's time by kind of step (own kernels / XNNPACK), FLOPs and GFLOP/s
//   e2e        VIDEO analysed with each landmark model on one core (decode / inference / rest)
//   clip       a 30 s clip (VIDEO looped) with the heavy model on 1 and 2 cores
//   jobs       two such clips waiting: one after the other on 2 cores each, or both at once on
//              1 core each (the throughput per core of each way of splitting the cores)
// Prints Markdown tables. Wall times are only meaningful on an otherwise idle machine; the CPU
// columns much less disturbed by other processes.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "vision/pose_analyzer.hpp"
#include "vision/tflite/executor.hpp"
#include "vision/tflite/model.hpp"
#include "vision/video/video_reader.hpp"
#include "vision/video/video_writer.hpp"

namespace {

namespace fs = std::filesystem;
namespace vision = ascension::vision;
namespace tfl = ascension::vision::tflite;
using Clock = std::chrono::steady_clock;

struct ModelCase {
  const char* label;
  const char* file;
  std::vector<std::string> outputs;
};

const std::vector<ModelCase> kCases = {
    {"detector", "pose_detection.tflite", {"Identity", "Identity_1"}},
    {"landmark lite", "pose_landmark_lite.tflite", {"Identity", "Identity_1", "Identity_3"}},
    {"landmark full", "pose_landmark_full.tflite", {"Identity", "Identity_1", "Identity_3"}},
    {"landmark heavy", "pose_landmark_heavy.tflite", {"Identity", "Identity_1", "Identity_3"}},
};

// CPU time of the calling thread: with one inference thread it is the work done, even when other
// processes compete for the cores.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// CPU time of the whole process (all threads), in seconds.
double ProcessCpuS() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Inference(const std::string& dir, int runs) {
  std::printf("## Inference (ms per invocation, %d runs after 5 warm-up runs)\n\n", runs);
  std::printf(
      "| model | 1 thread: wall median | wall min | CPU median | 2 threads: wall median | wall "
      "min |\n|---|---|---|---|---|---|\n");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> pixel(0.f, 1.f);
  for (const auto& c : kCases) {
    auto model = tfl::Model::Load(dir + "/" + c.file);
    if (!model.ok()) {
      std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
      return 1;
    }
    double median[2] = {0, 0}, best[2] = {0, 0}, cpu = 0;
    for (int threads : {1, 2}) {
      auto exec = tfl::Executor::Create(*model, c.outputs, threads);
      if (!exec.ok()) {
        std::fprintf(stderr, "%s\n", exec.status().ToString().c_str());
        return 1;
      }
      for (float& v : (*exec)->input()) v = pixel(rng);
      std::vector<double> times, cpu_times;
      for (int i = 0; i < runs + 5; ++i) {
        const auto t0 = Clock::now();
        const double c0 = ThreadCpuMs();
        if (!(*exec)->Invoke().ok()) return 1;
        if (i >= 5) {
          cpu_times.push_back(ThreadCpuMs() - c0);
          times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
      }
      median[threads - 1] = Median(times);
      best[threads - 1] = *std::min_element(times.begin(), times.end());
      if (threads == 1) cpu = Median(cpu_times);
    }
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", c.label, median[0], best[0], cpu,
                median[1], best[1]);
    std::fflush(stdout);
  }
  std::printf("\n");
  return 0;
}

int Profile(const std::string& dir, int runs) {
  std::printf("## Time by kind of step (1 thread, CPU time, sum over %d invocations / %d)\n\n",
              runs, runs);
  for (const auto& c : kCases) {
    auto model = tfl::Model::Load(dir + "/" + c.file);
    if (!model.ok()) return 1;
    auto exec = tfl::Executor::Create(*model, c.outputs, 1);
    if (!exec.ok()) return 1;
    for (float& v : (*exec)->input()) v = 0.5f;
    for (int i = 0; i < 3; ++i) {
      if (!(*exec)->Invoke().ok()) return 1;
    }
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      if (!(*exec)->InvokeProfiled(&ms).ok()) return 1;
    }
    struct Row {
      int steps = 0;
      double ms = 0, flops = 0;
    };
    std::map<std::string, Row> rows;
    double total = 0;
    const auto& steps = (*exec)->steps();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      Row& r = rows[steps[i].kind + (steps[i].own_kernel ? " (ours)" : " (XNNPACK)")];
      ++r.steps;
      r.ms += ms[i] / runs;
      r.flops += steps[i].flops;
      total += ms[i] / runs;
    }
    std::printf("%s: %.2f ms, %.3f GFLOP, %.1f GFLOP/s, %zu steps\n\n", c.label, total,
                (*exec)->flops() / 1e9, (*exec)->flops() / total / 1e6, steps.size());
    std::printf("| step | count | ms | share | MFLOP | GFLOP/s |\n|---|---|---|---|---|---|\n");
    for (const auto& [kind, r] : rows) {
      std::printf("| %s | %d | %.2f | %.0f %% | %.1f | %.1f |\n", kind.c_str(), r.steps, r.ms,
                  100 * r.ms / total, r.flops / 1e6, r.ms > 0 ? r.flops / r.ms / 1e6 : 0.0);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  return 0;
}

// One analysis, with its wall and process CPU time.
struct Run {
  double wall_s = 0, cpu_s = 0;
  vision::AnalyzeTimings t;
  bool ok = false;
};

Run Analyze(vision::PoseAnalyzer* analyzer, const std::string& video) {
  Run r;
  std::string code;
  const double c0 = ProcessCpuS();
  const auto t0 = Clock::now();
  auto seq = analyzer->Analyze(video, {}, &code);
  r.wall_s = Seconds(Clock::now() - t0);
  r.cpu_s = ProcessCpuS() - c0;
  r.t = analyzer->last_timings();
  r.ok = seq.ok();
  if (!r.ok) std::fprintf(stderr, "analysis failed: %s\n", code.c_str());
  return r;
}

int EndToEnd(const std::string& dir, const std::string& video) {
  std::printf("## End to end: %s (1 core)\n\n", video.c_str());
  std::printf(
      "| model | frames | wall s | CPU s | ms/frame (wall) | decode | inference (crop, models, "
      "post) | rest |\n|---|---|---|---|---|---|---|---|\n");
  for (auto variant :
       {vision::ModelVariant::kLite, vision::ModelVariant::kFull, vision::ModelVariant::kHeavy}) {
    vision::AnalyzerOptions o;
    o.models_dir = dir;
    o.model = variant;
    auto analyzer = vision::PoseAnalyzer::Load(o);
    if (!analyzer.ok()) return 1;
    const Run r = Analyze(analyzer->get(), video);
    if (!r.ok) return 1;
    const auto& t = r.t;
    const double rest = t.total_s - t.decode_s - t.inference_s;
    std::printf("| %s | %d | %.2f | %.2f | %.1f | %.0f %% | %.0f %% | %.0f %% |\n",
                vision::ModelVariantName(variant), t.frames, t.total_s, r.cpu_s,
                1000 * t.total_s / t.frames, 100 * t.decode_s / t.total_s,
                100 * t.inference_s / t.total_s, 100 * rest / t.total_s);
    std::fflush(stdout);
  }
  std::printf("\n");
  return 0;
}

// `video` looped into a clip of at least `seconds` (visually lossless re-encoding).
std::string LoopedClip(const std::string& video, double seconds, const fs::path& dir) {
  vision::VideoReaderOptions o;
  o.max_fps = 0;
  o.max_width = 1 << 14;
  std::string code;
  auto reader = vision::VideoReader::Open(video, o, &code);
  if (!reader.ok()) return {};
  std::vector<cv::Mat> frames;
  vision::VideoFrame f;
  while (true) {
    auto more = (*reader)->Next(&f, &code);
    if (!more.ok()) return {};
    if (!*more) break;
    frames.push_back(f.rgb.clone());
  }
  if (frames.empty()) return {};
  const double fps = (*reader)->info().fps;
  const std::string path = (dir / "clip.mp4").string();
  auto writer = vision::VideoWriter::Open(path, frames[0].cols, frames[0].rows, fps, 0, 12);
  if (!writer.ok()) return {};
  const auto total = static_cast<std::size_t>(seconds * fps + 0.5);
  for (std::size_t i = 0; i < total; ++i) {
    if (!(*writer)->Write(frames[i % frames.size()]).ok()) return {};
  }
  if (!(*writer)->Finish().ok()) return {};
  return path;
}

int Clip(const std::string& dir, const std::string& clip) {
  std::printf("## A 30 s clip, heavy model\n\n");
  std::printf(
      "| cores | segments | frames | wall s | x real time | process CPU s | CPU per frame ms | "
      "decode (thread s) | inference (thread s) |\n|---|---|---|---|---|---|---|---|---|\n");
  for (int threads : {1, 2}) {
    vision::AnalyzerOptions o;
    o.models_dir = dir;
    o.model = vision::ModelVariant::kHeavy;
    o.threads = threads;
    auto analyzer = vision::PoseAnalyzer::Load(o);
    if (!analyzer.ok()) return 1;
    const Run r = Analyze(analyzer->get(), clip);
    if (!r.ok) return 1;
    std::printf("| %d | %d | %d | %.2f | %.2f | %.2f | %.1f | %.2f | %.2f |\n", threads,
                r.t.segments, r.t.frames, r.wall_s, r.wall_s / (r.t.frames / 30.0), r.cpu_s,
                1000 * r.cpu_s / r.t.frames, r.t.decode_s, r.t.inference_s);
    std::fflush(stdout);
  }
  std::printf("\n");
  return 0;
}

int Jobs(const std::string& dir, const std::string& clip) {
  std::printf("## Two 30 s clips waiting, heavy model, 2 cores\n\n");
  std::printf("| split | wall s for both | clips per hour | process CPU s |\n|---|---|---|---|\n");
  // One after the other, each on both cores.
  {
    vision::AnalyzerOptions o;
    o.models_dir = dir;
    o.threads = 2;
    auto analyzer = vision::PoseAnalyzer::Load(o);
    if (!analyzer.ok()) return 1;
    const double c0 = ProcessCpuS();
    const auto t0 = Clock::now();
    for (int i = 0; i < 2; ++i) {
      if (!Analyze(analyzer->get(), clip).ok) return 1;
    }
    const double wall = Seconds(Clock::now() - t0);
    std::printf("| one job at a time, 2 cores (2 segments) each | %.2f | %.0f | %.2f |\n", wall,
                2 * 3600 / wall, ProcessCpuS() - c0);
  }
  // Both at once, one core each.
  {
    vision::AnalyzerOptions o;
    o.models_dir = dir;
    o.threads = 1;
    auto a = vision::PoseAnalyzer::Load(o);
    auto b = vision::PoseAnalyzer::Load(o);
    if (!a.ok() || !b.ok()) return 1;
    const double c0 = ProcessCpuS();
    const auto t0 = Clock::now();
    bool ok_a = false, ok_b = false;
    std::thread other([&] { ok_b = Analyze(b->get(), clip).ok; });
    ok_a = Analyze(a->get(), clip).ok;
    other.join();
    if (!ok_a || !ok_b) return 1;
    const double wall = Seconds(Clock::now() - t0);
    std::printf("| two jobs at once, 1 core each | %.2f | %.0f | %.2f |\n", wall, 2 * 3600 / wall,
                ProcessCpuS() - c0);
  }
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODELS_DIR VIDEO [RUNS] [inference|profile|e2e|clip|jobs]...\n",
                 argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string video = argv[2];
  int runs = 30;
  std::set<std::string> sections;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && std::isdigit(static_cast<unsigned char>(arg[0]))) {
      runs = std::max(3, std::atoi(arg.c_str()));
    } else {
      sections.insert(arg);
    }
  }
  auto wanted = [&](const char* s) { return sections.empty() || sections.count(s) != 0; };
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("load average at start: %.2f %.2f %.2f; %u hardware threads\n\n", load[0], load[1],
              load[2], std::thread::hardware_concurrency());
  if (wanted("inference") && Inference(dir, runs) != 0) return 1;
  if (wanted("profile") && Profile(dir, runs) != 0) return 1;
  if (wanted("e2e") && EndToEnd(dir, video) != 0) return 1;
  if (wanted("clip") || wanted("jobs")) {
    std::random_device rd;
    const fs::path tmp = fs::temp_directory_path() / ("asc-bench-" + std::to_string(rd()));
    fs::create_directories(tmp);
    const std::string clip = LoopedClip(video, 30, tmp);
    int rc = clip.empty() ? 1 : 0;
    if (rc == 0 && wanted("clip")) rc = Clip(dir, clip);
    if (rc == 0 && wanted("jobs")) rc = Jobs(dir, clip);
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (rc != 0) {
      std::fprintf(stderr, "clip benchmark failed\n");
      return rc;
    }
  }
  return 0;
}
