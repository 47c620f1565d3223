#include "services/route_reaper.hpp"

#include "services/routes.hpp"

namespace ascension::services {

Result<ports::RouteRepository::Recovered> RouteReaper::RunOnce() {
  return routes_.ReapStuck(
      clock_.Now() - options_.stuck_timeout,
      [&](const domain::Route& r) -> ports::StuckRouteDecision {
        if (r.requeues >= options_.max_requeues) {
          return ports::GiveUpRoute{
              "processing_timeout",
              std::string(domain::RouteFailureMessage("processing_timeout", options_.language))};
        }
        return ports::RequeueRoute{};
      },
      [&](const domain::Route& r) { return HoldsJobFor(r, options_.bucket); });
}

}  // namespace ascension::services
