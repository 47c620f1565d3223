#include "store/routes.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

pg::Param P(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf);
}
template <typename T>
pg::Param POpt(const std::optional<T>& v) {
  return v ? P(*v) : pg::Null();
}

const std::string kRouteColumns =
    "r.id, r.user_id, r.source, r.analysis_id, r.image_key, r.content_type, r.status, r.progress, "
    "r.stage, r.name, r.grade, r.grade_system, r.wall_angle_deg, r.scale_hold_a, r.scale_hold_b, "
    "r.scale_distance_cm, r.scale_wall_height_cm, r.image_width, r.image_height, "
    "r.reference_ms, r.error_code, r.error_message, r.job_id, r.dispatch, r.attempts, r.requeues, "
    "(SELECT count(*) FROM route_holds h WHERE h.route_id = r.id) AS hold_count, " +
    Millis("r.created_at", "created_at") + ", " + Millis("r.updated_at", "updated_at") + ", " +
    Millis("r.detected_at", "detected_at");

const std::string kHoldColumns =
    "id, origin, outline::text AS outline, colour, measured_r, measured_g, measured_b, size, "
    "confidence, role, selected, " +
    Millis("created_at", "created_at") + ", " + Millis("updated_at", "updated_at");

// Holds top to bottom then left to right (by their centre, to the pixel: two holds on one row
// have centroids a rounding error apart, which must not decide their order).
constexpr const char* kHoldOrder = " ORDER BY round(centre_y), round(centre_x), id";

Result<domain::Route> ReadRoute(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "routes");
  domain::Route v;
  v.id = ReadUuid(r, "id");
  v.user_id = ReadUuid(r, "user_id");
  ReadParsed(r, "source", domain::ParseRouteSource, v.source, "is not a route source");
  v.analysis_id = ReadOptUuid(r, "analysis_id");
  v.image_key = r.Text("image_key");
  v.content_type = r.Text("content_type");
  ReadParsed(r, "status", domain::ParseRouteStatus, v.status, "is not a route status");
  v.progress = static_cast<int>(r.Int("progress"));
  v.stage = r.Text("stage");
  v.name = r.OptText("name");
  v.grade = r.OptText("grade");
  v.grade_system = r.OptText("grade_system");
  v.wall_angle_deg = r.OptDouble("wall_angle_deg");
  {
    const auto a = ReadOptUuid(r, "scale_hold_a");
    const auto b = ReadOptUuid(r, "scale_hold_b");
    const auto d = r.OptDouble("scale_distance_cm");
    if (a && b && d) v.scale.distance = domain::GhostHoldDistance{*a, *b, *d};
    v.scale.wall_height_cm = r.OptDouble("scale_wall_height_cm");
  }
  v.image_width = static_cast<int>(r.Int("image_width"));
  v.image_height = static_cast<int>(r.Int("image_height"));
  v.reference_ms = r.OptInt("reference_ms");
  v.error_code = r.OptText("error_code");
  v.error_message = r.OptText("error_message");
  v.job_id = ReadUuid(r, "job_id");
  v.dispatch = static_cast<int>(r.Int("dispatch"));
  v.attempts = static_cast<int>(r.Int("attempts"));
  v.requeues = static_cast<int>(r.Int("requeues"));
  v.hold_count = static_cast<int>(r.Int("hold_count"));
  v.created_at = ReadTime(r, "created_at");
  v.updated_at = ReadTime(r, "updated_at");
  v.detected_at = ReadOptTime(r, "detected_at");
  if (!r.ok()) return r.status();
  return v;
}

Result<std::optional<domain::Route>> OptRoute(const Result<pg::Rows>& rows) {
  return ReadFirst(rows, ReadRoute);
}

std::string OutlineJson(const std::vector<domain::ImagePoint>& outline) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& p : outline) a.push_back({p.x, p.y});
  return a.dump();
}

// A stored outline: an array of at least 3 [x, y] pairs of finite numbers.
std::optional<std::vector<domain::ImagePoint>> ParseOutline(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array() || j.size() < 3) return std::nullopt;
  std::vector<domain::ImagePoint> out;
  for (const auto& p : j) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
      return std::nullopt;
    }
    const double x = p[0].get<double>(), y = p[1].get<double>();
    if (!std::isfinite(x) || !std::isfinite(y)) return std::nullopt;
    out.push_back({x, y});
  }
  return out;
}

