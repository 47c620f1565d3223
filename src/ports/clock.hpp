// The time, as a port: services read it here so that tests can move it (month boundaries, token
// expiry, shutdown grace) without sleeping.
#pragma once

#include "domain/time.hpp"

namespace ascension::ports {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current wall-clock time (UTC).
  virtual domain::Time Now() const = 0;
};

// The system's clock.
class SystemClock final : public Clock {
 public:
  domain::Time Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace ascension::ports
