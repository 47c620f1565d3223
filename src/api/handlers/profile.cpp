// /v1/users/me/profile: the climber's body and level (F01).
#include "api/handlers/handlers.hpp"
#include "domain/profile_json.hpp"

namespace ascension::api {

void RegisterProfileRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("GET", "/v1/users/me/profile", {}, [&ctx](http::Request& q) {
    auto profile = ctx.profiles->Show(Caller(q));
    if (!profile.ok()) return FromStatus(profile.status());
    return http::Json(200, domain::ProfileJson(*profile));
  });
  r.Add("PATCH", "/v1/users/me/profile", {.json_body = true}, [&ctx](http::Request& q) {
    auto patch = domain::DecodeProfilePatch(q.json);
    if (!patch.ok()) return FromStatus(patch.status());
    auto profile = ctx.profiles->Update(Caller(q), *patch);
    if (!profile.ok()) return FromStatus(profile.status());
    return http::Json(200, domain::ProfileJson(*profile));
  });
}

}  // namespace ascension::api