Result<domain::RouteHold> ReadHold(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "route_holds");
  domain::RouteHold h;
  h.id = ReadUuid(r, "id");
  ReadParsed(r, "origin", domain::ParseHoldOrigin, h.origin, "is not a hold origin");
  ReadParsed(r, "outline", ParseOutline, h.outline, "is not an outline");
  h.colour = r.Text("colour");
  const auto mr = r.OptInt("measured_r"), mg = r.OptInt("measured_g"), mb = r.OptInt("measured_b");
  if (mr && mg && mb) {
    h.measured = domain::Rgb{static_cast<int>(*mr), static_cast<int>(*mg), static_cast<int>(*mb)};
  }
  h.size = r.Text("size");
  h.confidence = r.Double("confidence");
  if (auto role = r.OptText("role")) {
    if (auto parsed = domain::ParseHoldRole(*role)) {
      h.role = *parsed;
    } else if (r.ok()) {
      r.Reject("role", "is not a hold role");
    }
  }
  h.selected = r.Bool("selected");
  h.created_at = ReadTime(r, "created_at");
  h.updated_at = ReadTime(r, "updated_at");
  if (!r.ok()) return r.status();
  return h;
}

Result<std::vector<domain::RouteHold>> ReadHolds(const pg::Rows& rows) {
  return ReadAll(rows, ReadHold);
}

Status InsertHold(pg::Transaction& tx, const domain::Uuid& route_id, const domain::RouteHold& h) {
  const domain::ImagePoint c = domain::PolygonCentroid(h.outline);
  std::optional<int> mr, mg, mb;
  if (h.measured) mr = h.measured->r, mg = h.measured->g, mb = h.measured->b;
  std::optional<std::string> role;
  if (h.role) role = std::string(domain::HoldRoleName(*h.role));
  return tx
      .Exec(
          "INSERT INTO route_holds (id, route_id, origin, outline, centre_x, centre_y, colour, "
          "measured_r, measured_g, measured_b, size, confidence, role, selected) "
          "VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
          {P(h.id), P(route_id), P(domain::HoldOriginName(h.origin)), P(OutlineJson(h.outline)),
           P(c.x), P(c.y), P(h.colour), POpt(mr), POpt(mg), POpt(mb), P(h.size), P(h.confidence),
           POpt(role), P(h.selected)})
      .status();
}

