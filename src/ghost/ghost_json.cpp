#include "ghost/ghost_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "domain/joint_angles.hpp"

namespace ascension::ghost {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxHolds = 4000;
constexpr std::size_t kMaxOutlinePoints = 512;
constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxFrames = 100000;
constexpr double kMaxCoordinate = 1e6;

double Round(double v, double scale = 1e4) {
  return std::round(v * scale) / scale;
}

Status Bad(const std::string& field, const std::string& what) {
  return InvalidArgument(field + " " + what);
}

std::optional<double> Number(const json& j) {
  if (!j.is_number()) return std::nullopt;
  const double v = j.get<double>();
  if (!std::isfinite(v) || std::abs(v) > kMaxCoordinate) return std::nullopt;
  return v;
}

// A string without NUL of at most `max` bytes, or an integer written in decimal.
std::optional<std::string> Text(const json& j, std::size_t max) {
  if (j.is_number_integer()) return std::to_string(j.get<long long>());
  if (j.is_number_unsigned()) return std::to_string(j.get<unsigned long long>());
  if (!j.is_string()) return std::nullopt;
  const std::string& s = j.get_ref<const std::string&>();
  if (s.empty() || s.size() > max || s.find('\0') != std::string::npos) return std::nullopt;
  return s;
}

// {"x":…, "y":…} or [x, y].
std::optional<Vec2> Point(const json& j) {
  if (j.is_object()) {
    const auto x = j.find("x"), y = j.find("y");
    if (x == j.end() || y == j.end()) return std::nullopt;
    const auto vx = Number(*x), vy = Number(*y);
    if (!vx || !vy) return std::nullopt;
    return Vec2{*vx, *vy};
  }
  if (j.is_array() && j.size() == 2) {
    const auto vx = Number(j[0]), vy = Number(j[1]);
    if (!vx || !vy) return std::nullopt;
    return Vec2{*vx, *vy};
  }
  return std::nullopt;
}

const json* Field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Result<PixelHold> ParseHold(const json& j, std::size_t index) {
  const std::string where = "holds[" + std::to_string(index) + "]";
  if (!j.is_object()) return Bad(where, "must be an object");
  PixelHold h;
  const json* id = Field(j, "id");
  if (id == nullptr) id = Field(j, "index");  // the hold detector's documents
  auto text = id ? Text(*id, kMaxIdLength) : std::nullopt;
  if (!text) return Bad(where + ".id", "must be a string of 1–64 characters or an integer");
  h.id = *text;
  const json* centre = Field(j, "centre");
  if (centre == nullptr) centre = Field(j, "center");
  auto c = centre ? Point(*centre) : std::nullopt;
  if (!c) return Bad(where + ".centre", "must be {\"x\",\"y\"} or [x, y] with finite numbers");
  h.centre = *c;
  if (const json* outline = Field(j, "outline")) {
    if (!outline->is_array() || outline->size() > kMaxOutlinePoints) {
      return Bad(where + ".outline", "must be an array of at most 512 points");
    }
    for (const json& p : *outline) {
      auto v = Point(p);
      if (!v) return Bad(where + ".outline", "has a point that is not [x, y] or {\"x\",\"y\"}");
      h.outline.push_back(*v);
    }
  }
  if (const json* r = Field(j, "radius")) {
    auto v = Number(*r);
    if (!v || *v <= 0) return Bad(where + ".radius", "must be a positive number");
    h.radius_px = *v;
  }
  const json* size = Field(j, "size_class");
  if (size == nullptr) size = Field(j, "size");
  if (size) {
    auto s = size->is_string() ? ParseSizeClass(size->get_ref<const std::string&>()) : std::nullopt;
    if (!s) return Bad(where + ".size_class", "must be foot_chip, small, medium, large or volume");
    h.size = *s;
  }
  if (const json* role = Field(j, "role")) {
    const bool empty = role->is_string() && role->get_ref<const std::string&>().empty();
    auto r = empty               ? std::optional(HoldRole::kNone)
             : role->is_string() ? ParseHoldRole(role->get_ref<const std::string&>())
                                 : std::nullopt;
    if (!r) return Bad(where + ".role", "must be start, top, hand, foot, none or null");
    h.role = *r;
  }
  if (const json* colour = Field(j, "colour")) {
    auto c = Text(*colour, 32);
    if (!c || colour->is_number()) return Bad(where + ".colour", "must be a colour name");
    h.colour = *c;
  }
  if (const json* sel = Field(j, "selected")) {
    if (!sel->is_boolean()) return Bad(where + ".selected", "must be true or false");
    h.selected = sel->get<bool>();
  }
  return h;
}

Result<ScaleInputs> ParseScale(const json& doc, ScaleInputs in) {
  const json* s = Field(doc, "scale");
  if (s == nullptr) return in;
  if (!s->is_object()) return Bad("scale", "must be an object");
  if (const json* m = Field(*s, "metres_per_pixel")) {
    auto v = Number(*m);
    if (!v || *v <= 0) return Bad("scale.metres_per_pixel", "must be a positive number");
    in.metres_per_pixel = *v;
  }
  const json* a = Field(*s, "hold_a");
  const json* b = Field(*s, "hold_b");
  const json* d = Field(*s, "distance_cm");
  if (a || b || d) {
    auto ta = a ? Text(*a, kMaxIdLength) : std::nullopt;
    auto tb = b ? Text(*b, kMaxIdLength) : std::nullopt;
    auto vd = d ? Number(*d) : std::nullopt;
    if (!ta || !tb || !vd) {
      return Bad("scale", "needs hold_a, hold_b (hold ids) and distance_cm (a number) together");
    }
    in.distance = HoldDistance{*ta, *tb, *vd};
  }
  if (const json* px = Field(*s, "body_height_px")) {
    auto v = Number(*px);
    if (!v || *v <= 0) return Bad("scale.body_height_px", "must be a positive number");
    in.skeleton = SkeletonScale{*v, in.climber_height_cm, in.height_from_profile};
  }
  if (const json* w = Field(*s, "wall_height_cm")) {
    auto v = Number(*w);
    if (!v) return Bad("scale.wall_height_cm", "must be a number");
    in.wall_height_cm = *v;
  }
  return in;
}

json LimbContactJson(const Route& route, const Contact& c) {
  switch (c.kind) {
    case Contact::Kind::kNone:
      return nullptr;
    case Contact::Kind::kHold:
      return {{"hold", route.holds[c.hold].id}};
    case Contact::Kind::kSmear: {
      const Vec2 n = ToNormalized(route.view, c.point);
      return {{"smear", {{"x", Round(n.x)}, {"y", Round(n.y)}}}};
    }
  }
  return nullptr;
}

}  // namespace

