#include "ghost/holds_used.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "coaching/geometry.hpp"

namespace ascension::ghost {
namespace {

using nlohmann::json;

inline constexpr std::size_t kMaxPlacements = 100000;

double Round(double v, double scale = 1e4) {
  return std::round(v * scale) / scale;
}

// Even-odd rule on a polygon in any unit.
bool Inside(const std::vector<Vec2>& poly, Vec2 p) {
  bool in = false;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const Vec2 a = poly[i], b = poly[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

double Area(const std::vector<Vec2>& poly) {
  double s = 0;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++)
    s += poly[j].x * poly[i].y - poly[i].x * poly[j].y;
  return std::abs(s) / 2;
}

Vec2 Centroid(const std::vector<Vec2>& poly) {
  double a = 0, cx = 0, cy = 0;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const double cross = poly[j].x * poly[i].y - poly[i].x * poly[j].y;
    a += cross;
    cx += (poly[j].x + poly[i].x) * cross;
    cy += (poly[j].y + poly[i].y) * cross;
  }
  if (std::abs(a) < 1e-12) {
    Vec2 m{0, 0};
    for (const Vec2& v : poly) m = {m.x + v.x, m.y + v.y};
    return {m.x / static_cast<double>(poly.size()), m.y / static_cast<double>(poly.size())};
  }
  return {cx / (3 * a), cy / (3 * a)};
}

double DistanceToOutline(const std::vector<Vec2>& poly, Vec2 p) {
  if (Inside(poly, p)) return 0;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++)
    best = std::min(best, coaching::geometry::DistanceToSegment(p, poly[j], poly[i]));
  return best;
}

bool Finite(Vec2 v) {
  return std::isfinite(v.x) && std::isfinite(v.y);
}

Status Bad(const std::string& field, const std::string& what) {
  return InvalidArgument(field + " " + what);
}

const json* Field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::optional<double> Number(const json* j) {
  if (j == nullptr || !j->is_number()) return std::nullopt;
  const double v = j->get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

HoldsUsed MatchPlacements(const std::vector<LimbPlacement>& placements,
                          const std::vector<HoldShape>& holds, const HoldsUsedOptions& options) {
  const double aspect = std::isfinite(options.aspect) && options.aspect > 0 ? options.aspect : 1;
  const double bh = std::isfinite(options.body_height_fh) && options.body_height_fh > 0
                        ? options.body_height_fh
                        : 0.5;
  // Every outline in frame heights (x scaled by the aspect), once.
  struct Shape {
    const HoldShape* hold;
    std::vector<Vec2> outline;
    double area;
    Vec2 centre;  // normalized
  };
  std::vector<Shape> shapes;
  shapes.reserve(holds.size());
  for (const HoldShape& h : holds) {
    if (h.outline.size() < 3) continue;
    bool finite = true;
    std::vector<Vec2> scaled;
    scaled.reserve(h.outline.size());
    for (const Vec2& v : h.outline) {
      finite = finite && Finite(v);
      scaled.push_back({v.x * aspect, v.y});
    }
    if (!finite) continue;
    shapes.push_back({&h, std::move(scaled), 0, Centroid(h.outline)});
    shapes.back().area = Area(shapes.back().outline);
  }

  HoldsUsed out;
  for (const LimbPlacement& p : placements) {
    if (p.to_ms <= p.from_ms || !Finite(p.position)) {
      ++out.unmatched;
      continue;
    }
    const Vec2 at{p.position.x * aspect, p.position.y};
    const double reach = (IsHand(p.limb) ? options.hand_reach_bh : options.foot_reach_bh) * bh;
    const Shape* best = nullptr;
    double best_distance = std::numeric_limits<double>::infinity();
    for (const Shape& s : shapes) {
      const double d = DistanceToOutline(s.outline, at);
      if (d > reach) continue;
      // Inside several outlines: the smallest (a hold on a volume). Otherwise the nearest.
      const bool better = best == nullptr || d < best_distance ||
                          (d == 0 && best_distance == 0 && s.area < best->area);
      if (better) {
        best = &s;
        best_distance = d;
      }
    }
    if (best == nullptr) {
      ++out.unmatched;
      continue;
    }
    out.used.push_back(
        {best->hold->id, p.limb, p.from_ms, p.to_ms, p.position, best->centre, best_distance / bh});
  }
  return out;
}

Result<ClimbPlacements> PlacementsFromResult(const json& result) {
  if (!result.is_object()) return Bad("the result", "must be a JSON object");
  ClimbPlacements out;
  if (const json* video = Field(result, "video")) {
    if (!video->is_object()) return Bad("video", "must be an object");
    const auto w = Number(Field(*video, "width")), h = Number(Field(*video, "height"));
    if (w && h && *w > 0 && *h > 0) out.aspect = *w / *h;
  }
  const json* bio = Field(result, "biomechanics");
  if (bio == nullptr) return out;
  if (!bio->is_object()) return Bad("biomechanics", "must be an object");
  if (const json* summary = Field(*bio, "summary"); summary && summary->is_object()) {
    const auto b = Number(Field(*summary, "body_height"));
    if (b && *b > 0) out.body_height_fh = *b;
  }
  const json* list = Field(*bio, "placements");
  if (list == nullptr) return out;
  if (!list->is_array()) return Bad("biomechanics.placements", "must be an array");
  if (list->size() > kMaxPlacements)
    return Bad("biomechanics.placements", "has more than 100000 placements");
  out.placements.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& p = (*list)[i];
    const std::string where = "biomechanics.placements[" + std::to_string(i) + "]";
    if (!p.is_object()) return Bad(where, "must be an object");
    LimbPlacement lp;
    const json* limb = Field(p, "limb");
    auto l =
        limb && limb->is_string() ? ParseLimb(limb->get_ref<const std::string&>()) : std::nullopt;
    if (!l) return Bad(where + ".limb", "must be left_hand, right_hand, left_foot or right_foot");
    lp.limb = *l;
    const json* from = Field(p, "start_ms");
    const json* to = Field(p, "end_ms");
    if (!from || !to || !from->is_number_integer() || !to->is_number_integer())
      return Bad(where, "needs integer start_ms and end_ms");
    lp.from_ms = from->get<std::int64_t>();
    lp.to_ms = to->get<std::int64_t>();
    const json* pos = Field(p, "position");
    if (!pos || !pos->is_object()) return Bad(where + ".position", "must be an object {x, y}");
    const auto x = Number(Field(*pos, "x")), y = Number(Field(*pos, "y"));
    if (!x || !y) return Bad(where + ".position", "needs finite numbers x and y");
    lp.position = {*x, *y};
    out.placements.push_back(lp);
  }
  return out;
}

json HoldsUsedJson(const HoldsUsed& used) {
  json out = json::array();
  for (const HoldUse& u : used.used) {
    out.push_back({{"hold_id", u.hold_id},
                   {"limb", LimbName(u.limb)},
                   {"from_ms", u.from_ms},
                   {"to_ms", u.to_ms},
                   {"position", {{"x", Round(u.position.x)}, {"y", Round(u.position.y)}}},
                   {"hold_centre", {{"x", Round(u.hold_centre.x)}, {"y", Round(u.hold_centre.y)}}},
                   {"distance_bh", Round(u.distance_bh)}});
  }
  return out;
}

Result<json> HoldsUsedSectionJson(const json& result, const std::vector<HoldShape>& holds) {
  auto climb = PlacementsFromResult(result);
  if (!climb.ok()) return climb.status();
  HoldsUsedOptions options;
  options.aspect = climb->aspect;
  if (climb->body_height_fh) options.body_height_fh = *climb->body_height_fh;
  const HoldsUsed used = MatchPlacements(climb->placements, holds, options);
  return json{{"holds_used", HoldsUsedJson(used)},
              {"unmatched_placements", used.unmatched},
              {"hold_count", holds.size()},
              {"coordinates", "normalized frame coordinates"}};
}

std::vector<HoldShape> HoldShapesOfRoute(const Route& route) {
  constexpr int kSides = 16;
  std::vector<HoldShape> out;
  out.reserve(route.holds.size());
  for (const Hold& h : route.holds) {
    HoldShape s;
    s.id = h.id;
    s.size = h.size;
    if (h.outline.size() >= 3) {
      for (Vec2 p : h.outline) s.outline.push_back(ToNormalized(route.view, p));
    } else {
      for (int k = 0; k < kSides; ++k) {
        const double a = 2 * std::numbers::pi * k / kSides;
        s.outline.push_back(ToNormalized(route.view, {h.centre.x + h.radius * std::cos(a),
                                                      h.centre.y + h.radius * std::sin(a)}));
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ascension::ghost
