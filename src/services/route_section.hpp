// What an analysis of a climb on a route adds to its result (issues 13 item 5 and 14 item 5):
//  - "route": the climb's hand and foot placements (result.biomechanics.placements) matched to
//    the route's holds (ghost/holds_used.hpp), read through the route repository;
//  - "ghost", for a premium or infinity owner whose route has a ready ghost that is not stale
//    (its fingerprint is the one of the route's and the profile's present inputs): the ghost's
//    beta compared with the climb (ghost/analysis_ghost.hpp), its biggest deviations appended to
//    the result's advice and to the hints. A freemium owner gets no ghost section.
// Never fails the analysis: a route or a ghost that cannot be used gives a section saying why
// (and a log line), never an error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "domain/analysis.hpp"
#include "ports/ghost_repository.hpp"
#include "ports/profile_repository.hpp"
#include "ports/route_repository.hpp"
#include "ports/user_repository.hpp"

namespace ascension::services {

// The route section of an analysis result for a ready route and its holds: the result's
// placements matched to the holds (their pixel outlines normalized by the route image's size),
// {"id", "holds_used", "unmatched_placements", "hold_count", "coordinates"}. kInvalidArgument
// (route_unreadable) when the route has no image size or the result's placements are malformed.
// The one computation of route.holds_used: at an analysis's completion (ClimbOnRoute::Attach)
// and at its route's (FillHoldsUsed).
Result<nlohmann::json> HoldsUsedSection(const domain::Route& route,
                                        const std::vector<domain::RouteHold>& holds,
                                        const nlohmann::json& result);

// What FillHoldsUsed did.
struct HoldsUsedFill {
  int filled = 0;      // results that gained route.holds_used
  int unchanged = 0;   // already had it, or climbed on another route
  int conflicts = 0;   // changed between the read and the write: left as they are
  int unreadable = 0;  // not a JSON object, or placements that cannot be read: left, logged
};

// Adds route.holds_used to every completed analysis of the route owner's that is climbed on
// `route` (analyses.route_id) or that it was built from (route.analysis_id, unless climbed on
// another route) and whose result lacks it: analyses that completed before the route's holds
// were ready (POST /v1/routes {analysis_id}; an analysis whose route was detected again while it
// ran). `route` must be ready with its holds stored. Each result is written by a conditional
// UPDATE (ReplaceAnalysisResult: only while it is the result read), so a concurrent change is not
// lost and running it again (a redelivered job) changes nothing. The ghost section is not added
// (a route whose holds were just detected has no ghost that is not stale).
Result<HoldsUsedFill> FillHoldsUsed(ports::RouteRepository& routes, const domain::Route& route);

class ClimbOnRoute {
 public:
  ClimbOnRoute(ports::RouteRepository& routes, ports::ProfileRepository& profiles,
               ports::GhostRepository& ghosts, ports::UserRepository& users)
      : routes_(routes), profiles_(profiles), ghosts_(ghosts), users_(users) {}

  // For an analysis with a route_id: sets result["route"] = {"id", "holds_used": [{hold_id,
  // limb, from_ms, to_ms, position, hold_centre, distance_bh}], "unmatched_placements",
  // "hold_count", "coordinates"}, or {"id", "error": {"code", "message"}} when the route cannot
  // be used (route_not_found: deleted or not the owner's; route_not_ready: being detected again;
  // route_unavailable: the database; route_unreadable: no image size, or the result's
  // placements are malformed). Then, for a premium or infinity owner, result["ghost"] =
  // {"route_id", "status", ...}: "compared" with "beta", "comparison", "duration_ms",
  // "fingerprint"; "no_beta" with "no_beta"; "none" (no ghost requested), "computing", "failed",
  // "stale" (the route or the profile changed since: ask for the ghost again), "unavailable" or
  // "unreadable" with "error". The ghost's advice goes into result["advice"] and `hints`.
  // Nothing for an analysis without a route.
  void Attach(const domain::Analysis& analysis, nlohmann::json& result, std::string& hints);

  // After the analysis completed with `result` (as stored): when its route section says
  // route_not_ready, the route is read again and, if its detection completed meanwhile,
  // FillHoldsUsed gives the analysis its holds_used (the detection's own fill may have run
  // before this analysis was stored as completed). Failures are logged, never returned.
  void AfterComplete(const domain::Analysis& analysis, const nlohmann::json& result);

 private:
  nlohmann::json GhostSection(const domain::Analysis& analysis, const domain::Route& route,
                              nlohmann::json& result, std::string& hints);

  ports::RouteRepository& routes_;
  ports::ProfileRepository& profiles_;
  ports::GhostRepository& ghosts_;
  ports::UserRepository& users_;
};

}  // namespace ascension::services
