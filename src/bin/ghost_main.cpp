// ascension-ghost: ghost mode offline. Plans the best beta of a route for a climber's body, plays
// it as a ghost, optionally compares it with an analysed climb, and draws it.
//   ascension-ghost HOLDS_JSON|PHOTO [--profile height=178,span=182,absent=left_arm,...]
//                   [--colour green] [--start ID,ID] [--top ID]
//                   [--wall-height CM | --distance ID,ID,CM]
//                   [--out ghost.json] [--render ghost.mp4] [--sheet ghost.png]
//                   [--background photo.jpg] [--compare analysis.json [--video climb.mp4]]
//                   [--lang en|fr] [--fps 30] [--alternatives 0..2]
// --profile: the climber, in the words of `ascension-analyze --profile` (domain/profile_text.hpp,
// the API's rules); the ghost reads its height, span and limb conditions.
// Writes the ghost document (docs/ghost.md) to --out (or stdout) and a summary to stderr.
// Exit status 0 on success (also when no beta exists: the document says why), 1 on failure
// ("error: <code>: <message>"), 2 on bad usage (a bad --profile among it, naming the pair).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "coaching/advice.hpp"
#include "coaching/result_json.hpp"
#include "common/cli.hpp"
#include "domain/profile_text.hpp"
#include "ghost/animation.hpp"
#include "ghost/comparison.hpp"
#include "ghost/detected_holds.hpp"
#include "ghost/ghost_advice.hpp"
#include "ghost/ghost_json.hpp"
#include "ghost/planner.hpp"
#include "ghost/render/ghost_renderer.hpp"
#include "vision/holds/detector.hpp"
#include "vision/holds/image_io.hpp"

namespace {

using namespace ascension;
using namespace ascension::ghost;
using nlohmann::json;

constexpr std::size_t kMaxInputBytes = 64u << 20;

void Usage() {
  std::fprintf(
      stderr,
      "usage: ascension-ghost HOLDS_JSON [--profile height=178,span=182,absent=left_arm]\n"
      "                       [--out ghost.json] [--render ghost.mp4] [--sheet ghost.png]\n"
      "                       [--background photo.jpg] [--compare analysis.json\n"
      "                       [--video climb.mp4]] [--lang en|fr] [--fps 30]\n"
      "                       [--alternatives 0..2]\n"
      "profile keys: height, span (cm); injured=LIMB, absent=LIMB or LIMB=injured|absent\n"
      "(left_arm, right_arm, left_leg, right_leg); weight, level, hand as for\n"
      "ascension-analyze. HOLDS_JSON: docs/ghost.md.\n");
}

int BadUsage(const std::string& what) {
  std::fprintf(stderr, "ascension-ghost: %s\n", what.c_str());
  Usage();
  return 2;
}

int Fail(const std::string& code, const std::string& message) {
  std::fprintf(stderr, "error: %s: %s\n", code.c_str(), message.c_str());
  return 1;
}

Result<json> ReadJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  if (text.size() > kMaxInputBytes) return InvalidArgument(path + " is larger than 64 MB");
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return InvalidArgument(path + " is not valid JSON");
  return doc;
}

