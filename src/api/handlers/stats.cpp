// /v1/users/me/stats: each score per ISO week, its trend and the personal bests (F04).
#include "api/handlers/handlers.hpp"
#include "api/training_views.hpp"

namespace ascension::api {

void RegisterStatsRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("GET", "/v1/users/me/stats", {}, [&ctx](http::Request& q) {
    auto page = ctx.stats->Of(Caller(q));
    if (!page.ok()) return FromStatus(page.status());
    return http::Json(200, StatsJson(*page));
  });
}

}  // namespace ascension::api
