// In-memory GhostRepository for the unit tests of services/ghosts.hpp: the ghost rows and the
// outbox messages their requests wrote.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "ports/clock.hpp"
#include "ports/ghost_repository.hpp"
#include "ports/job_bus.hpp"

namespace ascension::services::testing {

class FakeGhostRepository final : public ports::GhostRepository {
 public:
  explicit FakeGhostRepository(const ports::Clock& clock) : clock_(clock) {}

  Result<std::optional<domain::StoredGhost>> Find(const domain::Uuid& route_id) override;
  Result<domain::StoredGhost> Request(
      const domain::StoredGhost& wanted,
      const std::function<bool(const std::optional<domain::StoredGhost>&)>& queue,
      const ports::GhostJobFor& job) override;
  Result<std::optional<domain::StoredGhost>> StartComputing(const domain::Uuid& route_id,
                                                            int dispatch) override;
  Result<bool> Complete(const domain::Uuid& route_id, int dispatch, const std::string& fingerprint,
                        const std::string& document) override;
  Status Fail(const domain::Uuid& route_id, int dispatch, const std::string& error_code,
              const std::string& error_message) override;

  std::map<domain::Uuid, domain::StoredGhost> rows;
  std::vector<ports::OutboxMessage> outbox;
  std::optional<Status> outage;  // every call fails with it when set

 private:
  std::mutex mu_;
  const ports::Clock& clock_;
};

// Records the ghost events published; fails with `failure` when set.
class FakeGhostEvents final : public ports::GhostEventPublisher {
 public:
  Status Publish(const domain::GhostEvent& event) override {
    std::lock_guard lock(mu_);
    if (failure) return *failure;
    events_.push_back(event);
    return Status::Ok();
  }
  std::vector<domain::GhostEvent> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(events_, {});
  }
  std::optional<Status> failure;

 private:
  std::mutex mu_;
  std::vector<domain::GhostEvent> events_;
};

}  // namespace ascension::services::testing
