// ascension-analyze: the worker's whole analysis (pose, biomechanics, advice) on one video file,
// offline, with no service.
//   ascension-analyze VIDEO [--model lite|full|heavy] [--out result.json] [--render overlay.mp4]
//                     [--lang en|fr] [--models-dir DIR] [--threads N]
//                     [--profile height=178,span=182,level=fontainebleau:6A,injured=right_arm]
//                     [--route HOLDS_JSON]
// --profile: the climber coached, as the worker coaches an owner's stored profile (the same
// BuildAnalysisDocument; the keys in domain/profile_text.hpp, checked by the API's rules).
// --route: the route climbed, as a holds JSON (`ascension-ghost`'s, docs/ghost.md) labelled on
// the video's view: the result gains its route section (route.holds_used) and its ghost section
// as the worker builds them (the beta planned for this climber, compared with the climb, its
// advice appended), and --render draws the holds and the ghost in sync beside the climber.
// Writes the result document to --out (or stdout), the advice as Markdown to stderr (or to
// --hints FILE) and a progress bar to stderr. Exit status 0 on
// success; on failure prints "error: <code>: <message>" and exits with 1 (2 for bad usage, a
// bad --profile or --route file).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "common/cli.hpp"
#include "common/config.hpp"
#include "domain/profile_text.hpp"
#include "ghost/analysis_ghost.hpp"
#include "ghost/ghost_json.hpp"
#include "ghost/holds_used.hpp"
#include "ghost/render/ghost_renderer.hpp"
#include "ghost/route_ghost.hpp"
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
               "                         [--route HOLDS_JSON]\n"
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

constexpr std::size_t kMaxRouteBytes = 64u << 20;

// The holds JSON of --route, read and parsed (not yet a route: the scale may wait for the
// climber's stature in the analysis).
ascension::Result<nlohmann::json> ReadRouteFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ascension::NotFound("cannot be opened");
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  if (text.size() > kMaxRouteBytes) return ascension::InvalidArgument("is larger than 64 MB");
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return ascension::InvalidArgument("is not valid JSON");
  return doc;
}

// The route's image height (pixels) of a holds JSON in pixels, which ParseRouteJson checked.
std::optional<int> RouteImageHeight(const nlohmann::json& doc) {
  const auto image = doc.find("image");
  if (image == doc.end() || !image->is_object()) return std::nullopt;
  const auto h = image->find("height");
  if (h == image->end() || !h->is_number_integer()) return std::nullopt;
  const long long v = h->get<long long>();
  if (v < 1 || v > 100000) return std::nullopt;
  return static_cast<int>(v);
}

// The route as the ghost reads it, with the choices the worker makes on a stored route (a start
// and a top chosen when no selected hold has the role). The climber's stature in `result`, when
// given, is a scale source (the route is labelled on the video's view) in EstimateScale's order;
// the document's own scale takes its place.
ascension::Result<ascension::ghost::RouteDocument> RouteOfFile(
    const nlohmann::json& doc, const ascension::ghost::BodyModel& body,
    const nlohmann::json* result) {
  ascension::ghost::ScaleInputs extra;
  extra.climber_height_cm = body.height * 100;
  extra.height_from_profile = body.height_from_profile;
  if (result) {
    if (auto px = ascension::ghost::SkeletonHeightPx(*result, RouteImageHeight(doc))) {
      extra.skeleton =
          ascension::ghost::SkeletonScale{*px, body.height * 100, body.height_from_profile};
    }
  }
  ascension::ghost::RouteChoices choices;
  choices.choose_roles = true;
  return ascension::ghost::ParseRouteJson(doc, extra, choices);
}

