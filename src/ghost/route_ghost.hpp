// The ghost of a stored route (issue 14 through the running system): the Routes API's holds, the
// climber's profile and the scale they gave in, the ghost document out (the same document as
// `ascension ghost`, docs/ghost.md "JSON"); and the fingerprint of those inputs, which tells a
// stored ghost is stale. Pure and deterministic.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "domain/ghost.hpp"
#include "domain/profile.hpp"
#include "domain/route.hpp"
#include "ghost/ghost_json.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

struct RouteGhostInputs {
  int image_width = 0;  // the route image's size (a ready route's)
  int image_height = 0;
  std::optional<double> wall_angle_deg;
  std::vector<domain::RouteHold> holds;  // every hold of the route; only selected ones are used
  domain::ClimberProfile profile;
  domain::GhostScale scale;  // the route's
  // The climber's stature in pixels of the route image, for a route built from their analysed
  // video (SkeletonHeightPx of the analysis); unset otherwise.
  std::optional<double> skeleton_height_px;
};

// Lower-case hex SHA-256 of a canonical text of what the ghost depends on: the image size, the
// wall angle, every selected hold (id, outline to 0.01 px, size class, role) in id order, the
// profile's height, arm span and limb conditions, the scale (with the two holds of a distance,
// selected or not) and the skeleton's stature; with neither a scale nor a skeleton, the holds
// that are not selected too (the estimate from the holds' sizes reads every hold). Other holds
// that are not selected, colours, confidences, names, grades, weight, level and dominant hand
// do not change it.
std::string GhostFingerprint(const RouteGhostInputs& in);

// The route's holds as the ghost's pixel holds: id the hold's uuid, centre the outline's
// centroid, outline, size class (medium when unknown), role, selection and colour.
std::vector<PixelHold> PixelHoldsFromRoute(const std::vector<domain::RouteHold>& holds);

struct RouteGhostOptions {
  int alternatives = 2;  // 0..2
  double fps = 30;
};

// What the ghost of a route is made of: the route (scale estimated, roles chosen), the body
// model, the plan, and the best beta played (none when there is no beta).
struct RouteGhostModel {
  RouteDocument route;
  BodyModel body;
  Plan plan;
  std::optional<Ghost> ghost;
};

// The planning steps on a route already built (scale estimated, roles chosen) for a body: the
// best beta and up to `options.alternatives` more (PlanBeta), the best one played at
// `options.fps` (AnimateBeta). PlanRouteGhost's last step, and `ascension-analyze --route`'s
// over a holds JSON. kInvalidArgument (code "invalid_route") when the route cannot be planned.
Result<RouteGhostModel> PlanGhost(RouteDocument route, BodyModel body,
                                  const RouteGhostOptions& options = {});

// The steps of ComputeRouteGhost, without the document: the same inputs give the same model
// (a stored ghost whose fingerprint is the inputs' is this model's document).
Result<RouteGhostModel> PlanRouteGhost(const RouteGhostInputs& in,
                                       const RouteGhostOptions& options = {});

// The ghost document of the route for the climber: the scale estimated (the skeleton with the
// profile's height, the distance, the wall height, the skeleton with a default height, the hold
// sizes), a start and a top chosen when no selected hold has that role (the highest selected
// hold is the top, the lowest hand-sized one in the upper three quarters the start), the beta
// planned and animated. A route without a beta is a document with "no_beta", not an error.
// kInvalidArgument (code "invalid_route") when the holds cannot make a route (no image size, a
// scale hold that is not selected, nothing to estimate the scale from), (code
// "invalid_profile") when the profile cannot make a body model.
Result<nlohmann::json> ComputeRouteGhost(const RouteGhostInputs& in,
                                         const RouteGhostOptions& options = {});

}  // namespace ascension::ghost
