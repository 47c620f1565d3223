// One side of bench/compare.sh: runs a pose model of one build on the frames of a video and
// answers timing requests on stdin, so that two builds can be driven alternately (interleaved
// A/B) by the script. It uses only the executor's stable interface (tflite::Model::Load,
// tflite::Executor::Create/input/output/Invoke) and VideoReader, so the same file compiles
// against an older build of the project.
//
//   vision_invoke MODEL_FILE VIDEO THREADS OUTPUT[,OUTPUT...]
// Commands (one per line; each answered by exactly one line):
//   run N     N invocations, cycling through the frames; answers "cpu MS... wall MS..." with
//             the per-invocation thread CPU time and wall time in milliseconds
//   flops     "flops F": multiply-adds x 2 of the operators the requested outputs need
//   peak      "peak GFLOPS": an fp32 GEMM that stays in cache (XNNPACK fully connected, 448x256
//             by 256x256) on one thread, the best of 200 runs: the practical ceiling of the core
//   digest K  "digest V...": the outputs for frame K (every 97th value), to compare builds
//   quit
#include <time.h>
#include <xnnpack.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "vision/tflite/executor.hpp"
#include "vision/tflite/model.hpp"
#include "vision/video/video_reader.hpp"

namespace {

namespace tfl = ascension::vision::tflite;
constexpr int kFrames = 24;

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double WallMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// Frames of the video spread over its length, letterboxed into the model's square input and
// scaled as the pipeline scales them ([-1,1] for the 224 detector, [0,1] for the landmarks).
std::vector<std::vector<float>> LoadFrames(const std::string& video, int size) {
  ascension::vision::VideoReaderOptions o;
  std::string code;
  auto reader = ascension::vision::VideoReader::Open(video, o, &code);
  if (!reader.ok()) return {};
  std::vector<cv::Mat> all;
  ascension::vision::VideoFrame f;
  while (true) {
    auto more = (*reader)->Next(&f, &code);
    if (!more.ok() || !*more) break;
    all.push_back(f.rgb.clone());
  }
  std::vector<std::vector<float>> frames;
  if (all.empty()) return frames;
  for (int i = 0; i < kFrames; ++i) {
    const cv::Mat& rgb = all[all.size() * static_cast<std::size_t>(i) / kFrames];
    const double scale = static_cast<double>(size) / std::max(rgb.cols, rgb.rows);
    cv::Mat m = (cv::Mat_<double>(2, 3) << scale, 0, (size - rgb.cols * scale) / 2, 0, scale,
                 (size - rgb.rows * scale) / 2);
    cv::Mat box;
    cv::warpAffine(rgb, box, m, cv::Size(size, size), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
    std::vector<float> v(static_cast<std::size_t>(size) * size * 3);
    const bool signed_range = size == 224;
    for (int y = 0; y < size; ++y) {
      const std::uint8_t* row = box.ptr<std::uint8_t>(y);
      for (int x = 0; x < size * 3; ++x) {
        v[static_cast<std::size_t>(y) * size * 3 + x] =
            signed_range ? row[x] / 127.5f - 1.f : row[x] / 255.f;
      }
    }
    frames.push_back(std::move(v));
  }
  return frames;
}

// 2 x multiply-adds of the convolutions (and one operation per element of the element-wise
// operators) that the requested outputs depend on.
double Flops(const tfl::Model& model, const std::vector<std::string>& outputs) {
  const auto& tensors = model.tensors();
  const auto& ops = model.operators();
  std::vector<int> producer(tensors.size(), -1);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    for (int t : ops[i].outputs) producer[t] = static_cast<int>(i);
  }
  std::vector<int> stack;
  for (const auto& name : outputs) {
    for (int o : model.outputs()) {
      if (tensors[o].name == name) stack.push_back(o);
    }
  }
  std::vector<bool> seen(tensors.size(), false), needed(ops.size(), false);
  while (!stack.empty()) {
    const int t = stack.back();
    stack.pop_back();
    if (t < 0 || seen[t]) continue;
    seen[t] = true;
    if (producer[t] < 0) continue;
    needed[producer[t]] = true;
    for (int in : ops[producer[t]].inputs) stack.push_back(in);
  }
  auto elements = [&](int t) {
    double n = 1;
    for (int d : tensors[t].shape) n *= d;
    return n;
  };
  double flops = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!needed[i] || ops[i].outputs.empty() || ops[i].inputs.size() < 1) continue;
    const auto code = static_cast<tfl::OpCode>(ops[i].builtin_code);
    const double out = elements(ops[i].outputs[0]);
    if ((code == tfl::OpCode::kConv2D || code == tfl::OpCode::kDepthwiseConv2D) &&
        ops[i].inputs.size() >= 2 && tensors[ops[i].inputs[1]].shape.size() == 4) {
      const auto& f = tensors[ops[i].inputs[1]].shape;
      const double per_output =
          code == tfl::OpCode::kConv2D ? 1.0 * f[1] * f[2] * f[3] : 1.0 * f[1] * f[2];
      flops += 2 * out * per_output;
    } else if (code == tfl::OpCode::kAdd || code == tfl::OpCode::kMul ||
               code == tfl::OpCode::kLogistic) {
      flops += out;
    }
  }
  return flops;
}

