// The JSON form of a detection (the `ascension holds --out` document, and later the route API's
// holds). Coordinates are image pixels rounded to 0.1, normalised values to 4 decimals.
#pragma once

#include <nlohmann/json.hpp>

#include "vision/holds/hold.hpp"

namespace ascension::vision::holds {

// {"image":{"width","height"},
//  "holds":[{"index","outline":[[x,y],...],"box":{"x","y","width","height"},
//            "box_normalised":{...},"centre":{"x","y"},"area_px","colour",
//            "measured":{"r","g","b","hex"},"size","confidence","role"?}],
//  "colours":{"blue":3,...}}   (counts per palette colour found, absent colours left out)
nlohmann::json HoldSetJson(const HoldSet& set);

}  // namespace ascension::vision::holds
