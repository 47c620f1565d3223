// The attempt counters of the login lock-out and the registration limit (table attempt_counters,
// migration 0013).
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/attempt_counters.hpp"

namespace ascension::store {

class PgAttemptCounterRepository final : public ports::AttemptCounterRepository {
 public:
  explicit PgAttemptCounterRepository(pg::Pool& primary) : db_(primary) {}

  Result<std::vector<ports::AttemptCounter>> Find(const std::vector<std::string>& keys) override;
  Result<ports::AttemptCounter> Count(const std::string& key, domain::Time now,
                                      domain::Time window_start_before) override;
  Status Lock(const std::string& key, domain::Time until) override;
  Result<bool> Remove(const std::string& key) override;
  Result<int> Prune(domain::Time before, domain::Time now) override;

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
