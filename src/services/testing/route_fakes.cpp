#include "services/testing/route_fakes.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace ascension::services::testing {
namespace {

void SortHolds(std::vector<domain::RouteHold>& holds) {
  std::stable_sort(holds.begin(), holds.end(), [](const auto& a, const auto& b) {
    const auto ca = domain::PolygonCentroid(a.outline), cb = domain::PolygonCentroid(b.outline);
    return ca.y != cb.y ? ca.y < cb.y : ca.x < cb.x;
  });
}

}  // namespace

std::vector<ports::OutboxMessage> FakeRouteDatabase::Unsent(std::optional<domain::Uuid> id) {
  std::lock_guard l(mu);
  std::vector<ports::OutboxMessage> out;
  for (const auto& q : outbox) {
    if (!q.sent && (!id || q.route_id == *id)) out.push_back(q.message);
  }
  return out;
}

void FakeRouteDatabase::MarkAllSent() {
  std::lock_guard l(mu);
  for (auto& q : outbox) q.sent = true;
}

#define FAKE_ENTER()            \
  std::lock_guard lock(db_.mu); \
  if (db_.outage) return *db_.outage;

void FakeRouteRepository::Queue(const domain::Route& r, const ports::HoldsJobFor& job) {
  ports::OutboxMessage m = job(r);
  m.id = static_cast<std::int64_t>(db_.outbox.size() + 1);
  db_.outbox.push_back({r.id, std::move(m), false});
}

Result<domain::Route> FakeRouteRepository::Create(const domain::Route& route) {
  FAKE_ENTER();
  domain::Route r = route;
  r.created_at = r.updated_at = db_.Now();
  db_.routes[r.id] = r;
  return r;
}

Result<domain::Route> FakeRouteRepository::CreateDetecting(const domain::Route& route,
                                                           const ports::HoldsJobFor& job) {
  FAKE_ENTER();
  domain::Route r = route;
  r.status = domain::RouteStatus::kDetecting;
  r.created_at = r.updated_at = db_.Now();
  db_.routes[r.id] = r;
  Queue(r, job);
  return r;
}

Result<std::optional<domain::Route>> FakeRouteRepository::FindOwned(const domain::Uuid& id,
                                                                    const domain::Uuid& user) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it == db_.routes.end() || it->second.user_id != user) {
    return std::optional<domain::Route>();
  }
  domain::Route r = it->second;
  r.hold_count = static_cast<int>(db_.holds[id].size());
  return std::optional<domain::Route>(r);
}

Result<domain::PageOf<domain::Route>> FakeRouteRepository::ListOwned(const domain::Uuid& user,
                                                                     const domain::Page& page) {
  FAKE_ENTER();
  std::vector<domain::Route> mine;
  for (const auto& [id, r] : db_.routes) {
    if (r.user_id != user) continue;
    mine.push_back(r);
    mine.back().hold_count = static_cast<int>(db_.holds[id].size());
  }
  std::stable_sort(mine.begin(), mine.end(),
                   [](const auto& a, const auto& b) { return a.created_at > b.created_at; });
  domain::PageOf<domain::Route> out;
  out.total = static_cast<std::int64_t>(mine.size());
  for (std::size_t i = page.offset();
       i < mine.size() && out.items.size() < std::size_t(page.per_page); ++i) {
    out.items.push_back(mine[i]);
  }
  return out;
}

Result<std::optional<domain::Route>> FakeRouteRepository::Update(const domain::Uuid& id,
                                                                 const domain::Uuid& user,
                                                                 const ports::RouteChanges& c) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it == db_.routes.end() || it->second.user_id != user) return std::optional<domain::Route>();
  domain::Route& r = it->second;
  if (c.name) r.name = *c.name;
  if (c.grade) {
    r.grade = *c.grade ? std::optional((*c.grade)->first) : std::nullopt;
    r.grade_system = *c.grade ? std::optional((*c.grade)->second) : std::nullopt;
  }
  if (c.wall_angle_deg) r.wall_angle_deg = *c.wall_angle_deg;
  if (c.scale) r.scale = *c.scale;
  r.updated_at = db_.Now();
  return std::optional<domain::Route>(r);
}