// Applies the CLI's choices to detector holds (see RouteChoices).
Status Choose(std::vector<PixelHold>* holds, ImageSize image, const RouteChoices& c) {
  if (c.colour) {
    std::set<std::string> present;
    bool any = false;
    for (PixelHold& h : *holds) {
      h.selected = h.colour == *c.colour;
      any = any || h.selected;
      if (!h.colour.empty()) present.insert(h.colour);
    }
    if (!any) {
      std::string names;
      for (const std::string& n : present) names += (names.empty() ? "" : ", ") + n;
      return Bad("colour " + *c.colour,
                 "is on no hold (the holds' colours: " + (names.empty() ? "none" : names) + ")");
    }
  }
  const auto set_role = [&](const std::vector<std::string>& ids, HoldRole role) -> Status {
    for (const std::string& id : ids) {
      auto it = std::find_if(holds->begin(), holds->end(),
                             [&](const PixelHold& h) { return h.id == id; });
      if (it == holds->end()) return Bad(HoldRoleName(role), "names hold " + id + ", not found");
      it->role = role;
      it->selected = true;
    }
    return Status::Ok();
  };
  if (Status st = set_role(c.start, HoldRole::kStart); !st.ok()) return st;
  if (Status st = set_role(c.top, HoldRole::kTop); !st.ok()) return st;
  const auto has = [&](HoldRole role) {
    return std::any_of(holds->begin(), holds->end(),
                       [&](const PixelHold& h) { return h.selected && h.role == role; });
  };
  PixelHold* highest = nullptr;
  PixelHold* lowest = nullptr;
  for (PixelHold& h : *holds) {
    if (!h.selected) continue;
    if (highest == nullptr || h.centre.y < highest->centre.y) highest = &h;
    if (h.size >= SizeClass::kSmall && h.centre.y < 0.75 * image.height &&
        (lowest == nullptr || h.centre.y > lowest->centre.y)) {
      lowest = &h;
    }
  }
  if (!has(HoldRole::kTop) && highest) highest->role = HoldRole::kTop;
  if (!has(HoldRole::kStart) && lowest && lowest != highest) lowest->role = HoldRole::kStart;
  return Status::Ok();
}