double GemmPeak() {
  constexpr std::size_t kM = 448, kK = 256, kN = 256;
  std::vector<float> a(kM * kK + 16, 0.5f), w(kN * kK, 0.25f), b(kN, 0.f), c(kM * kN + 16);
  xnn_operator_t op = nullptr;
  if (xnn_create_fully_connected_nc_f32(kK, kN, kK, kN, w.data(), b.data(), -1e30f, 1e30f, 0,
                                        &op) != xnn_status_success) {
    return 0;
  }
  if (xnn_setup_fully_connected_nc_f32(op, kM, a.data(), c.data(), nullptr) != xnn_status_success) {
    xnn_delete_operator(op);
    return 0;
  }
  double best = 1e30;
  for (int i = 0; i < 200; ++i) {
    const double t0 = ThreadCpuMs();
    xnn_run_operator(op, nullptr);
    best = std::min(best, ThreadCpuMs() - t0);
  }
  xnn_delete_operator(op);
  return 2.0 * kM * kK * kN / (best * 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s MODEL_FILE VIDEO THREADS OUTPUT[,OUTPUT...]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> outputs;
  std::stringstream names(argv[4]);
  for (std::string n; std::getline(names, n, ',');) outputs.push_back(n);
  auto model = tfl::Model::Load(argv[1]);
  if (!model.ok()) {
    std::printf("error %s\n", model.status().ToString().c_str());
    return 1;
  }
  auto exec = tfl::Executor::Create(*model, outputs, std::atoi(argv[3]));
  if (!exec.ok()) {
    std::printf("error %s\n", exec.status().ToString().c_str());
    return 1;
  }
  const auto& shape = (*exec)->input_shape();
  if (shape.size() != 4 || shape[1] != shape[2] || shape[3] != 3) {
    std::printf("error unexpected input shape\n");
    return 1;
  }
  const auto frames = LoadFrames(argv[2], shape[1]);
  if (frames.empty() || frames[0].size() != (*exec)->input().size()) {
    std::printf("error cannot read frames from %s\n", argv[2]);
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::size_t next = 0;
  auto invoke = [&](std::size_t k) {
    std::copy(frames[k].begin(), frames[k].end(), (*exec)->input().begin());
    return (*exec)->Invoke().ok();
  };
  for (std::string line; std::getline(std::cin, line);) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    std::ostringstream out;
    if (cmd == "run") {
      int n = 1;
      in >> n;
      std::vector<double> cpu, wall;
      for (int i = 0; i < n; ++i) {
        // The copy of the frame into the input is outside the timed part.
        std::copy(frames[next].begin(), frames[next].end(), (*exec)->input().begin());
        const double c0 = ThreadCpuMs(), w0 = WallMs();
        if (!(*exec)->Invoke().ok()) {
          out.str("error invoke failed");
          break;
        }
        wall.push_back(WallMs() - w0);
        cpu.push_back(ThreadCpuMs() - c0);
        next = (next + 1) % frames.size();
      }
      if (out.str().empty()) {
        out << "cpu";
        for (double v : cpu) out << ' ' << v;
        out << " wall";
        for (double v : wall) out << ' ' << v;
      }
    } else if (cmd == "flops") {
      out << "flops " << Flops(*model, outputs);
    } else if (cmd == "peak") {
      out << "peak " << GemmPeak();
    } else if (cmd == "digest") {
      std::size_t k = 0;
      in >> k;
      if (!invoke(k % frames.size())) {
        out << "error invoke failed";
      } else {
        out << "digest";
        for (std::size_t o = 0; o < outputs.size(); ++o) {
          const auto v = (*exec)->output(o);
          for (std::size_t i = 0; i < v.size(); i += 97) out << ' ' << v[i];
        }
      }
    } else if (cmd == "quit") {
      break;
    } else {
      out << "error unknown command";
    }
    std::printf("%s\n", out.str().c_str());
    std::fflush(stdout);
  }
  return 0;
}