Result<std::optional<domain::Route>> FakeRouteRepository::RequestDetection(
    const domain::Uuid& id, const domain::Uuid& user, const domain::Uuid& job_id,
    const ports::HoldsJobFor& job) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it == db_.routes.end() || it->second.user_id != user) return std::optional<domain::Route>();
  domain::Route& r = it->second;
  if (r.status != domain::RouteStatus::kDetecting) {
    r.status = domain::RouteStatus::kDetecting;
    r.dispatch += 1;
    r.job_id = job_id;
    r.progress = 0;
    r.stage = "queued";
    r.error_code.reset();
    r.error_message.reset();
    r.updated_at = db_.Now();
    Queue(r, job);
  }
  return std::optional<domain::Route>(r);
}

Result<std::optional<std::string>> FakeRouteRepository::AnalysisStatus(const domain::Uuid& id,
                                                                       const domain::Uuid& user) {
  FAKE_ENTER();
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.user_id != user) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second.status);
}

Result<bool> FakeRouteRepository::DeleteOwned(const domain::Uuid& id, const domain::Uuid& user) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it == db_.routes.end() || it->second.user_id != user) return false;
  db_.routes.erase(it);
  db_.holds.erase(id);
  std::erase_if(db_.corrections, [&](const auto& c) { return c.route_id == id; });
  std::erase_if(db_.outbox, [&](const auto& q) { return q.route_id == id; });
  return true;
}

Result<std::vector<domain::RouteHold>> FakeRouteRepository::Holds(const domain::Uuid& route) {
  FAKE_ENTER();
  return db_.holds[route];
}

Result<std::optional<domain::RouteHold>> FakeRouteRepository::FindHold(const domain::Uuid& route,
                                                                       const domain::Uuid& hold) {
  FAKE_ENTER();
  for (const auto& h : db_.holds[route]) {
    if (h.id == hold) return std::optional<domain::RouteHold>(h);
  }
  return std::optional<domain::RouteHold>();
}

Result<domain::RouteHold> FakeRouteRepository::AddHold(
    const domain::Uuid& route, const domain::RouteHold& hold,
    const std::vector<domain::HoldCorrection>& log) {
  FAKE_ENTER();
  auto& holds = db_.holds[route];
  if (holds.size() >= static_cast<std::size_t>(domain::kMaxHoldsPerRoute)) {
    return ResourceExhausted("a route has at most 1000 holds");
  }
  holds.push_back(hold);
  SortHolds(holds);
  db_.corrections.insert(db_.corrections.end(), log.begin(), log.end());
  return hold;
}

Result<std::optional<domain::RouteHold>> FakeRouteRepository::UpdateHold(
    const domain::Uuid& route, const domain::Uuid& hold_id, const ports::HoldChanges& c,
    const std::vector<domain::HoldCorrection>& log) {
  FAKE_ENTER();
  auto& holds = db_.holds[route];
  for (auto& h : holds) {
    if (h.id != hold_id) continue;
    if (c.outline) h.outline = *c.outline;
    if (c.colour) h.colour = *c.colour;
    if (c.size) h.size = *c.size;
    if (c.role) h.role = *c.role;
    if (c.selected) h.selected = *c.selected;
    h.updated_at = db_.Now();
    domain::RouteHold out = h;
    SortHolds(holds);
    db_.corrections.insert(db_.corrections.end(), log.begin(), log.end());
    return std::optional<domain::RouteHold>(out);
  }
  return std::optional<domain::RouteHold>();
}

