// The dependency checks behind /ready (issue 10 #13), run at most once per `ttl` however many
// callers ask: a flood of /ready cannot open a RabbitMQ connection (or a PostgreSQL round trip,
// or an S3 request) per call.
//
// Rules held here:
// - A report younger than `ttl` is answered as it is.
// - An older one is renewed by exactly one caller at a time; callers arriving while it runs get
//   the last report at once (so a slow or hanging dependency ties up one thread, not every
//   thread a flood brings). Only the very first callers, with no report yet, wait for it.
// - So the answer is at most `ttl` plus one probe's duration old: truthful within seconds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "domain/time.hpp"
#include "ports/clock.hpp"

namespace ascension::services {

// What one probe found: each dependency's name and state, and when it was checked.
struct DependencyReport {
  std::vector<std::pair<std::string, Status>> checks;
  domain::Time checked_at{};
};

class CachedReadiness {
 public:
  using Probe = std::function<std::vector<std::pair<std::string, Status>>()>;

  CachedReadiness(const ports::Clock& clock, std::chrono::milliseconds ttl, Probe probe);

  // The last report when it is fresh or being renewed; else probes now (one caller at a time).
  DependencyReport Get();
  // How many probes ran (for tests and the metric).
  long probes() const;

 private:
  const ports::Clock& clock_;
  std::chrono::milliseconds ttl_;
  Probe probe_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  std::optional<DependencyReport> last_;  // guarded by mu_
  bool probing_ = false;                  // guarded by mu_
  long probes_ = 0;                       // guarded by mu_
};

}  // namespace ascension::services
