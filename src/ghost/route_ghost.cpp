#include "ghost/route_ghost.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "common/crypto.hpp"
#include "ghost/animation.hpp"
#include "ghost/body.hpp"
#include "ghost/planner.hpp"

namespace ascension::ghost {
namespace {

HoldRole Role(const std::optional<domain::HoldRole>& r) {
  if (!r) return HoldRole::kNone;
  switch (*r) {
    case domain::HoldRole::kStart:
      return HoldRole::kStart;
    case domain::HoldRole::kTop:
      return HoldRole::kTop;
    case domain::HoldRole::kHand:
      return HoldRole::kHand;
    case domain::HoldRole::kFoot:
      return HoldRole::kFoot;
  }
  return HoldRole::kNone;
}

// Fixed-precision text of a number (finite numbers only reach here; others spell "nan"/"inf").
void Put(std::string* out, double v, const char* format = "%.2f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  *out += buf;
  *out += ';';
}

void Put(std::string* out, std::string_view s) {
  *out += std::to_string(s.size());
  *out += ':';
  *out += s;
  *out += ';';
}

Status WithCode(const Status& s, const char* code) {
  return Status(ErrorKind::kInvalidArgument, s.message(), code);
}

void PutHold(std::string* t, const domain::RouteHold& h) {
  Put(t, h.id.str());
  Put(t, h.size);
  Put(t, h.role ? domain::HoldRoleName(*h.role) : std::string_view("-"));
  Put(t, static_cast<double>(h.outline.size()), "%.0f");
  for (const domain::ImagePoint& p : h.outline) {
    Put(t, p.x);
    Put(t, p.y);
  }
}

}  // namespace

std::string GhostFingerprint(const RouteGhostInputs& in) {
  std::string t = "ghost-inputs/2;";
  Put(&t, in.image_width, "%.0f");
  Put(&t, in.image_height, "%.0f");
  if (in.wall_angle_deg) {
    Put(&t, *in.wall_angle_deg);
  } else {
    Put(&t, "-");
  }
  std::vector<const domain::RouteHold*> selected;
  for (const domain::RouteHold& h : in.holds) {
    if (h.selected) selected.push_back(&h);
  }
  std::sort(selected.begin(), selected.end(),
            [](const domain::RouteHold* a, const domain::RouteHold* b) {
              return a->id.str() < b->id.str();
            });
  Put(&t, static_cast<double>(selected.size()), "%.0f");
  for (const domain::RouteHold* h : selected) PutHold(&t, *h);
  const domain::ClimberProfile& p = in.profile;
  Put(&t, p.height_cm ? *p.height_cm : -1);
  Put(&t, p.arm_span_cm ? *p.arm_span_cm : -1);
  for (domain::BodyLimb limb : domain::kBodyLimbs) {
    const auto c = p.condition(limb);
    Put(&t, c ? domain::LimbConditionName(*c) : std::string_view("-"));
  }
  // The scale, and the holds it is measured on when they are not all selected ones: the two
  // holds of a distance (any hold of the route may be one), every hold for an estimate from the
  // holds' sizes (EstimateScale's last resort reads them all).
  auto by_id = [&](const domain::Uuid& id) -> const domain::RouteHold* {
    for (const domain::RouteHold& h : in.holds) {
      if (h.id == id) return &h;
    }
    return nullptr;
  };
  if (const auto& d = in.scale.distance) {
    Put(&t, d->distance_cm);
    for (const domain::Uuid* id : {&d->hold_a, &d->hold_b}) {
      if (const domain::RouteHold* h = by_id(*id)) {
        PutHold(&t, *h);
      } else {
        Put(&t, id->str());
        Put(&t, "missing");
      }
    }
  } else {
    Put(&t, "-");
  }
  Put(&t, in.scale.wall_height_cm ? *in.scale.wall_height_cm : -1);
  Put(&t, in.skeleton_height_px ? *in.skeleton_height_px : -1);
  if (!in.skeleton_height_px && in.scale.empty()) {
    std::vector<const domain::RouteHold*> others;
    for (const domain::RouteHold& h : in.holds) {
      if (!h.selected) others.push_back(&h);
    }
    std::sort(others.begin(), others.end(),
              [](const domain::RouteHold* a, const domain::RouteHold* b) {
                return a->id.str() < b->id.str();
              });
    Put(&t, static_cast<double>(others.size()), "%.0f");
    for (const domain::RouteHold* h : others) PutHold(&t, *h);
  }
  return HexEncode(Sha256(t));
}

std::vector<PixelHold> PixelHoldsFromRoute(const std::vector<domain::RouteHold>& holds) {
  std::vector<PixelHold> out;
  out.reserve(holds.size());
  for (const domain::RouteHold& h : holds) {
    PixelHold p;
    p.id = h.id.str();
    const domain::ImagePoint c = domain::PolygonCentroid(h.outline);
    p.centre = {c.x, c.y};
    for (const domain::ImagePoint& q : h.outline) p.outline.push_back({q.x, q.y});
    const double area = domain::PolygonArea(h.outline);
    p.radius_px = area > 0 ? std::sqrt(area / std::numbers::pi) : 0;
    p.size = ParseSizeClass(h.size).value_or(SizeClass::kMedium);
    p.role = Role(h.role);
    p.selected = h.selected;
    p.colour = h.colour;
    out.push_back(std::move(p));
  }
  return out;
}

Result<RouteGhostModel> PlanRouteGhost(const RouteGhostInputs& in,
                                       const RouteGhostOptions& options) {
  auto body = MakeBodyModel(in.profile);
  if (!body.ok()) return WithCode(body.status(), "invalid_profile");

  ScaleInputs scale;
  scale.climber_height_cm = body->height * 100;
  scale.height_from_profile = body->height_from_profile;
  if (in.skeleton_height_px) {
    scale.skeleton =
        SkeletonScale{*in.skeleton_height_px, body->height * 100, body->height_from_profile};
  }
  if (in.scale.distance) {
    scale.distance = HoldDistance{in.scale.distance->hold_a.str(), in.scale.distance->hold_b.str(),
                                  in.scale.distance->distance_cm};
  }
  scale.wall_height_cm = in.scale.wall_height_cm;

  RouteChoices choices;
  choices.choose_roles = true;
  auto route = RouteFromPixelHolds(PixelHoldsFromRoute(in.holds),
                                   ImageSize{in.image_width, in.image_height}, scale, choices);
  if (!route.ok()) return WithCode(route.status(), "invalid_route");
  route->route.wall_angle_deg = in.wall_angle_deg;
  return PlanGhost(std::move(*route), std::move(*body), options);
}

Result<RouteGhostModel> PlanGhost(RouteDocument route, BodyModel body,
                                  const RouteGhostOptions& options) {
  PlanOptions plan_options;
  plan_options.alternatives = std::clamp(options.alternatives, 0, 2);
  auto plan = PlanBeta(route.route, body, plan_options);
  if (!plan.ok()) return WithCode(plan.status(), "invalid_route");

  std::optional<Ghost> ghost;
  if (!plan->no_beta && !plan->betas.empty()) {
    Pace pace;
    pace.fps = options.fps;
    auto g = AnimateBeta(body, plan->betas.front(), pace);
    if (!g.ok()) return g.status();
    ghost = std::move(*g);
  }
  return RouteGhostModel{std::move(route), std::move(body), std::move(*plan), std::move(ghost)};
}

Result<nlohmann::json> ComputeRouteGhost(const RouteGhostInputs& in,
                                         const RouteGhostOptions& options) {
  auto m = PlanRouteGhost(in, options);
  if (!m.ok()) return m.status();
  return GhostDocument(m->route, m->body, m->plan, m->ghost ? &*m->ghost : nullptr, options.fps,
                       nullptr);
}

}  // namespace ascension::ghost
