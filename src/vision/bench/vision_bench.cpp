// Timing of the vision pipeline: milliseconds per inference for each model at 1 and 2 threads,
// and end-to-end analysis of a clip with each landmark model (decode / inference / rest).
//   usage: vision_bench MODELS_DIR VIDEO [RUNS]
// Prints a Markdown table; run it on an idle machine.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "vision/pose_analyzer.hpp"
#include "vision/tflite/executor.hpp"
#include "vision/tflite/model.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct ModelCase {
  const char* label;
  const char* file;
  std::vector<std::string> outputs;
};

// CPU time of the calling thread: with one inference thread it is the work done, even when other
// processes compete for the cores.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODELS_DIR VIDEO [RUNS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string video = argv[2];
  const int runs = argc > 3 ? std::max(3, std::atoi(argv[3])) : 30;

  const std::vector<ModelCase> cases = {
      {"detector", "pose_detection.tflite", {"Identity", "Identity_1"}},
      {"landmark lite", "pose_landmark_lite.tflite", {"Identity", "Identity_1", "Identity_3"}},
      {"landmark full", "pose_landmark_full.tflite", {"Identity", "Identity_1", "Identity_3"}},
      {"landmark heavy", "pose_landmark_heavy.tflite", {"Identity", "Identity_1", "Identity_3"}},
  };
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("load average at start: %.2f %.2f %.2f\n\n", load[0], load[1], load[2]);
  std::printf("## Inference (ms per invocation, %d runs after 5 warm-up runs)\n\n", runs);
  std::printf(
      "| model | 1 thread: wall median | wall min | CPU median | 2 threads: wall median | wall "
      "min |\n|---|---|---|---|---|---|\n");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> pixel(0.f, 1.f);
  for (const auto& c : cases) {
    auto model = ascension::vision::tflite::Model::Load(dir + "/" + c.file);
    if (!model.ok()) {
      std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
      return 1;
    }
    double median[2] = {0, 0}, best[2] = {0, 0}, cpu = 0;
    for (int threads : {1, 2}) {
      auto exec = ascension::vision::tflite::Executor::Create(*model, c.outputs, threads);
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

  std::printf("\n## End to end: %s (1 thread)\n\n", video.c_str());
  std::printf(
      "| model | frames | wall s | CPU s | ms/frame (wall) | decode | inference (crop, models, "
      "post) | rest |\n|---|---|---|---|---|---|---|---|\n");
  for (auto variant :
       {ascension::vision::ModelVariant::kLite, ascension::vision::ModelVariant::kFull,
        ascension::vision::ModelVariant::kHeavy}) {
    ascension::vision::AnalyzerOptions o;
    o.models_dir = dir;
    o.model = variant;
    auto analyzer = ascension::vision::PoseAnalyzer::Load(o);
    if (!analyzer.ok()) return 1;
    std::string code;
    const double cpu0 = ThreadCpuMs();
    auto seq = (*analyzer)->Analyze(video, {}, &code);
    const double cpu_s = (ThreadCpuMs() - cpu0) / 1000;
    if (!seq.ok()) {
      std::fprintf(stderr, "analysis failed: %s\n", code.c_str());
      return 1;
    }
    const auto& t = (*analyzer)->last_timings();
    const double rest = t.total_s - t.decode_s - t.inference_s;
    std::printf("| %s | %d | %.2f | %.2f | %.1f | %.0f %% | %.0f %% | %.0f %% |\n",
                ascension::vision::ModelVariantName(variant), t.frames, t.total_s, cpu_s,
                1000 * t.total_s / t.frames, 100 * t.decode_s / t.total_s,
                100 * t.inference_s / t.total_s, 100 * rest / t.total_s);
    std::fflush(stdout);
  }
  return 0;
}