Status InsertCorrections(pg::Transaction& tx, const std::vector<domain::HoldCorrection>& log) {
  for (const auto& c : log) {
    auto r = tx.Exec(
        "INSERT INTO route_corrections (route_id, hold_id, action, origin, at) "
        "VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000))",
        {P(c.route_id), P(c.hold_id), P(domain::CorrectionActionName(c.action)),
         P(domain::HoldOriginName(c.origin)), P(c.at)});
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

Status InsertJob(pg::Transaction& tx, const domain::Route& r, const ports::HoldsJobFor& job) {
  const ports::OutboxMessage m = job(r);
  return tx
      .Exec(
          "INSERT INTO outbox (user_id, exchange, routing_key, body, priority, route_id) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {P(r.user_id), P(m.exchange), P(m.routing_key), P(m.body), P(m.priority), P(r.id)})
      .status();
}

// The route `id` as it is inside `tx`.
Result<domain::Route> RouteIn(pg::Transaction& tx, const domain::Uuid& id) {
  auto rows = tx.Exec("SELECT " + kRouteColumns + " FROM routes r WHERE r.id = $1", {P(id)});
  auto r = OptRoute(rows);
  if (!r.ok()) return r.status();
  if (!*r) return NotFound("route " + id.str() + " is gone");
  return std::move(**r);
}

Status InsertRoute(pg::Transaction& tx, const domain::Route& v) {
  return tx
      .Exec(
          "INSERT INTO routes (id, user_id, source, analysis_id, image_key, content_type, "
          "status, stage, name, job_id, dispatch) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          {P(v.id), P(v.user_id), P(domain::RouteSourceName(v.source)),
           v.analysis_id ? P(*v.analysis_id) : pg::Null(), P(v.image_key), P(v.content_type),
           P(domain::RouteStatusName(v.status)), P(v.stage), POpt(v.name), P(v.job_id),
           P(v.dispatch)})
      .status();
}

}  // namespace

Result<domain::Route> PgRouteRepository::Create(const domain::Route& route) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  if (Status s = InsertRoute(tx, route); !s.ok()) return s;
  auto out = RouteIn(tx, route.id);
  if (!out.ok()) return out.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<domain::Route> PgRouteRepository::CreateDetecting(const domain::Route& route,
                                                         const ports::HoldsJobFor& job) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  domain::Route r = route;
  r.status = domain::RouteStatus::kDetecting;
  if (Status s = InsertRoute(tx, r); !s.ok()) return s;
  auto out = RouteIn(tx, r.id);
  if (!out.ok()) return out.status();
  if (Status s = InsertJob(tx, *out, job); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<std::optional<domain::Route>> PgRouteRepository::FindOwned(const domain::Uuid& id,
                                                                  const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return OptRoute(
      (*conn)->Exec("SELECT " + kRouteColumns + " FROM routes r WHERE r.id = $1 AND r.user_id = $2",
                    {P(id), P(user)}));
}

Result<domain::PageOf<domain::Route>> PgRouteRepository::ListOwned(const domain::Uuid& user,
                                                                   const domain::Page& page) {
  auto conn = reader_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT " + kRouteColumns +
                                ", count(*) OVER () AS total FROM routes r WHERE r.user_id = $1 "
                                "ORDER BY r.created_at DESC, r.id LIMIT $2 OFFSET $3",
                            {P(user), P(page.per_page), P(page.offset())});
  if (!rows.ok()) return rows.status();
  domain::PageOf<domain::Route> out;
  auto items = ReadAll(*rows, ReadRoute);
  if (!items.ok()) return items.status();
  out.items = std::move(items).value();
  if (!rows->empty()) {
    pg::Row r(*rows, 0, "routes");
    out.total = r.Int("total");
    if (!r.ok()) return r.status();
  } else if (page.offset() > 0) {
    auto total = (*conn)->Exec("SELECT count(*) FROM routes WHERE user_id = $1", {P(user)});
    if (!total.ok()) return total.status();
    out.total = total->Int(0, 0);
  }
  return out;
}

Result<std::optional<domain::Route>> PgRouteRepository::Update(const domain::Uuid& id,
                                                               const domain::Uuid& user,
                                                               const ports::RouteChanges& c) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  // $3.. are the new values; each flag says whether its column changes.
  std::optional<std::string> name = c.name ? *c.name : std::nullopt;
  std::optional<std::string> grade, system;
  if (c.grade && *c.grade) grade = (*c.grade)->first, system = (*c.grade)->second;
  const pg::Param angle =
      c.wall_angle_deg && *c.wall_angle_deg ? P(**c.wall_angle_deg) : pg::Null();
  const std::optional<domain::GhostHoldDistance> d = c.scale ? c.scale->distance : std::nullopt;
  // A Param built here, not an optional<double> copied out of c.scale: gcc 12 at -O2 reports
  // that copy as maybe-uninitialized (-Werror) through POpt.
  const pg::Param wall =
      c.scale && c.scale->wall_height_cm ? P(*c.scale->wall_height_cm) : pg::Null();
  auto rows = (*conn)->Exec(
      "UPDATE routes r SET "
      "name = CASE WHEN $3::bool THEN $4 ELSE name END, "
      "grade = CASE WHEN $5::bool THEN $6 ELSE grade END, "
      "grade_system = CASE WHEN $5::bool THEN $7 ELSE grade_system END, "
      "wall_angle_deg = CASE WHEN $8::bool THEN $9::float8 ELSE wall_angle_deg END, "
      "scale_hold_a = CASE WHEN $10::bool THEN $11::uuid ELSE scale_hold_a END, "
      "scale_hold_b = CASE WHEN $10::bool THEN $12::uuid ELSE scale_hold_b END, "
      "scale_distance_cm = CASE WHEN $10::bool THEN $13::float8 ELSE scale_distance_cm END, "
      "scale_wall_height_cm = CASE WHEN $10::bool THEN $14::float8 ELSE scale_wall_height_cm END, "
      "updated_at = now() WHERE r.id = $1 AND r.user_id = $2 RETURNING " +
          kRouteColumns,
      {P(id), P(user), P(c.name.has_value()), POpt(name), P(c.grade.has_value()), POpt(grade),
       POpt(system), P(c.wall_angle_deg.has_value()), angle, P(c.scale.has_value()),
       d ? P(d->hold_a) : pg::Null(), d ? P(d->hold_b) : pg::Null(),
       d ? P(d->distance_cm) : pg::Null(), wall});
  return OptRoute(rows);
}