// What --route adds to the result: the route section and the ghost section, as the worker's
// ClimbOnRoute builds them (without the stored route's id and the stored ghost's fingerprint:
// there are none offline), the ghost's advice appended to the result's and to `hints`. Returns
// the layer that draws the holds and the ghost over the climber (none without a comparison).
// Problems are written into the sections, as the worker does, and reported on stderr.
std::shared_ptr<ascension::ghost::ComparisonLayer> AttachRoute(
    const nlohmann::json& doc, const ascension::ghost::BodyModel& body, const std::string& lang,
    nlohmann::json& result, std::string& hints) {
  using nlohmann::json;
  namespace ghost = ascension::ghost;
  auto problem = [](const char* code, const std::string& message) {
    std::fprintf(stderr, "warning: %s: %s\n", code, message.c_str());
    return json{{"code", code}, {"message", message}};
  };
  auto route = RouteOfFile(doc, body, &result);
  if (!route.ok()) {
    result["route"] = {{"error", problem("route_unreadable", route.status().message())}};
    return nullptr;
  }
  auto section = ghost::HoldsUsedSectionJson(result, ghost::HoldShapesOfRoute(route->route));
  if (!section.ok()) {
    result["route"] = {{"error", problem("route_unreadable", section.status().message())}};
    return nullptr;
  }
  result["route"] = std::move(*section);
  std::fprintf(stderr, "route: %zu placements on holds, %d on none; scale %.5f m/px from %s\n",
               result["route"]["holds_used"].size(),
               result["route"]["unmatched_placements"].get<int>(), route->scale.metres_per_pixel,
               ghost::ScaleSourceName(route->scale.source));
  // The worker's options (services::GhostComputationOptions::ghost): the same beta and frames.
  auto model = ghost::PlanGhost(std::move(*route), body, ghost::RouteGhostOptions{});
  if (!model.ok()) {
    result["ghost"] = {{"status", "unreadable"},
                       {"error", problem("ghost_unreadable", model.status().message())}};
    return nullptr;
  }
  auto compared = ghost::CompareAnalysisWithGhost(*model, result, lang);
  if (!compared.ok()) {
    result["ghost"] = {{"status", "unreadable"},
                       {"error", problem("ghost_unreadable", compared.status().message())}};
    return nullptr;
  }
  result["ghost"] = std::move(compared->section);
  const std::string markdown = ghost::AppendAdvice(result, compared->advice);
  if (!markdown.empty()) hints += (hints.empty() ? "" : "\n\n") + markdown;
  if (!model->ghost || !compared->comparison) {
    std::fprintf(stderr, "ghost: no beta for this climber on the route\n");
    return nullptr;
  }
  const json& counts = result["ghost"]["comparison"]["counts"];
  std::fprintf(stderr, "ghost: %zu moves compared with the climb (%s)\n",
               model->ghost->moves.size(), counts.dump().c_str());
  return std::make_shared<ghost::ComparisonLayer>(model->route.route, std::move(*model->ghost),
                                                  std::move(*compared->comparison));
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
                                     {"profile"},
                                     {"route"}},
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

  // --route: the file and the body checked before the video is read. A holds JSON with nothing
  // to scale it by waits for the climber's stature (EstimateScale: kFailedPrecondition).
  std::optional<nlohmann::json> route_doc;
  std::optional<ascension::ghost::BodyModel> body;
  if (auto path = args.Get("route")) {
    auto bad = [&](const std::string& what) {
      std::fprintf(stderr, "ascension-analyze: --route %s: %s\n", path->c_str(), what.c_str());
      return 2;
    };
    auto doc = ReadRouteFile(*path);
    if (!doc.ok()) return bad(doc.status().message());
    auto b = ascension::ghost::MakeBodyModel(profile);
    if (!b.ok()) return bad("the profile makes no body for the ghost: " + b.status().message());
    auto route = RouteOfFile(*doc, *b, nullptr);
    if (!route.ok() && route.status().kind() != ascension::ErrorKind::kFailedPrecondition)
      return bad(route.status().message());
    route_doc = std::move(*doc);
    body = std::move(*b);
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

  auto analysis = ascension::worker::BuildAnalysisDocument(*seq, lang, profile);
  std::shared_ptr<ascension::ghost::ComparisonLayer> ghost_layer;
  if (route_doc)
    ghost_layer = AttachRoute(*route_doc, *body, lang, analysis.result, analysis.hints);
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
    ascension::vision::OverlayLayer under;
    if (ghost_layer) {
      under = [ghost_layer](std::int64_t ms, cv::Mat& rgb) { ghost_layer->Draw(ms, rgb); };
    }
    auto st = ascension::vision::RenderOverlay(video, *seq, render_path, ro, &render_code, under);
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s: %s\n", render_code.c_str(), st.message().c_str());
      return 1;
    }
    std::fprintf(stderr, "overlay written to %s\n", render_path.c_str());
  }
  return 0;
}