bool IsImage(std::string_view path) {
  for (std::string_view ext : {".jpg", ".jpeg", ".png", ".webp", ".heic", ".JPG", ".PNG"}) {
    if (path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext) return true;
  }
  return false;
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t comma = std::min(s.find(',', pos), s.size());
    if (comma > pos) out.emplace_back(s.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

// The route of a photo: its holds found by the detector, then the choices and the scale.
Result<RouteDocument> PhotoRoute(const std::string& path, const ScaleInputs& scale,
                                 const RouteChoices& choices) {
  std::string code;
  auto image = vision::holds::LoadImageFile(path, {}, &code);
  if (!image.ok()) return InvalidArgument(code + ": " + image.status().message());
  auto set = vision::holds::DetectHolds(*image);
  if (!set.ok()) return set.status();
  return RouteFromDetectedHolds(*set, scale, choices);
}

// The route of a holds JSON.
Result<RouteDocument> JsonRoute(const std::string& path, const ScaleInputs& scale,
                                const RouteChoices& choices) {
  auto doc = ReadJson(path);
  if (!doc.ok()) return doc.status();
  return ParseRouteJson(*doc, scale, choices);
}

std::string ContactText(const Route& route, const Contact& c) {
  if (c.kind == Contact::Kind::kHold) return route.holds[c.hold].id;
  return c.kind == Contact::Kind::kSmear ? "smear" : "-";
}

}  // namespace

int main(int argc, char** argv) {
  auto args = cli::Parse(argc, argv,
                         {{"profile"},
                          {"out"},
                          {"render"},
                          {"sheet"},
                          {"background"},
                          {"compare"},
                          {"video"},
                          {"lang"},
                          {"fps"},
                          {"colour"},
                          {"start"},
                          {"top"},
                          {"wall-height"},
                          {"distance"},
                          {"alternatives"}},
                         1);
  if (args.help) return Usage(), 0;
  if (args.error) return BadUsage(*args.error);
  if (args.positionals.empty()) return BadUsage("a HOLDS_JSON or PHOTO is needed");
  const std::string input = args.positionals[0];
  const std::string out_path = args.Get("out").value_or("");
  const std::string render_path = args.Get("render").value_or("");
  const std::string sheet_path = args.Get("sheet").value_or("");
  std::string background = args.Get("background").value_or("");
  const std::string compare_path = args.Get("compare").value_or("");
  const std::string video_path = args.Get("video").value_or("");
  const std::string lang = args.Get("lang").value_or("en");
  if (lang != "en" && lang != "fr") return BadUsage("--lang must be en or fr");
  double fps = 30;
  if (auto v = args.Get("fps")) {
    if ((fps = std::atof(v->c_str())) <= 0 || fps > 120)
      return BadUsage("--fps must be in (0, 120]");
  }
  int alternatives = 2;
  if (auto v = args.Get("alternatives")) {
    if ((alternatives = std::atoi(v->c_str())) < 0 || alternatives > 2) {
      return BadUsage("--alternatives must be 0, 1 or 2");
    }
  }
  RouteChoices choices;
  if (auto v = args.Get("colour")) choices.colour = *v;
  if (auto v = args.Get("start")) choices.start = SplitComma(*v);
  if (auto v = args.Get("top")) choices.top = SplitComma(*v);
  ScaleInputs extra;
  if (auto v = args.Get("wall-height")) extra.wall_height_cm = std::atof(v->c_str());
  if (auto v = args.Get("distance")) {
    const auto parts = SplitComma(*v);
    if (parts.size() != 3) return BadUsage("--distance needs ID,ID,CM");
    extra.distance = HoldDistance{parts[0], parts[1], std::atof(parts[2].c_str())};
  }

  domain::ClimberProfile profile;
  if (auto text = args.Get("profile")) {
    auto parsed = domain::ParseProfileText(*text);
    if (!parsed.ok()) return BadUsage(parsed.status().message());
    profile = std::move(*parsed);
  }
  auto body = MakeBodyModel(profile);
  if (!body.ok())
    return BadUsage("--profile " + *args.Get("profile") + ": " + body.status().message());

  std::optional<json> analysis;
  extra.climber_height_cm = body->height * 100;
  extra.height_from_profile = body->height_from_profile;
  if (!compare_path.empty()) {
    auto a = ReadJson(compare_path);
    if (!a.ok()) return Fail("invalid_analysis", a.status().message());
    analysis = std::move(*a);
    if (auto px = SkeletonHeightPx(*analysis)) {
      extra.skeleton = SkeletonScale{*px, body->height * 100, body->height_from_profile};
    }
  }
  auto route =
      IsImage(input) ? PhotoRoute(input, extra, choices) : JsonRoute(input, extra, choices);
  if (!route.ok()) return Fail("invalid_route", route.status().message());
  if (background.empty() && IsImage(input)) {
    background = input;
  } else if (background.empty() && !route->image_path.empty()) {
    // A relative image path is relative to the holds JSON.
    const std::string& p = route->image_path;
    const std::size_t slash = input.find_last_of('/');
    background = p[0] == '/' || slash == std::string::npos ? p : input.substr(0, slash + 1) + p;
  }
  std::fprintf(stderr, "scale: %.5f m/px from %s (confidence %.2f): %s\n",
               route->scale.metres_per_pixel, ScaleSourceName(route->scale.source),
               route->scale.confidence, route->scale.detail.c_str());

  PlanOptions options;
  options.alternatives = alternatives;
  const auto t0 = std::chrono::steady_clock::now();
  auto plan = PlanBeta(route->route, *body, options);
  const double plan_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!plan.ok()) return Fail("invalid_route", plan.status().message());
  std::fprintf(
      stderr, "planned in %.2f s (%zu states expanded, %zu moves and %zu stances solved)\n", plan_s,
      plan->stats.expanded, plan->stats.edges_evaluated, plan->stats.stances_solved);

  std::optional<Ghost> ghost;
  std::optional<Comparison> comparison;
  std::vector<coaching::Advice> advice;
  if (plan->no_beta) {
    std::fprintf(stderr, "no beta found: %s\n", plan->no_beta->message.c_str());
  } else {
    const Beta& beta = plan->betas.front();
    Pace pace;
    pace.fps = fps;
    auto g = AnimateBeta(*body, beta, pace);
    if (!g.ok()) return Fail("internal", g.status().message());
    ghost = std::move(*g);
    std::fprintf(stderr, "beta: %zu moves, cost %.2f (at most %.2f x the optimum), %.1f s\n",
                 beta.moves.size(), beta.cost, plan->stats.suboptimality_bound,
                 ghost->duration_ms / 1000.0);
    for (std::size_t i = 0; i < ghost->moves.size(); ++i) {
      const GhostMove& m = ghost->moves[i];
      std::fprintf(stderr, "  %2zu %6.1f s  %-10s %6s -> %-6s %5.0f cm\n", i + 1,
                   m.start_ms / 1000.0, LimbName(m.limb), ContactText(route->route, m.from).c_str(),
                   ContactText(route->route, m.to).c_str(), m.distance * 100);
    }
    for (std::size_t i = 1; i < plan->betas.size(); ++i) {
      std::fprintf(stderr, "alternative %zu: %zu moves, cost %.2f\n", i,
                   plan->betas[i].moves.size(), plan->betas[i].cost);
    }
    if (analysis) {
      auto climb = ParseClimbJson(*analysis, route->route);
      if (!climb.ok()) return Fail("invalid_analysis", climb.status().message());
      auto c = CompareClimb(route->route, *ghost, *body, *climb);
      if (!c.ok()) return Fail("invalid_analysis", c.status().message());
      comparison = std::move(*c);
      std::fprintf(stderr, "comparison: %d same hold, %d other hold, %d extra, %d skipped\n",
                   comparison->same_hold, comparison->other_hold, comparison->extra,
                   comparison->skipped);
      GhostAdviceOptions ao;
      if (const json* v = analysis->contains("video") ? &(*analysis)["video"] : nullptr;
          v && v->is_object() && v->contains("fps") && (*v)["fps"].is_number()) {
        ao.video_fps = (*v)["fps"].get<double>();
      }
      advice = GhostAdvice(route->route, *ghost, *comparison, lang, ao);
      std::fprintf(stderr, "\n%s\n", coaching::HintsMarkdown(advice).c_str());
    }
  }

  json doc = GhostDocument(*route, *body, *plan, ghost ? &*ghost : nullptr, fps,
                           comparison ? &*comparison : nullptr);
  if (comparison) doc["advice"] = coaching::AdviceJson(advice);
  if (out_path.empty()) {
    std::cout << doc.dump() << "\n";
  } else {
    std::ofstream out(out_path);
    out << doc.dump() << "\n";
    if (!out.flush()) return Fail("internal", "cannot write " + out_path);
  }
  if (ghost) {
    RenderOptions ro;
    ro.background = background;
    const Beta& beta = plan->betas.front();
    if (!render_path.empty()) {
      if (Status s = RenderGhostVideo(route->route, beta, *ghost, render_path, ro); !s.ok()) {
        return Fail("render_failed", s.message());
      }
      std::fprintf(stderr, "ghost video written to %s\n", render_path.c_str());
    }
    if (!sheet_path.empty()) {
      if (Status s = RenderContactSheet(route->route, beta, *ghost, sheet_path, ro); !s.ok()) {
        return Fail("render_failed", s.message());
      }
      std::fprintf(stderr, "contact sheet written to %s\n", sheet_path.c_str());
    }
    if (comparison && !video_path.empty()) {
      const std::string out =
          render_path.empty() ? "ghost-compare.mp4" : render_path + ".compare.mp4";
      if (Status s = RenderComparisonVideo(route->route, *ghost, *comparison, video_path, out);
          !s.ok()) {
        return Fail("render_failed", s.message());
      }
      std::fprintf(stderr, "comparison video written to %s\n", out.c_str());
    }
  }
  return 0;
}
