// ascension-analyze: the worker's whole analysis (pose, biomechanics, advice) on one video file,
// offline, with no service.
//   ascension-analyze VIDEO [--model lite|full|heavy] [--out result.json] [--render overlay.mp4]
//                     [--lang en|fr] [--models-dir DIR] [--threads N]
//                     [--profile height=178,span=182,level=fontainebleau:6A,injured=right_arm]
// --profile: the climber coached, as the worker coaches an owner's stored profile (the same
// BuildAnalysisDocument; the keys in domain/profile_text.hpp, checked by the API's rules).
// Writes the result document to --out (or stdout), the advice as Markdown to stderr (or to
// --hints FILE) and a progress bar to stderr. Exit status 0 on
// success; on failure prints "error: <code>: <message>" and exits with 1 (2 for bad usage).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

#include "common/cli.hpp"
#include "common/config.hpp"
#include "domain/profile_text.hpp"
#include "vision/overlay_renderer.hpp"
#include "vision/pose_analyzer.hpp"
#include "worker/analysis_document.hpp"

namespace {

using ascension::vision::AnalyzerOptions;

void Usage() {
  std::fprintf(stderr,
               "usage: ascension-analyze VIDEO [--model lite|full|heavy] [--out result.json]\n"
               "                         [--render overlay.mp4] [--lang en|fr] [--hints hints.md]\n"
               "                         [--models-dir DIR] [--threads N]\n"
               "                         [--profile height=178,span=182,weight=70,\n"
               "                                    level=fontainebleau:6A,hand=right,\n"
               "                                    injured=right_arm,absent=left_leg]\n"
               "models dir defaults to $ASCENSION_MODELS_DIR, else ./models; --lang to fr\n");
}

int BadUsage(const std::string& what) {
  std::fprintf(stderr, "ascension-analyze: %s\n", what.c_str());
  Usage();
  return 2;
}

void DrawProgress(double fraction) {
  const int width = 40;
  const int filled = static_cast<int>(fraction * width + 0.5);
  std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled,
               "========================================", width - filled, "",
               static_cast<int>(fraction * 100 + 0.5));
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  AnalyzerOptions options;
  {
    ascension::EnvReader env;  // the one setting this tool reads (settings.hpp)
    if (std::string dir = env.String("ASCENSION_MODELS_DIR"); !dir.empty())
      options.models_dir = dir;
  }
  auto args = ascension::cli::Parse(argc, argv,
                                    {{"model"},
                                     {"out"},
                                     {"render"},
                                     {"lang"},
                                     {"hints"},
                                     {"models-dir"},
                                     {"threads"},
                                     {"profile"}},
                                    1);
  if (args.help) return Usage(), 0;
  if (args.error) return BadUsage(*args.error);
  if (args.positionals.empty()) return BadUsage("a VIDEO is needed");
  const std::string video = args.positionals[0];
  const std::string out_path = args.Get("out").value_or("");
  const std::string render_path = args.Get("render").value_or("");
  const std::string hints_path = args.Get("hints").value_or("");
  const std::string lang = args.Get("lang").value_or("fr");
  if (lang != "en" && lang != "fr") return BadUsage("--lang must be en or fr");
  if (auto m = args.Get("model")) {
    auto variant = ascension::vision::ParseModelVariant(*m);
    if (!variant) return BadUsage("--model must be lite, full or heavy");
    options.model = *variant;
  }
  if (auto dir = args.Get("models-dir")) options.models_dir = *dir;
  if (auto t = args.Get("threads")) {
    options.threads = std::atoi(t->c_str());
    if (options.threads < 1) return BadUsage("--threads must be 1 or more");
  }

  ascension::domain::ClimberProfile profile;
  if (auto text = args.Get("profile")) {
    auto parsed = ascension::domain::ParseProfileText(*text);
    if (!parsed.ok()) return BadUsage(parsed.status().message());
    profile = std::move(*parsed);
  }

  auto analyzer = ascension::vision::PoseAnalyzer::Load(options);
  if (!analyzer.ok()) {
    std::fprintf(stderr, "error: internal: %s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  std::string code;
  auto seq = (*analyzer)->Analyze(
      video, [](double f) { return DrawProgress(f), true; }, &code);
  std::fprintf(stderr, "\n");
  if (!seq.ok()) {
    std::fprintf(stderr, "error: %s: %s\n", code.c_str(), seq.status().message().c_str());
    return 1;
  }
  const auto& t = (*analyzer)->last_timings();
  std::fprintf(stderr, "%d frames in %.2f s (decode %.2f s, inference %.2f s)\n", t.frames,
               t.total_s, t.decode_s, t.inference_s);

  const auto analysis = ascension::worker::BuildAnalysisDocument(*seq, lang, profile);
  const std::string doc = analysis.result.dump();
  if (hints_path.empty()) {
    std::fprintf(stderr, "\n%s\n", analysis.hints.c_str());
  } else {
    std::ofstream hints(hints_path);
    hints << analysis.hints;
  }
  if (out_path.empty()) {
    std::cout << doc << "\n";
  } else {
    std::ofstream out(out_path);
    out << doc << "\n";
    if (!out.flush()) {
      std::fprintf(stderr, "error: internal: cannot write %s\n", out_path.c_str());
      return 1;
    }
  }
  if (!render_path.empty()) {
    std::string render_code;
    ascension::vision::VideoReaderOptions ro;
    ro.max_fps = options.max_fps;
    ro.max_width = options.max_width;
    ro.max_duration_s = options.max_duration_s;
    auto st = ascension::vision::RenderOverlay(video, *seq, render_path, ro, &render_code);
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s: %s\n", render_code.c_str(), st.message().c_str());
      return 1;
    }
    std::fprintf(stderr, "overlay written to %s\n", render_path.c_str());
  }
  return 0;
}
