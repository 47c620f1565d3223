// The JSON bodies of the routes and ghost endpoints (api/route_bodies.hpp) as the handlers read
// them: POST /v1/routes/upload-url, POST /v1/routes, PATCH /v1/routes/{id}, POST and PATCH of a
// hold, POST .../select and POST .../ghost. The input's first line names the body ("upload",
// "from_analysis", "route_patch", "hold_add", "hold_patch", "select", "ghost"; another first
// line: its first byte picks one), the rest is the body (a JSON object, as the json_body
// prologue hands it over). Accepted values then go through the domain rules the service applies
// (outline, name, wall angle, scale), which must not crash on them either.
//
// Invariants: no exception; a refusal is a 422 "validation_failed" with a message; an accepted
// body holds only finite numbers, outlines of at most kMaxOutlinePoints points, palette colours,
// clean text, a centre with its radius (or an outline), and at most one kind of scale (route
// patch and ghost request).
#include "api/route_bodies.hpp"

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "domain/route.hpp"
#include "domain/rules.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

namespace {

using namespace ascension;

constexpr std::string_view kBodies[] = {"upload",     "from_analysis", "route_patch", "hold_add",
                                        "hold_patch", "select",        "ghost"};

void CheckRefusal(const http::Response& err) {
  fuzz::Check(err.status == 422, "a refused body is not a 422");
  auto j = nlohmann::json::parse(err.body, nullptr, false);
  fuzz::Check(j.is_object() && j.contains("error") && j["error"].is_object() &&
                  j["error"].value("code", "") == "validation_failed" &&
                  j["error"].contains("message") && j["error"]["message"].is_string() &&
                  !j["error"]["message"].get_ref<const std::string&>().empty(),
              "a refusal is not {\"error\":{\"code\":\"validation_failed\",\"message\"...}}");
}

void CheckPoint(const domain::ImagePoint& p) {
  fuzz::Check(std::isfinite(p.x) && std::isfinite(p.y), "a point with a non-finite coordinate");
}

void CheckOutline(const std::vector<domain::ImagePoint>& outline) {
  fuzz::Check(outline.size() <= static_cast<std::size_t>(domain::kMaxOutlinePoints),
              "an outline longer than kMaxOutlinePoints");
  for (const auto& p : outline) CheckPoint(p);
  // What the service does next with it (any result is fine; no crash, no UB).
  (void)domain::ValidateOutline(outline, 4000, 3000);
}

void CheckColour(const std::string& colour) {
  fuzz::Check(domain::IsHoldColour(colour), "a colour outside the palette");
}

void CheckText(const std::optional<std::string>& text) {
  if (text) fuzz::Check(domain::IsCleanText(*text), "text that is not clean accepted");
}

// An accepted scale holds one kind with finite numbers; the service's rule then runs on it
// against a route of two holds (any verdict; no crash).
void CheckScale(const domain::GhostScale& scale) {
  fuzz::Check(!(scale.distance && scale.wall_height_cm), "two kinds of scale accepted");
  if (scale.distance) {
    fuzz::Check(std::isfinite(scale.distance->distance_cm), "a non-finite distance");
  }
  if (scale.wall_height_cm) {
    fuzz::Check(std::isfinite(*scale.wall_height_cm), "a non-finite wall height");
  }
  std::vector<domain::RouteHold> holds(2);
  holds[0].outline = domain::CircleOutline({100, 100}, 10);
  holds[1].outline = domain::CircleOutline({100, 300}, 10);
  if (scale.distance) {
    holds[0].id = scale.distance->hold_a;
    holds[1].id = scale.distance->hold_b;
  }
  (void)domain::ValidateScale(scale, holds, 1000);
}

void Read(std::size_t which, const nlohmann::json& body) {
  http::Response err;
  switch (which) {
    case 0:
    case 1: {
      auto text =
          which == 0 ? api::ReadRouteUpload(body, &err) : api::ReadRouteFromAnalysis(body, &err);
      if (!text) return CheckRefusal(err);
      CheckText(text);
      if (which == 0) (void)domain::CheckPhotoFilename(*text);
      return;
    }
    case 2: {
      auto edit = api::ReadRouteEdit(body, &err);
      if (!edit) return CheckRefusal(err);
      if (edit->name) CheckText(*edit->name);
      if (edit->name && *edit->name) (void)domain::ValidateRouteName(**edit->name);
      if (edit->grade) CheckText(*edit->grade);
      CheckText(edit->grade_system);
      if (edit->wall_angle_deg && *edit->wall_angle_deg) {
        fuzz::Check(std::isfinite(**edit->wall_angle_deg), "a non-finite wall angle");
        (void)domain::ValidateWallAngle(**edit->wall_angle_deg);
      }
      if (edit->scale) CheckScale(*edit->scale);
      return;
    }
    case 3: {
      auto hold = api::ReadNewHold(body, &err);
      if (!hold) return CheckRefusal(err);
      if (hold->outline) CheckOutline(*hold->outline);
      if (hold->centre) CheckPoint(*hold->centre);
      if (hold->radius) fuzz::Check(std::isfinite(*hold->radius), "a non-finite radius");
      fuzz::Check(hold->outline || hold->centre.has_value() == hold->radius.has_value(),
                  "a centre without its radius (or the reverse) and no outline");
      CheckColour(hold->colour);
      return;
    }
    case 4: {
      auto edit = api::ReadHoldEdit(body, &err);
      if (!edit) return CheckRefusal(err);
      if (edit->outline) CheckOutline(*edit->outline);
      if (edit->centre) CheckPoint(*edit->centre);
      if (edit->colour) CheckColour(*edit->colour);
      return;
    }
    case 5: {
      auto colour = api::ReadSelectColour(body, &err);
      if (!colour) return CheckRefusal(err);
      CheckColour(*colour);
      return;
    }
    default: {
      auto request = api::ReadGhostRequest(body, &err);
      if (!request) return CheckRefusal(err);
      if (request->scale) CheckScale(*request->scale);
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::string_view name = in.substr(0, nl);
  std::string_view text = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  std::size_t which = static_cast<unsigned char>(in[0]) % std::size(kBodies);
  for (std::size_t i = 0; i < std::size(kBodies); ++i) {
    if (name == kBodies[i]) which = i;
  }
  // The json_body prologue hands over an object (an empty body is {} where it is optional).
  auto body = text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text, nullptr, false);
  if (!body.is_object()) return 0;
  Read(which, body);
  return 0;
}

// Half of the time the body (after the first line) gets a structural JSON change.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
  return ascension::fuzz::MutateWithJson(data, size, max_size, seed, begin, size);
}
