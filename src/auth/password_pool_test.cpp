#include "auth/password_pool.hpp"

#include <gtest/gtest.h>

#include <future>

namespace ascension::auth {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

TEST(PasswordPool, SizedFromMemoryAndCores) {
  auto o = PasswordPool::SizedFor(256 * kMiB, 2);
  EXPECT_EQ(o.workers, 2);
  EXPECT_EQ(o.queue, 4);
  EXPECT_EQ(PasswordPool::SizedFor(256 * kMiB, 8).workers, 4);  // memory bound: 4 × 64 MiB
  EXPECT_EQ(PasswordPool::SizedFor(10 * kMiB, 8).workers, 1);   // always one
  EXPECT_EQ(PasswordPool::SizedFor(0, 0).workers, 1);
  EXPECT_GE(PasswordPool::DefaultBudget(), 64 * kMiB / 4);
}

TEST(PasswordPool, HashesAndVerifies) {
  PasswordHasher hasher;
  PasswordPool pool(hasher, {.workers = 1, .queue = 2});
  auto h = pool.Hash("correct horse");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto yes = pool.Verify("correct horse", &*h);
  auto no = pool.Verify("wrong horse", &*h);
  auto unknown = pool.Verify("correct horse", nullptr);
  ASSERT_TRUE(yes.ok() && no.ok() && unknown.ok());
  EXPECT_TRUE(*yes);
  EXPECT_FALSE(*no);
  EXPECT_FALSE(*unknown);
}

// More calls at once than workers plus queue: the excess is refused at once, the rest is served.
TEST(PasswordPool, RefusesTheExcessInsteadOfRunningItAll) {
  PasswordHasher hasher;
  PasswordPool pool(hasher, {.workers = 1, .queue = 1, .max_wait = std::chrono::seconds(30)});
  std::vector<std::future<Result<bool>>> calls;
  for (int i = 0; i < 8; ++i) {
    calls.push_back(std::async(std::launch::async, [&] { return pool.Verify("guess", nullptr); }));
  }
  int served = 0, busy = 0;
  for (auto& c : calls) {
    auto r = c.get();
    if (r.ok()) {
      ++served;
    } else {
      EXPECT_EQ(r.status().kind(), ErrorKind::kUnavailable);
      ++busy;
    }
  }
  EXPECT_GE(served, 1);
  EXPECT_GE(busy, 1);
  EXPECT_LE(served, 8 - busy);
}

// A call that waited longer than max_wait is refused rather than run late.
TEST(PasswordPool, StaleCallsAreRefused) {
  PasswordHasher hasher;
  PasswordPool pool(hasher, {.workers = 1, .queue = 4, .max_wait = std::chrono::milliseconds(1)});
  std::vector<std::future<Result<bool>>> calls;
  for (int i = 0; i < 4; ++i) {
    calls.push_back(std::async(std::launch::async, [&] { return pool.Verify("guess", nullptr); }));
  }
  int busy = 0;
  for (auto& c : calls) busy += c.get().ok() ? 0 : 1;
  EXPECT_GE(busy, 1);
}

}  // namespace
}  // namespace ascension::auth
