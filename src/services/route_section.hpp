// The route section of an analysis result (issue 13 item 5): when the analysis names a route,
// the climb's hand and foot placements (result.biomechanics.placements) matched to the route's
// holds through the route repository (ghost/holds_used.hpp does the matching). Never fails the
// analysis: a route that cannot be read gives a section with an error instead of holds_used.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/analysis.hpp"
#include "ports/route_repository.hpp"

namespace ascension::services {

// {"id", "holds_used": [{hold_id, limb, from_ms, to_ms, position, hold_centre, distance_bh}],
//  "unmatched_placements", "hold_count", "coordinates": "normalized frame coordinates"}, or
// {"id", "error": {"code", "message"}} when the route cannot be used: route_not_found (deleted,
// or not the owner's), route_not_ready (being detected again), route_unavailable (the database),
// route_unreadable (its holds or the result's placements are unusable). Logged with the analysis.
nlohmann::json RouteSection(ports::RouteRepository& routes, const domain::Analysis& analysis,
                            const nlohmann::json& result);

}  // namespace ascension::services