Result<bool> FakeRouteRepository::DeleteHold(const domain::Uuid& route, const domain::Uuid& hold_id,
                                             const domain::HoldCorrection& correction) {
  FAKE_ENTER();
  auto& holds = db_.holds[route];
  const auto n = std::erase_if(holds, [&](const auto& h) { return h.id == hold_id; });
  if (n == 0) return false;
  if (auto it = db_.routes.find(route); it != db_.routes.end()) {
    auto& d = it->second.scale.distance;
    if (d && (d->hold_a == hold_id || d->hold_b == hold_id)) d.reset();
  }
  db_.corrections.push_back(correction);
  return true;
}

Status FakeRouteRepository::SetSelected(const domain::Uuid& route,
                                        const std::vector<std::pair<domain::Uuid, bool>>& sel,
                                        const std::vector<domain::HoldCorrection>& log) {
  FAKE_ENTER();
  for (auto& h : db_.holds[route]) {
    for (const auto& [id, selected] : sel) {
      if (h.id == id) h.selected = selected;
    }
  }
  db_.corrections.insert(db_.corrections.end(), log.begin(), log.end());
  return Status::Ok();
}

Result<domain::CorrectionCounts> FakeRouteRepository::Corrections(const domain::Uuid& route) {
  FAKE_ENTER();
  domain::CorrectionCounts counts{};
  for (const auto& c : db_.corrections) {
    if (c.route_id == route) ++counts[static_cast<std::size_t>(c.action)];
  }
  return counts;
}

Result<std::optional<domain::Route>> FakeRouteRepository::StartDetection(const domain::Uuid& id,
                                                                         int dispatch) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it == db_.routes.end() || it->second.status != domain::RouteStatus::kDetecting ||
      it->second.dispatch != dispatch) {
    return std::optional<domain::Route>();
  }
  it->second.attempts += 1;
  it->second.stage = "starting";
  it->second.updated_at = db_.Now();
  return std::optional<domain::Route>(it->second);
}

Status FakeRouteRepository::UpdateProgress(const domain::Uuid& id, int dispatch, int progress,
                                           const std::string& stage) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it != db_.routes.end() && it->second.status == domain::RouteStatus::kDetecting &&
      it->second.dispatch == dispatch) {
    it->second.progress = progress;
    it->second.stage = stage;
    it->second.updated_at = db_.Now();
  }
  return Status::Ok();
}

Result<bool> FakeRouteRepository::CompleteDetection(const domain::Uuid& id, int dispatch, int w,
                                                    int h, std::optional<std::int64_t> ref,
                                                    const std::vector<domain::RouteHold>& holds) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it == db_.routes.end() || it->second.status != domain::RouteStatus::kDetecting ||
      it->second.dispatch != dispatch) {
    return false;
  }
  domain::Route& r = it->second;
  r.status = domain::RouteStatus::kReady;
  r.progress = 100;
  r.stage = "detected";
  r.image_width = w;
  r.image_height = h;
  r.reference_ms = ref;
  r.detected_at = r.updated_at = db_.Now();
  r.error_code.reset();
  r.error_message.reset();
  r.scale.distance.reset();  // its holds are replaced
  auto& stored = db_.holds[id];
  stored = holds;
  SortHolds(stored);
  return true;
}

Status FakeRouteRepository::FailDetection(const domain::Uuid& id, int dispatch,
                                          const std::string& code, const std::string& message) {
  FAKE_ENTER();
  auto it = db_.routes.find(id);
  if (it != db_.routes.end() && it->second.status == domain::RouteStatus::kDetecting &&
      it->second.dispatch == dispatch) {
    it->second.status = domain::RouteStatus::kFailed;
    it->second.error_code = code;
    it->second.error_message = message;
    it->second.updated_at = db_.Now();
  }
  return Status::Ok();
}

Result<std::optional<ports::AnalysisSource>> FakeRouteRepository::FindAnalysisSource(
    const domain::Uuid& id, const domain::Uuid& user) {
  FAKE_ENTER();
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.user_id != user || it->second.status != "completed") {
    return std::optional<ports::AnalysisSource>();
  }
  return std::optional<ports::AnalysisSource>(it->second.source);
}

