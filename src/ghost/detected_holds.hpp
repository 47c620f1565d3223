// The thin conversion from the hold detector's values (src/vision/holds) to the ghost's: the
// holds found on a photo become pixel holds, ids their index in the set (as the detector's JSON
// document numbers them).
#pragma once

#include <vector>

#include "ghost/ghost_json.hpp"
#include "ghost/route.hpp"
#include "vision/holds/hold.hpp"

namespace ascension::ghost {

// Outline, centre, size class, colour and role carried over; the radius is the one of a disc of
// the hold's area; every hold selected (RouteChoices selects a colour).
std::vector<PixelHold> PixelHoldsFromDetector(const vision::holds::HoldSet& set);

// The route of a photo's holds: PixelHoldsFromDetector, then RouteFromPixelHolds.
Result<RouteDocument> RouteFromDetectedHolds(const vision::holds::HoldSet& set,
                                             const ScaleInputs& scale,
                                             const RouteChoices& choices = {});

}  // namespace ascension::ghost
