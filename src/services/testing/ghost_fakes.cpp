#include "services/testing/ghost_fakes.hpp"

namespace ascension::services::testing {

Result<std::optional<domain::StoredGhost>> FakeGhostRepository::Find(const domain::Uuid& route_id) {
  std::lock_guard lock(mu_);
  if (outage) return *outage;
  auto it = rows.find(route_id);
  if (it == rows.end()) return std::optional<domain::StoredGhost>();
  return std::optional<domain::StoredGhost>(it->second);
}

Result<domain::StoredGhost> FakeGhostRepository::Request(
    const domain::StoredGhost& wanted,
    const std::function<bool(const std::optional<domain::StoredGhost>&)>& queue,
    const ports::GhostJobFor& job) {
  std::lock_guard lock(mu_);
  if (outage) return *outage;
  auto it = rows.find(wanted.route_id);
  std::optional<domain::StoredGhost> current;
  if (it != rows.end()) current = it->second;
  if (!queue(current)) return *current;
  domain::StoredGhost g = current.value_or(domain::StoredGhost{});
  g.route_id = wanted.route_id;
  g.user_id = wanted.user_id;
  g.status = domain::GhostStatus::kComputing;
  g.requested_fingerprint = wanted.requested_fingerprint;
  g.job_id = wanted.job_id;
  g.requested_at = wanted.requested_at;
  g.dispatch = current ? current->dispatch + 1 : 1;
  g.attempts = 0;
  g.error_code.reset();
  g.error_message.reset();
  g.updated_at = clock_.Now();
  outbox.push_back(job(g));
  rows[g.route_id] = g;
  return g;
}

Result<std::optional<domain::StoredGhost>> FakeGhostRepository::StartComputing(
    const domain::Uuid& route_id, int dispatch) {
  std::lock_guard lock(mu_);
  if (outage) return *outage;
  auto it = rows.find(route_id);
  if (it == rows.end() || it->second.status != domain::GhostStatus::kComputing ||
      it->second.dispatch != dispatch) {
    return std::optional<domain::StoredGhost>();
  }
  ++it->second.attempts;
  it->second.updated_at = clock_.Now();
  return std::optional<domain::StoredGhost>(it->second);
}

Result<bool> FakeGhostRepository::Complete(const domain::Uuid& route_id, int dispatch,
                                           const std::string& fingerprint,
                                           const std::string& document) {
  std::lock_guard lock(mu_);
  if (outage) return *outage;
  auto it = rows.find(route_id);
  if (it == rows.end() || it->second.status != domain::GhostStatus::kComputing ||
      it->second.dispatch != dispatch) {
    return false;
  }
  it->second.status = domain::GhostStatus::kReady;
  it->second.fingerprint = fingerprint;
  it->second.document = document;
  it->second.computed_at = clock_.Now();
  it->second.updated_at = clock_.Now();
  return true;
}

Status FakeGhostRepository::Fail(const domain::Uuid& route_id, int dispatch,
                                 const std::string& error_code, const std::string& error_message) {
  std::lock_guard lock(mu_);
  if (outage) return *outage;
  auto it = rows.find(route_id);
  if (it == rows.end() || it->second.status != domain::GhostStatus::kComputing ||
      it->second.dispatch != dispatch) {
    return Status::Ok();
  }
  it->second.status = domain::GhostStatus::kFailed;
  it->second.error_code = error_code;
  it->second.error_message = error_message;
  it->second.updated_at = clock_.Now();
  return Status::Ok();
}

}  // namespace ascension::services::testing
