// The route reaper: recovers detections whose job was lost. A route detecting with no progress
// for `stuck_timeout` and no job waiting in the outbox (a worker died or hung, the broker lost
// the message, or the message was dead-lettered as unreadable) is queued again through the
// outbox with a new dispatch number, at most `max_requeues` times, then fails with
// processing_timeout. A surviving older copy of its job carries the old number and is skipped.
#pragma once

#include <chrono>
#include <string>

#include "domain/language.hpp"
#include "ports/clock.hpp"
#include "ports/route_repository.hpp"

namespace ascension::services {

struct RouteReaperOptions {
  std::chrono::seconds stuck_timeout{15 * 60};
  int max_requeues = 3;
  std::string bucket;
  domain::Language language = domain::Language::kFr;  // of the failure message
};

class RouteReaper {
 public:
  RouteReaper(ports::RouteRepository& routes, const ports::Clock& clock, RouteReaperOptions options)
      : routes_(routes), clock_(clock), options_(std::move(options)) {}

  Result<ports::RouteRepository::Recovered> RunOnce();

 private:
  ports::RouteRepository& routes_;
  const ports::Clock& clock_;
  RouteReaperOptions options_;
};

}  // namespace ascension::services