Result<std::vector<ports::AnalysisOnRoute>> FakeRouteRepository::AnalysesOnRoute(
    const domain::Uuid& route_id, const domain::Uuid& user,
    const std::optional<domain::Uuid>& built_from, int limit) {
  FAKE_ENTER();
  std::vector<ports::AnalysisOnRoute> out;
  for (const auto& [id, a] : db_.analyses) {
    if (static_cast<int>(out.size()) >= limit) break;
    if (a.user_id != user || a.status != "completed") continue;
    if (a.route_id != route_id && (!built_from || id != *built_from)) continue;
    out.push_back({id, a.route_id, a.source.result_json});
  }
  return out;
}

Result<bool> FakeRouteRepository::ReplaceAnalysisResult(const domain::Uuid& analysis_id,
                                                        const domain::Uuid& user,
                                                        const std::string& expected_json,
                                                        const std::string& result_json) {
  FAKE_ENTER();
  auto it = db_.analyses.find(analysis_id);
  if (it == db_.analyses.end() || it->second.user_id != user) return false;
  if (db_.before_replace) db_.before_replace(it->second);
  if (it->second.status != "completed" || it->second.source.result_json != expected_json) {
    return false;
  }
  it->second.source.result_json = result_json;
  return true;
}

Result<ports::RouteRepository::Recovered> FakeRouteRepository::ReapStuck(
    domain::Time stuck_before,
    const std::function<ports::StuckRouteDecision(const domain::Route&)>& decide,
    const ports::HoldsJobFor& job) {
  FAKE_ENTER();
  Recovered out;
  for (auto& entry : db_.routes) {
    // Named references, not a structured binding: clang-14 refuses to capture a binding.
    const auto& id = entry.first;
    auto& r = entry.second;
    if (r.status != domain::RouteStatus::kDetecting || r.updated_at >= stuck_before) continue;
    const bool waiting = std::any_of(db_.outbox.begin(), db_.outbox.end(),
                                     [&](const auto& q) { return q.route_id == id && !q.sent; });
    if (waiting) continue;
    auto decision = decide(r);
    if (auto* give_up = std::get_if<ports::GiveUpRoute>(&decision)) {
      r.status = domain::RouteStatus::kFailed;
      r.error_code = give_up->error_code;
      r.error_message = give_up->error_message;
      r.updated_at = db_.Now();
      ++out.failed;
    } else {
      r.dispatch += 1;
      r.requeues += 1;
      r.updated_at = db_.Now();
      Queue(r, job);
      ++out.requeued;
    }
  }
  return out;
}

Result<ports::DetectedHolds> FakeHoldDetector::FromPhoto(const std::filesystem::path& path) {
  ++photo_calls;
  std::ifstream in(path, std::ios::binary);
  last_photo_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return photo_result;
}

Result<ports::DetectedHolds> FakeHoldDetector::FromVideo(
    const std::filesystem::path&, const domain::PoseSequence& poses,
    const std::filesystem::path& wall_jpeg, const std::function<bool(double)>& progress) {
  ++video_calls;
  last_pose_frames = poses.frames.size();
  if (progress && !progress(0.5)) return Status(ErrorKind::kUnavailable, "cancelled", "cancelled");
  std::ofstream(wall_jpeg, std::ios::binary) << wall_bytes;
  return video_result;
}

Status FakeRouteEvents::Publish(const domain::RouteEvent& event) {
  std::lock_guard l(mu_);
  if (failure) return *failure;
  events_.push_back(event);
  return Status::Ok();
}

std::vector<domain::RouteEvent> FakeRouteEvents::Take() {
  std::lock_guard l(mu_);
  return std::exchange(events_, {});
}

}  // namespace ascension::services::testing