Result<RouteDocument> ParseRouteJson(const json& doc, const ScaleInputs& extra,
                                     const RouteChoices& choices) {
  if (!doc.is_object()) return Bad("the holds document", "must be a JSON object");
  RouteDocument out;
  bool metres = false;
  if (const json* u = Field(doc, "units")) {
    if (!u->is_string() || (*u != "px" && *u != "m")) return Bad("units", "must be px or m");
    metres = *u == "m";
  }
  ImageSize image;
  if (const json* im = Field(doc, "image")) {
    if (!im->is_object()) return Bad("image", "must be an object");
    const json* w = Field(*im, "width");
    const json* h = Field(*im, "height");
    if (w || h) {
      if (!w || !h || !w->is_number_integer() || !h->is_number_integer() ||
          w->get<long long>() < 1 || h->get<long long>() < 1 || w->get<long long>() > 100000 ||
          h->get<long long>() > 100000) {
        return Bad("image", "width and height must be integers from 1 to 100000");
      }
      image = {static_cast<int>(w->get<long long>()), static_cast<int>(h->get<long long>())};
    }
    if (const json* p = Field(*im, "path")) {
      auto t = Text(*p, 4096);
      if (!t || p->is_number()) return Bad("image.path", "must be a non-empty string");
      out.image_path = *t;
    }
  }
  const json* holds = Field(doc, "holds");
  if (holds == nullptr || !holds->is_array()) return Bad("holds", "must be an array");
  if (holds->size() > kMaxHolds) return Bad("holds", "may have at most 4000 holds");
  std::vector<PixelHold> parsed;
  std::set<std::string, std::less<>> ids;
  for (std::size_t i = 0; i < holds->size(); ++i) {
    auto h = ParseHold((*holds)[i], i);
    if (!h.ok()) return h.status();
    if (!ids.insert(h->id).second) {
      return Bad("holds[" + std::to_string(i) + "].id", h->id + " appears twice");
    }
    parsed.push_back(std::move(*h));
  }
  std::optional<double> angle;
  if (const json* a = Field(doc, "wall_angle_deg")) {
    auto v = Number(*a);
    if (!v || *v < -90 || *v > 90) return Bad("wall_angle_deg", "must be a number in −90..90");
    angle = *v;
  }
  if (metres) {
    Route r;
    for (const PixelHold& p : parsed) {
      Hold h;
      h.id = p.id;
      h.centre = p.centre;
      h.outline = p.outline;
      h.size = p.size;
      h.role = p.role;
      h.selected = p.selected;
      h.colour = p.colour;
      h.radius = p.radius_px > 0 ? p.radius_px : TypicalDiameter(p.size) / 2;
      r.holds.push_back(std::move(h));
    }
    r.view = ViewAroundHolds(r.holds);
    r.wall_angle_deg = angle;
    if (Status st = ValidateRoute(r); !st.ok()) return st;
    out.route = std::move(r);
    out.scale = {out.route.view.height / out.route.view.height_px, ScaleSource::kKnown, 1.0,
                 "holds given in metres"};
    return out;
  }
  if (image.width == 0) return Bad("image", "width and height are needed for holds in pixels");
  auto inputs = ParseScale(doc, extra);
  if (!inputs.ok()) return inputs.status();
  auto route = RouteFromPixelHolds(std::move(parsed), image, *inputs, choices);
  if (!route.ok()) return route.status();
  route->route.wall_angle_deg = angle;
  route->image_path = std::move(out.image_path);
  return route;
}

Result<RouteDocument> RouteFromPixelHolds(std::vector<PixelHold> holds, ImageSize image,
                                          const ScaleInputs& scale, const RouteChoices& choices) {
  if (image.width <= 0 || image.height <= 0) {
    return Bad("image", "width and height are needed for holds in pixels");
  }
  if (choices.colour || !choices.start.empty() || !choices.top.empty() || choices.choose_roles) {
    if (Status st = Choose(&holds, image, choices); !st.ok()) return st;
  }
  auto estimate = EstimateScale(holds, image, scale);
  if (!estimate.ok()) return estimate.status();
  auto route = RouteFromPixels(holds, image, estimate->metres_per_pixel);
  if (!route.ok()) return route.status();
  RouteDocument out;
  out.route = std::move(*route);
  out.scale = *estimate;
  return out;
}

