// The JSON shapes of routes and holds (api/openapi.json, docs/routes.md): image pixels and the
// same figures normalised to 0..1 of the image's width and height.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>

#include "domain/route.hpp"
#include "services/routes.hpp"

namespace ascension::api {

nlohmann::json RouteJson(const domain::Route& r);
// A route's scale as PATCH /v1/routes/{id} takes it: {"hold_a","hold_b","distance_cm"},
// {"wall_height_cm"}, or null.
nlohmann::json ScaleJson(const domain::GhostScale& s);
nlohmann::json HoldJson(const domain::RouteHold& h, int image_width, int image_height);
// GET /v1/routes/{id}: the route, its holds, the image's presigned GET and the corrections.
nlohmann::json RouteViewJson(const services::RouteView& v, std::chrono::seconds ttl);
nlohmann::json RouteUploadJson(const services::RouteUploadTicket& t, std::chrono::seconds ttl,
                               std::int64_t max_bytes);
nlohmann::json CorrectionJson(const domain::HoldCorrection& c);

}  // namespace ascension::api
