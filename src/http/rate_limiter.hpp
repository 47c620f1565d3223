// Fixed-rate limiter keyed by any string (client IP, "login:email", ...): a token bucket per
// key holding up to `burst` tokens and refilled at `per_minute` tokens a minute. Memory is
// bounded: idle keys are dropped by Prune(), which Allow() runs now and then.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ascension::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(int per_minute, int burst);

  struct Decision {
    bool allowed;
    int retry_after_s;  // when refused: seconds until one token is back
  };
  Decision Allow(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void Prune(Clock::time_point now);

  const double per_second_;
  const double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::uint64_t calls_ = 0;
};

}  // namespace ascension::http