Result<ClimbRecord> ParseClimbJson(const json& analysis_in, const Route& route) {
  json parsed;
  const json* analysis = &analysis_in;
  // GET /v1/analyses/{id} carries the result as a JSON-encoded string.
  if (analysis->is_object()) {
    const json* rj = Field(*analysis, "result_json");
    if (rj && rj->is_string()) {
      parsed = json::parse(rj->get_ref<const std::string&>(), nullptr, false);
      if (parsed.is_discarded()) return Bad("result_json", "is not valid JSON");
      analysis = &parsed;
    }
  }
  if (!analysis->is_object()) return Bad("the analysis", "must be a JSON object");
  ClimbRecord climb;
  const json* r = Field(*analysis, "route");
  const json* used = r && r->is_object() ? Field(*r, "holds_used") : nullptr;
  if (used == nullptr || !used->is_array()) {
    return Bad("route.holds_used", "is missing: the analysis has no route");
  }
  if (used->size() > 10000) return Bad("route.holds_used", "has more than 10000 placements");
  for (std::size_t i = 0; i < used->size(); ++i) {
    const json& u = (*used)[i];
    const std::string where = "route.holds_used[" + std::to_string(i) + "]";
    if (!u.is_object()) return Bad(where, "must be an object");
    RealPlacement p;
    const json* id = Field(u, "hold_id");
    auto t = id ? Text(*id, kMaxIdLength) : std::nullopt;
    if (!t) return Bad(where + ".hold_id", "must be a hold id");
    p.hold_id = *t;
    const json* limb = Field(u, "limb");
    auto l =
        limb && limb->is_string() ? ParseLimb(limb->get_ref<const std::string&>()) : std::nullopt;
    if (!l) return Bad(where + ".limb", "must be left_hand, right_hand, left_foot or right_foot");
    p.limb = *l;
    const json* from = Field(u, "from_ms");
    const json* to = Field(u, "to_ms");
    if (!from || !to || !from->is_number_integer() || !to->is_number_integer()) {
      return Bad(where, "needs integer from_ms and to_ms");
    }
    p.from_ms = from->get<long long>();
    p.to_ms = to->get<long long>();
    climb.placements.push_back(std::move(p));
  }
  if (const json* frames = Field(*analysis, "frames")) {
    if (!frames->is_array() || frames->size() > kMaxFrames) {
      return Bad("frames", "must be an array of at most 100000 frames");
    }
    for (const json& f : *frames) {
      if (!f.is_object()) continue;
      const json* ts = Field(f, "timestamp_ms");
      const json* com = Field(f, "com");
      if (!ts || !ts->is_number_integer() || !com) continue;
      auto c = Point(*com);
      if (!c) continue;
      climb.com.push_back({ts->get<long long>(), FromNormalized(route.view, *c)});
    }
  }
  return climb;
}

std::optional<double> SkeletonHeightPx(const json& analysis, std::optional<int> image_height) {
  if (!analysis.is_object()) return std::nullopt;
  const json* bio = Field(analysis, "biomechanics");
  const json* summary = bio && bio->is_object() ? Field(*bio, "summary") : nullptr;
  const json* bh = summary && summary->is_object() ? Field(*summary, "body_height") : nullptr;
  const auto vb = bh ? Number(*bh) : std::nullopt;
  if (!vb || *vb <= 0) return std::nullopt;
  if (image_height) {
    if (*image_height <= 0) return std::nullopt;
    return *vb * *image_height;
  }
  const json* video = Field(analysis, "video");
  const json* h = video && video->is_object() ? Field(*video, "height") : nullptr;
  const auto vh = h ? Number(*h) : std::nullopt;
  if (!vh || *vh <= 0) return std::nullopt;
  return *vb * *vh;
}