Result<std::optional<domain::Route>> PgRouteRepository::RequestDetection(
    const domain::Uuid& id, const domain::Uuid& user, const domain::Uuid& job_id,
    const ports::HoldsJobFor& job) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto locked = tx.Exec("SELECT status FROM routes WHERE id = $1 AND user_id = $2 FOR UPDATE",
                        {P(id), P(user)});
  if (!locked.ok()) return locked.status();
  if (locked->empty()) return std::optional<domain::Route>();
  if (locked->Text(0, 0) != "detecting") {
    auto up = tx.Exec(
        "UPDATE routes SET status = 'detecting', dispatch = dispatch + 1, job_id = $2, "
        "progress = 0, stage = 'queued', error_code = NULL, error_message = NULL, "
        "updated_at = now() WHERE id = $1",
        {P(id), P(job_id)});
    if (!up.ok()) return up.status();
  }
  auto out = RouteIn(tx, id);
  if (!out.ok()) return out.status();
  if (locked->Text(0, 0) != "detecting") {
    if (Status s = InsertJob(tx, *out, job); !s.ok()) return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return std::optional<domain::Route>(std::move(out).value());
}

Result<std::optional<std::string>> PgRouteRepository::AnalysisStatus(const domain::Uuid& id,
                                                                     const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows =
      (*conn)->Exec("SELECT status FROM analyses WHERE id = $1 AND user_id = $2", {P(id), P(user)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Result<bool> PgRouteRepository::DeleteOwned(const domain::Uuid& id, const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("DELETE FROM routes WHERE id = $1 AND user_id = $2 RETURNING id",
                            {P(id), P(user)});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<std::vector<domain::RouteHold>> PgRouteRepository::Holds(const domain::Uuid& route) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT " + kHoldColumns + " FROM route_holds WHERE route_id = $1" + kHoldOrder, {P(route)});
  if (!rows.ok()) return rows.status();
  return ReadHolds(*rows);
}

Result<std::optional<domain::RouteHold>> PgRouteRepository::FindHold(const domain::Uuid& route,
                                                                     const domain::Uuid& hold) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows =
      (*conn)->Exec("SELECT " + kHoldColumns + " FROM route_holds WHERE route_id = $1 AND id = $2",
                    {P(route), P(hold)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<domain::RouteHold>();
  auto h = ReadHold(*rows, 0);
  if (!h.ok()) return h.status();
  return std::optional<domain::RouteHold>(std::move(h).value());
}

Result<domain::RouteHold> PgRouteRepository::AddHold(
    const domain::Uuid& route, const domain::RouteHold& hold,
    const std::vector<domain::HoldCorrection>& log) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  // The route row is locked so that two additions cannot both pass the limit.
  auto count = tx.Exec(
      "SELECT (SELECT count(*) FROM route_holds WHERE route_id = $1) FROM routes "
      "WHERE id = $1 FOR UPDATE",
      {P(route)});
  if (!count.ok()) return count.status();
  if (count->empty()) return NotFound("route " + route.str() + " is gone");
  if (count->Int(0, 0) >= domain::kMaxHoldsPerRoute) {
    return ResourceExhausted("a route has at most " + std::to_string(domain::kMaxHoldsPerRoute) +
                             " holds");
  }
  if (Status s = InsertHold(tx, route, hold); !s.ok()) return s;
  if (Status s = InsertCorrections(tx, log); !s.ok()) return s;
  auto rows = tx.Exec("SELECT " + kHoldColumns + " FROM route_holds WHERE id = $1", {P(hold.id)});
  if (!rows.ok()) return rows.status();
  auto out = ReadHold(*rows, 0);
  if (!out.ok()) return out.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

Result<std::optional<domain::RouteHold>> PgRouteRepository::UpdateHold(
    const domain::Uuid& route, const domain::Uuid& hold_id, const ports::HoldChanges& c,
    const std::vector<domain::HoldCorrection>& log) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  std::optional<std::string> outline;
  std::optional<double> cx, cy;
  if (c.outline) {
    outline = OutlineJson(*c.outline);
    const domain::ImagePoint centre = domain::PolygonCentroid(*c.outline);
    cx = centre.x;
    cy = centre.y;
  }
  std::optional<std::string> role;
  if (c.role && *c.role) role = std::string(domain::HoldRoleName(**c.role));
  auto rows = tx.Exec(
      "UPDATE route_holds SET "
      "outline = coalesce($3::jsonb, outline), centre_x = coalesce($4::float8, centre_x), "
      "centre_y = coalesce($5::float8, centre_y), colour = coalesce($6, colour), "
      "size = coalesce($7, size), role = CASE WHEN $8::bool THEN $9 ELSE role END, "
      "selected = coalesce($10::bool, selected), updated_at = now() "
      "WHERE route_id = $1 AND id = $2 RETURNING " +
          kHoldColumns,
      {P(route), P(hold_id), POpt(outline), POpt(cx), POpt(cy), POpt(c.colour), POpt(c.size),
       P(c.role.has_value()), POpt(role), POpt(c.selected)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<domain::RouteHold>();
  auto out = ReadHold(*rows, 0);
  if (!out.ok()) return out.status();
  if (Status s = InsertCorrections(tx, log); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return std::optional<domain::RouteHold>(std::move(out).value());
}

Result<bool> PgRouteRepository::DeleteHold(const domain::Uuid& route, const domain::Uuid& hold_id,
                                           const domain::HoldCorrection& correction) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto rows = tx.Exec("DELETE FROM route_holds WHERE route_id = $1 AND id = $2 RETURNING id",
                      {P(route), P(hold_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return false;
  // A scale distance measured to this hold goes with it.
  if (Status s = tx.Exec("UPDATE routes SET scale_hold_a = NULL, scale_hold_b = NULL, "
                         "scale_distance_cm = NULL, updated_at = now() "
                         "WHERE id = $1 AND $2::uuid IN (scale_hold_a, scale_hold_b)",
                         {P(route), P(hold_id)})
                     .status();
      !s.ok()) {
    return s;
  }
  if (Status s = InsertCorrections(tx, {correction}); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return true;
}

Status PgRouteRepository::SetSelected(const domain::Uuid& route,
                                      const std::vector<std::pair<domain::Uuid, bool>>& selection,
                                      const std::vector<domain::HoldCorrection>& log) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  for (const auto& [id, selected] : selection) {
    auto r = tx.Exec(
        "UPDATE route_holds SET selected = $3, updated_at = now() "
        "WHERE route_id = $1 AND id = $2 AND selected <> $3",
        {P(route), P(id), P(selected)});
    if (!r.ok()) return r.status();
  }
  if (Status s = InsertCorrections(tx, log); !s.ok()) return s;
  return tx.Commit();
}

Result<domain::CorrectionCounts> PgRouteRepository::Corrections(const domain::Uuid& route) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT action, count(*) FROM route_corrections WHERE route_id = $1 GROUP BY action",
      {P(route)});
  if (!rows.ok()) return rows.status();
  domain::CorrectionCounts counts{};
  for (int i = 0; i < rows->size(); ++i) {
    auto action = domain::ParseCorrectionAction(rows->Text(i, 0));
    if (!action) return Internal("route_corrections: unknown action " + rows->Text(i, 0));
    counts[static_cast<std::size_t>(*action)] = static_cast<int>(rows->Int(i, 1));
  }
  return counts;
}

Result<std::optional<domain::Route>> PgRouteRepository::StartDetection(const domain::Uuid& id,
                                                                       int dispatch) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return OptRoute((*conn)->Exec(
      "UPDATE routes r SET attempts = attempts + 1, stage = 'starting', updated_at = now() "
      "WHERE r.id = $1 AND r.status = 'detecting' AND r.dispatch = $2 RETURNING " +
          kRouteColumns,
      {P(id), P(dispatch)}));
}

Status PgRouteRepository::UpdateProgress(const domain::Uuid& id, int dispatch, int progress,
                                         const std::string& stage) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE routes SET progress = $3, stage = $4, updated_at = now() "
          "WHERE id = $1 AND status = 'detecting' AND dispatch = $2",
          {P(id), P(dispatch), P(std::clamp(progress, 0, 100)), P(stage)})
      .status();
}

Result<bool> PgRouteRepository::CompleteDetection(const domain::Uuid& id, int dispatch, int w,
                                                  int h, std::optional<std::int64_t> ref,
                                                  const std::vector<domain::RouteHold>& holds) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto up = tx.Exec(
      "UPDATE routes SET status = 'ready', progress = 100, stage = 'detected', image_width = $3, "
      "image_height = $4, reference_ms = $5, error_code = NULL, error_message = NULL, "
      "scale_hold_a = NULL, scale_hold_b = NULL, scale_distance_cm = NULL, "
      "detected_at = now(), updated_at = now() "
      "WHERE id = $1 AND status = 'detecting' AND dispatch = $2 RETURNING id",
      {P(id), P(dispatch), P(w), P(h), POpt(ref)});
  if (!up.ok()) return up.status();
  if (up->empty()) return false;
  auto del = tx.Exec("DELETE FROM route_holds WHERE route_id = $1", {P(id)});
  if (!del.ok()) return del.status();
  for (const auto& hold : holds) {
    if (Status s = InsertHold(tx, id, hold); !s.ok()) return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return true;
}

Status PgRouteRepository::FailDetection(const domain::Uuid& id, int dispatch,
                                        const std::string& code, const std::string& message) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE routes SET status = 'failed', stage = 'failed', error_code = $3, "
          "error_message = $4, updated_at = now() "
          "WHERE id = $1 AND status = 'detecting' AND dispatch = $2",
          {P(id), P(dispatch), P(code), P(message)})
      .status();
}

Result<std::optional<ports::AnalysisSource>> PgRouteRepository::FindAnalysisSource(
    const domain::Uuid& analysis_id, const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT v.object_key, a.result_json FROM analyses a JOIN videos v ON v.id = a.video_id "
      "WHERE a.id = $1 AND a.user_id = $2 AND a.status = 'completed' "
      "AND a.result_json IS NOT NULL",
      {P(analysis_id), P(user)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ports::AnalysisSource>();
  return std::optional<ports::AnalysisSource>(
      ports::AnalysisSource{rows->Text(0, 0), rows->Text(0, 1)});
}

Result<std::vector<ports::AnalysisOnRoute>> PgRouteRepository::AnalysesOnRoute(
    const domain::Uuid& route_id, const domain::Uuid& user,
    const std::optional<domain::Uuid>& built_from, int limit) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT id, route_id, result_json FROM analyses WHERE user_id = $2 "
      "AND status = 'completed' AND result_json IS NOT NULL "
      "AND (route_id = $1 OR id = $3::uuid) ORDER BY created_at, id LIMIT $4",
      {P(route_id), P(user), POpt(built_from), P(limit)});
  return ReadAll(rows, [](const pg::Rows& rs, int i) -> Result<ports::AnalysisOnRoute> {
    pg::Row r(rs, i, "analyses");
    ports::AnalysisOnRoute a;
    a.id = ReadUuid(r, "id");
    a.route_id = ReadOptUuid(r, "route_id");
    a.result_json = r.Text("result_json");
    if (!r.ok()) return r.status();
    return a;
  });
}

