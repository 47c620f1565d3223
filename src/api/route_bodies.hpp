// The JSON bodies of /v1/routes* (route patch with its scale, hold add and patch, select by colour) and of
// POST /v1/routes/{id}/ghost read into the services' values: every member's type checked, an
// unknown member refused, the first problem a 422 naming the field. Pure (no context, no I/O):
// the handlers call them, and so does the route_bodies fuzz target (docs/reliability.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/ghost.hpp"
#include "http/message.hpp"
#include "services/routes.hpp"

namespace ascension::api {

// Each returns nullopt with the 422 to answer in *error. `body` is the request's JSON object.

// POST /v1/routes/upload-url: {"filename"}.
std::optional<std::string> ReadRouteUpload(const nlohmann::json& body, http::Response* error);
// POST /v1/routes: {"analysis_id"} (the text; the handler answers 404 when it is not a UUID).
std::optional<std::string> ReadRouteFromAnalysis(const nlohmann::json& body, http::Response* error);
// PATCH /v1/routes/{id}: name, grade, grade_system (with a grade), wall_angle_deg (or null),
// scale (as below, or null: none).
std::optional<services::RouteEdit> ReadRouteEdit(const nlohmann::json& body, http::Response* error);
// POST /v1/routes/{id}/holds: an outline, or a centre and a radius; a colour; role, selected.
std::optional<services::NewHold> ReadNewHold(const nlohmann::json& body, http::Response* error);
// PATCH /v1/routes/{id}/holds/{hold_id}: outline, centre, colour, role (or null), selected.
std::optional<services::HoldEdit> ReadHoldEdit(const nlohmann::json& body, http::Response* error);
// POST /v1/routes/{id}/select: {"colour": a palette colour}.
std::optional<std::string> ReadSelectColour(const nlohmann::json& body, http::Response* error);
// A scale: {"hold_a": uuid, "hold_b": uuid, "distance_cm": number} or {"wall_height_cm":
// number} (no other member, not both), or null (an empty scale: none). Types only: the ranges
// and the holds are domain::ValidateScale's.
std::optional<domain::GhostScale> ReadScale(const nlohmann::json& scale, http::Response* error);

// POST /v1/routes/{id}/ghost: {} (the route's scale) or {"scale": a scale or null}, which
// becomes the route's before the ghost is requested.
struct GhostRequestBody {
  std::optional<domain::GhostScale> scale;
};
std::optional<GhostRequestBody> ReadGhostRequest(const nlohmann::json& body,
                                                 http::Response* error);

}  // namespace ascension::api
