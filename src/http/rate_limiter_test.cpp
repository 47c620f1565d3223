#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace ascension::http {
namespace {

TEST(RateLimiter, AllowsBurstThenRefusesWithRetryAfter) {
  RateLimiter rl(60, 5);  // one a second, burst 5
  auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(rl.Allow("ip", t0).allowed) << i;
  auto d = rl.Allow("ip", t0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_s, 1);
}

TEST(RateLimiter, RefillsOverTime) {
  RateLimiter rl(60, 1);
  auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(rl.Allow("ip", t0).allowed);
  EXPECT_FALSE(rl.Allow("ip", t0 + std::chrono::milliseconds(500)).allowed);
  EXPECT_TRUE(rl.Allow("ip", t0 + std::chrono::milliseconds(1600)).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter rl(60, 1);
  auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(rl.Allow("a", t0).allowed);
  EXPECT_FALSE(rl.Allow("a", t0).allowed);
  EXPECT_TRUE(rl.Allow("b", t0).allowed);
}

}  // namespace
}  // namespace ascension::http