Result<bool> PgRouteRepository::ReplaceAnalysisResult(const domain::Uuid& analysis_id,
                                                      const domain::Uuid& user,
                                                      const std::string& expected_json,
                                                      const std::string& result_json) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "UPDATE analyses SET result_json = $4, updated_at = now() WHERE id = $1 AND user_id = $2 "
      "AND status = 'completed' AND result_json = $3 RETURNING id",
      {P(analysis_id), P(user), P(expected_json), P(result_json)});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<ports::RouteRepository::Recovered> PgRouteRepository::ReapStuck(
    domain::Time stuck_before,
    const std::function<ports::StuckRouteDecision(const domain::Route&)>& decide,
    const ports::HoldsJobFor& job) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto rows = tx.Exec("SELECT " + kRouteColumns +
                          " FROM routes r WHERE r.status = 'detecting' "
                          "AND r.updated_at < to_timestamp($1::float8 / 1000) "
                          "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.route_id = r.id "
                          "AND o.sent_at IS NULL) ORDER BY r.updated_at "
                          "FOR UPDATE OF r SKIP LOCKED",
                      {P(stuck_before)});
  if (!rows.ok()) return rows.status();
  Recovered out;
  for (int i = 0; i < rows->size(); ++i) {
    auto r = ReadRoute(*rows, i);
    if (!r.ok()) return r.status();
    auto decision = decide(*r);
    if (auto* give_up = std::get_if<ports::GiveUpRoute>(&decision)) {
      auto f = tx.Exec(
          "UPDATE routes SET status = 'failed', stage = 'failed', error_code = $2, "
          "error_message = $3, updated_at = now() WHERE id = $1",
          {P(r->id), P(give_up->error_code), P(give_up->error_message)});
      if (!f.ok()) return f.status();
      ++out.failed;
      continue;
    }
    auto up = tx.Exec(
        "UPDATE routes SET dispatch = dispatch + 1, requeues = requeues + 1, stage = 'requeued', "
        "updated_at = now() WHERE id = $1",
        {P(r->id)});
    if (!up.ok()) return up.status();
    auto now = RouteIn(tx, r->id);
    if (!now.ok()) return now.status();
    if (Status s = InsertJob(tx, *now, job); !s.ok()) return s;
    ++out.requeued;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

}  // namespace ascension::store
