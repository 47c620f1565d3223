// Counters of attempts (failed logins, registrations) per key, kept where every API instance sees
// the same values (PostgreSQL), each with an optional lock. The rules — what is counted, when a
// key is locked and for how long — are the LoginGuard service's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "domain/time.hpp"

namespace ascension::ports {

// One key's counter as stored.
struct AttemptCounter {
  std::string key;
  int count = 0;                             // attempts since window_start
  domain::Time window_start{};               // when the counting window began
  std::optional<domain::Time> locked_until;  // refused until then
};

class AttemptCounterRepository {
 public:
  virtual ~AttemptCounterRepository() = default;

  // The counters of `keys` that exist (in no particular order).
  virtual Result<std::vector<AttemptCounter>> Find(const std::vector<std::string>& keys) = 0;
  // Atomically counts one attempt on `key` at `now`: a counter whose window began before
  // `window_start_before` (or none) starts again at 1 with its window at `now`. Returns the
  // counter after the attempt.
  virtual Result<AttemptCounter> Count(const std::string& key, domain::Time now,
                                       domain::Time window_start_before) = 0;
  // Locks `key` until `until`, or keeps a later lock it already has.
  virtual Status Lock(const std::string& key, domain::Time until) = 0;
  // Forgets `key`'s counter and its lock; returns whether there was one.
  virtual Result<bool> Remove(const std::string& key) = 0;
  // Forgets the counters whose window began before `before` and that hold no lock after `now`.
  // Returns how many were removed.
  virtual Result<int> Prune(domain::Time before, domain::Time now) = 0;
};

}  // namespace ascension::ports
