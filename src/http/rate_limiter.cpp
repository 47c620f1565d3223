#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace ascension::http {

RateLimiter::RateLimiter(int per_minute, int burst)
    : per_second_(per_minute / 60.0), burst_(std::max(1, burst)) {}

RateLimiter::Decision RateLimiter::Allow(const std::string& key, Clock::time_point now) {
  std::lock_guard l(mu_);
  if (++calls_ % 4096 == 0) Prune(now);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!inserted) {
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {true, 0};
  }
  double wait = per_second_ > 0 ? (1.0 - b.tokens) / per_second_ : 60.0;
  return {false, std::max(1, static_cast<int>(std::ceil(wait)))};
}

void RateLimiter::Prune(Clock::time_point now) {
  // A bucket full again is indistinguishable from a new one: forget it.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    if (it->second.tokens + elapsed * per_second_ >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace ascension::http