json GhostFramesJson(const Route& route, const Ghost& ghost) {
  using namespace domain;
  static constexpr int kIndices[] = {0,  7,  8,  11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                     21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
  // Each limb's landmarks and its root, for the landmarks of an absent limb (pres 0 at the root).
  const auto root_of = [](int i) {
    switch (i) {
      case 13:
      case 15:
      case 17:
      case 19:
      case 21:
        return 11;
      case 14:
      case 16:
      case 18:
      case 20:
      case 22:
        return 12;
      case 25:
      case 27:
      case 29:
      case 31:
        return 23;
      case 26:
      case 28:
      case 30:
      case 32:
        return 24;
      default:
        return i;
    }
  };
  const double aspect = route.view.width / route.view.height;
  json frames = json::array();
  for (std::size_t k = 0; k < ghost.frames.size(); ++k) {
    const GhostFrame& f = ghost.frames[k];
    const Skeleton& s = f.skeleton;
    json lms = json::object();
    for (int i : kIndices) {
      const bool present = s.present[i];
      const Vec2 n = ToNormalized(route.view, present ? s.points[i] : s.points[root_of(i)]);
      lms[std::to_string(i)] = {
          {"x", Round(n.x)}, {"y", Round(n.y)}, {"z", 0.0}, {"pres", present ? 1.0 : 0.0}};
    }
    // The joint angles as the analysis defines them (domain/joint_angles), on the normalized
    // landmarks of this frame; an absent limb's joints have none.
    domain::PoseFrame pose;
    pose.detected = true;
    for (int i = 0; i < domain::kLandmarkCount; ++i) {
      if (!s.present[i]) continue;
      const Vec2 n = ToNormalized(route.view, s.points[i]);
      pose.landmarks[i] = {n.x, n.y, 0, 1, 1};
    }
    json angles = json::object();
    for (const domain::JointAngle& a : domain::JointAngles(pose, aspect)) {
      if (a.certain) angles[std::to_string(a.joint)] = Round(a.degrees, 1e2);
    }
    json placed = json::array();
    for (Limb limb : kLimbs) {
      if (f.placed[Index(limb)]) placed.push_back(LimbName(limb));
    }
    const Vec2 com = ToNormalized(route.view, s.com);
    json jf = {{"frame", k},
               {"timestamp_ms", f.timestamp_ms},
               {"pose_detected", true},
               {"landmarks", std::move(lms)},
               {"angles", std::move(angles)},
               {"com", {{"x", Round(com.x)}, {"y", Round(com.y)}}},
               {"placed", std::move(placed)}};
    if (f.move) jf["move"] = *f.move;
    frames.push_back(std::move(jf));
  }
  return frames;
}

json BetaJson(const Route& route, const Beta& beta, const Ghost* ghost) {
  json start = json::object();
  if (!beta.states.empty()) {
    for (Limb limb : kLimbs) {
      start[LimbName(limb)] = LimbContactJson(route, beta.states[0].contacts[Index(limb)]);
    }
  }
  json moves = json::array();
  for (std::size_t i = 0; i < beta.moves.size(); ++i) {
    const BetaMove& m = beta.moves[i];
    json jm = {{"index", i},
               {"limb", LimbName(m.limb)},
               {"from", LimbContactJson(route, m.from)},
               {"to", LimbContactJson(route, m.to)},
               {"distance_cm", Round(m.distance * 100, 10)},
               {"cost", Round(m.cost, 1e3)}};
    if (ghost && i < ghost->moves.size()) {
      jm["start_ms"] = ghost->moves[i].start_ms;
      jm["end_ms"] = ghost->moves[i].end_ms;
    }
    moves.push_back(std::move(jm));
  }
  return {{"cost", Round(beta.cost, 1e3)},
          {"hand_moves", std::count_if(beta.moves.begin(), beta.moves.end(),
                                       [](const BetaMove& m) { return IsHand(m.limb); })},
          {"foot_moves", std::count_if(beta.moves.begin(), beta.moves.end(),
                                       [](const BetaMove& m) { return !IsHand(m.limb); })},
          {"start", std::move(start)},
          {"moves", std::move(moves)}};
}

json NoBetaJson(const Route& route, const NoBeta& nb) {
  const auto hold = [&](const std::optional<std::size_t>& i) -> json {
    return i ? json(route.holds[*i].id) : json(nullptr);
  };
  return {{"code", nb.code},
          {"message", nb.message},
          {"limb", nb.limb ? json(LimbName(*nb.limb)) : json(nullptr)},
          {"from_hold", hold(nb.from_hold)},
          {"to_hold", hold(nb.to_hold)},
          {"beyond_reach_cm", Round(nb.beyond_reach * 100, 10)}};
}

json ComparisonJson(const Route& route, const Ghost& ghost, const Comparison& c) {
  json moves = json::array();
  for (const AlignedMove& a : c.moves) {
    json jm = {{"kind", AlignmentKindName(a.kind)}, {"limb", LimbName(a.limb)}};
    jm["ghost_move"] = a.ghost_move ? json(*a.ghost_move) : json(nullptr);
    jm["real_move"] = a.real_move ? json(*a.real_move) : json(nullptr);
    const GhostMove* gm = a.ghost_move ? &ghost.moves[*a.ghost_move] : nullptr;
    const RealMove* rm = a.real_move ? &c.real_moves[*a.real_move] : nullptr;
    jm["ghost_hold"] = gm ? json(route.holds[gm->to.hold].id) : json(nullptr);
    jm["real_hold"] = rm ? json(route.holds[rm->to_hold].id) : json(nullptr);
    jm["reordered"] = a.reordered;
    jm["hold_distance_cm"] = Round(a.hold_distance * 100, 10);
    jm["com_distance_cm"] = a.com_distance ? json(Round(*a.com_distance * 100, 10)) : json(nullptr);
    jm["time_delta_ms"] = a.time_delta_ms ? json(*a.time_delta_ms) : json(nullptr);
    jm["video_ms"] = rm ? json(rm->end_ms) : json(nullptr);
    jm["ghost_ms"] = gm ? json(gm->end_ms) : json(nullptr);
    moves.push_back(std::move(jm));
  }
  json real = json::array();
  for (const RealMove& m : c.real_moves) {
    real.push_back({{"limb", LimbName(m.limb)},
                    {"from_hold", m.from_hold ? json(route.holds[*m.from_hold].id) : json(nullptr)},
                    {"to_hold", route.holds[m.to_hold].id},
                    {"start_ms", m.start_ms},
                    {"end_ms", m.end_ms}});
  }
  json sync = json::array();
  for (const auto& [v, g] : c.sync) sync.push_back({v, g});
  return {{"moves", std::move(moves)},
          {"real_moves", std::move(real)},
          {"counts",
           {{"same_hold", c.same_hold},
            {"other_hold", c.other_hold},
            {"extra_move", c.extra},
            {"skipped_move", c.skipped}}},
          {"sync", std::move(sync)}};
}

json GhostDocument(const RouteDocument& rd, const BodyModel& body, const Plan& plan,
                   const Ghost* ghost, double fps, const Comparison* comparison) {
  const Route& route = rd.route;
  json limbs = json::object();
  for (Limb limb : kLimbs) {
    limbs[LimbName(limb)] = std::string(LimbConditionText(body.limbs[Index(limb)]));
  }
  const auto cm = [](double m) { return Round(m * 100, 10); };
  json doc = {{"version", 1},
              {"scale",
               {{"metres_per_pixel", Round(rd.scale.metres_per_pixel, 1e7)},
                {"source", ScaleSourceName(rd.scale.source)},
                {"confidence", Round(rd.scale.confidence, 100)},
                {"detail", rd.scale.detail}}},
              {"body",
               {{"height_cm", cm(body.height)},
                {"span_cm", cm(body.span)},
                {"height_from_profile", body.height_from_profile},
                {"span_from_profile", body.span_from_profile},
                {"segments_cm",
                 {{"upper_arm", cm(body.upper_arm)},
                  {"forearm", cm(body.forearm)},
                  {"hand", cm(body.hand)},
                  {"thigh", cm(body.thigh)},
                  {"leg", cm(body.leg)},
                  {"trunk", cm(body.trunk)},
                  {"shoulder_width", cm(body.shoulder_width)},
                  {"hip_width", cm(body.hip_width)}}},
                {"limbs", std::move(limbs)}}},
              {"stats",
               {{"expanded", plan.stats.expanded},
                {"moves_evaluated", plan.stats.edges_evaluated},
                {"stances_solved", plan.stats.stances_solved},
                {"suboptimality_bound", Round(plan.stats.suboptimality_bound, 100)}}}};
  if (plan.no_beta) {
    doc["no_beta"] = NoBetaJson(route, *plan.no_beta);
    doc["beta"] = nullptr;
    doc["alternatives"] = json::array();
  } else {
    doc["no_beta"] = nullptr;
    doc["beta"] = BetaJson(route, plan.betas.front(), ghost);
    json alts = json::array();
    for (std::size_t i = 1; i < plan.betas.size(); ++i) {
      alts.push_back(BetaJson(route, plan.betas[i], nullptr));
    }
    doc["alternatives"] = std::move(alts);
  }
  if (ghost) {
    doc["video"] = {{"fps", fps},
                    {"width", route.view.width_px},
                    {"height", route.view.height_px},
                    {"duration_ms", ghost->duration_ms}};
    doc["frames"] = GhostFramesJson(route, *ghost);
  }
  if (comparison && ghost) doc["comparison"] = ComparisonJson(route, *ghost, *comparison);
  return doc;
}

}  // namespace ascension::ghost
