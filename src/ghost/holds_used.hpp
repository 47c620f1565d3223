// The holds a climb used (issue 13 item 5): each hand and foot placement the biomechanics found,
// matched to the hold of the route it rests on. Pure: the placements and the holds come in as
// values (or as the analysis result document), the matches go out; no I/O, nothing throws.
//
// Coordinates: the placements are in the analysis result's normalized frame coordinates; the
// holds' outlines are normalized in the route image. Both agree when the route image is the
// video's own view (a route built from the analysed video, or a photo taken from the camera's
// place); docs/routes.md says so. Distances are measured after rescaling x by the frame's aspect
// ratio, in frame heights, and compared with the climber's body height in the frame.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "ghost/body.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

// A limb at rest, as the biomechanics reports it (result.biomechanics.placements): the mean end
// point (wrist or ankle) while placed, normalized in the frame.
struct LimbPlacement {
  Limb limb = Limb::kLeftHand;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  Vec2 position;  // normalized frame coordinates (x right, y down)
};

// A hold of the route, its outline normalized in the route image (x right, y down).
struct HoldShape {
  std::string id;
  std::vector<Vec2> outline;  // >= 3 points
  SizeClass size = SizeClass::kMedium;
};

// The placements of a result document and what is needed to measure them.
struct ClimbPlacements {
  std::vector<LimbPlacement> placements;
  double aspect = 1;                     // frame width / frame height
  std::optional<double> body_height_fh;  // the climber's stature in frame heights
};

struct HoldsUsedOptions {
  double aspect = 1;            // frame width / height (x distances are scaled by it)
  double body_height_fh = 0.5;  // the climber's stature in frame heights
  // How far the point that grips or stands can be from the measured end point, in body heights:
  // the wrist to the middle of the hand, the ankle to the toes (anthropometric hand and foot
  // lengths, 0.108 and 0.152 of the stature, with a margin for the pose's noise).
  double hand_reach_bh = 0.08;
  double foot_reach_bh = 0.12;
};

// One placement on a hold.
struct HoldUse {
  std::string hold_id;
  Limb limb = Limb::kLeftHand;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  Vec2 position;           // the placement's end point, normalized frame coordinates
  Vec2 hold_centre;        // the hold's centroid, normalized
  double distance_bh = 0;  // from the end point to the hold's outline (0 inside), in body heights
};

struct HoldsUsed {
  std::vector<HoldUse> used;  // in the placements' order (by limb, then time)
  int unmatched = 0;          // placements with no hold within reach (a smear, a missed hold)
};

// Matches each placement to the hold it is on. A placement inside one or more outlines is on the
// smallest of them (a hold bolted on a volume, rather than the volume); otherwise on the nearest
// hold whose outline is within the limb's reach (hand_reach_bh or foot_reach_bh × body height);
// otherwise on none (counted in `unmatched`). Placements with to_ms <= from_ms are not uses and
// are counted as unmatched. Holds with fewer than 3 points are ignored.
HoldsUsed MatchPlacements(const std::vector<LimbPlacement>& placements,
                          const std::vector<HoldShape>& holds, const HoldsUsedOptions& options);

// Reads result.biomechanics.placements ({limb, start_ms, end_ms, position {x, y}}), the frame
// size (video.width / video.height) and the stature (biomechanics.summary.body_height) of an
// analysis result document. A result without placements has none; a wrong type, a limb that is
// not one of the four, a non-finite position or more than 100,000 placements is kInvalidArgument
// naming the field.
Result<ClimbPlacements> PlacementsFromResult(const nlohmann::json& result);

// [{hold_id, limb, from_ms, to_ms, position {x, y}, hold_centre {x, y}, distance_bh}], the
// route.holds_used array of the result (ParseClimbJson reads it back).
nlohmann::json HoldsUsedJson(const HoldsUsed& used);

// The route section of an analysis result (without the route's id): the result's placements
// (PlacementsFromResult) matched to `holds` (MatchPlacements, with the frame's aspect and the
// climber's stature when the result has them), {"holds_used", "unmatched_placements",
// "hold_count", "coordinates"}. Errors: PlacementsFromResult's. The worker's route section
// (services::HoldsUsedSection) and `ascension-analyze --route` both build it here.
Result<nlohmann::json> HoldsUsedSectionJson(const nlohmann::json& result,
                                            const std::vector<HoldShape>& holds);

// The holds of a route as shapes in its view's normalized coordinates (the analysis frames'
// when the route image is the video's view): each outline as it is, a hold without an outline
// as a 16-sided polygon of its radius. In the route's order.
std::vector<HoldShape> HoldShapesOfRoute(const Route& route);

}  // namespace ascension::ghost
