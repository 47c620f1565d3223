// JSON in and out of ghost mode. In: a route (holds JSON, docs/ghost.md "Holds JSON"), an
// analysis result with route.holds_used. Out: the ghost document — scale, body,
// best beta and alternatives (or no_beta), the ghost's frames in the analysis frame format, and
// the comparison with a climb. Every input is hostile: types and sizes are checked and each
// problem comes back as a kInvalidArgument naming the field; nothing throws.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "ghost/animation.hpp"
#include "ghost/body.hpp"
#include "ghost/comparison.hpp"
#include "ghost/planner.hpp"
#include "ghost/route.hpp"
#include "ghost/scale.hpp"

namespace ascension::ghost {

struct RouteDocument {
  Route route;
  ScaleEstimate scale;     // for a route in metres: metres_per_pixel of its view, confidence 1
  std::string image_path;  // "image.path" as written (may be empty)
};

// Choices made on top of a holds document (the CLI's --colour, --start, --top): select the
// holds of one colour (the others are deselected), give roles by hold id. When no selected hold
// is a start or a top after that, they are chosen: the top is the highest selected hold, the
// start the lowest selected hand-sized hold (small or larger) in the upper three quarters of the
// image.
struct RouteChoices {
  std::optional<std::string> colour;
  std::vector<std::string> start, top;
  // Choose a start and a top (as above) even when nothing else is asked (the Routes API's holds).
  bool choose_roles = false;
};

// Parses a holds JSON (ours, or the hold detector's `ascension holds --out` document: "index"
// stands for "id", a role "" for none). `extra` adds scale inputs the document does not carry
// (e.g. the climber's skeleton, from the CLI); the document's own "scale" object takes its place
// in the order of EstimateScale.
Result<RouteDocument> ParseRouteJson(const nlohmann::json& doc, const ScaleInputs& extra = {},
                                     const RouteChoices& choices = {});

// The route of holds in pixels (a photo's): the choices applied, then the scale estimated from
// `scale` (EstimateScale's order) and the holds placed on the wall. ParseRouteJson's pixel path.
Result<RouteDocument> RouteFromPixelHolds(std::vector<PixelHold> holds, ImageSize image,
                                          const ScaleInputs& scale,
                                          const RouteChoices& choices = {});

// The climb of an analysis result document (its "route.holds_used" and, per frame, "com"), in
// the route's frame: the analysis's normalized coordinates are taken in the route's view, which
// holds when the route image is a frame of the analysed video (a route built from it).
Result<ClimbRecord> ParseClimbJson(const nlohmann::json& analysis, const Route& route);

// The climber's stature in pixels from an analysis result (biomechanics.summary.body_height in
// frame heights × video.height), if present. With `image_height`, in pixels of an image of that
// height showing the video's view (a route labelled on a frame of it, at another resolution):
// body_height × image_height.
std::optional<double> SkeletonHeightPx(const nlohmann::json& analysis,
                                       std::optional<int> image_height = std::nullopt);

// The ghost's frames as an analysis would have them: {"frame","timestamp_ms","pose_detected",
// "landmarks":{"0","7","8","11"…"32":{"x","y","z","pres"}},"angles":{…},"com":{"x","y"},
// "placed":[limb names],"move":index?}, coordinates normalized in the route's view.
nlohmann::json GhostFramesJson(const Route& route, const Ghost& ghost);

// {"cost","start":{limb:contact},"moves":[{"limb","from","to","distance_cm","cost"
//  (,"start_ms","end_ms" when `ghost` is given)}]}; a contact is {"hold":id} or
// {"smear":{"x","y"}} (normalized) or null for an absent limb.
nlohmann::json BetaJson(const Route& route, const Beta& beta, const Ghost* ghost);

// {"code","message","limb","from_hold","to_hold","beyond_reach_cm"}.
nlohmann::json NoBetaJson(const Route& route, const NoBeta& no_beta);

// {"moves":[{"kind","limb","ghost_move","real_move","ghost_hold","real_hold","reordered",
//  "hold_distance_cm","com_distance_cm","time_delta_ms","video_ms","ghost_ms"}],
//  "counts":{...},"sync":[[video_ms, ghost_ms],…]}.
nlohmann::json ComparisonJson(const Route& route, const Ghost& ghost, const Comparison& c);

// The whole document of `ascension ghost` (and of the ghost job, phase 2): "version", "scale",
// "body", "beta", "alternatives", "no_beta", "stats", "video" {"fps","width","height",
// "duration_ms"}, "frames", and "comparison" when given.
nlohmann::json GhostDocument(const RouteDocument& route, const BodyModel& body, const Plan& plan,
                             const Ghost* ghost, double fps, const Comparison* comparison);

}  // namespace ascension::ghost
