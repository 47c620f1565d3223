#include "adapters/amqp/retry.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "adapters/amqp/topology.hpp"

namespace ascension::amqp {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUntilTheCapWithoutJitter) {
  RetryPolicy p;
  p.initial_backoff = milliseconds(100);
  p.max_backoff = milliseconds(1000);
  p.multiplier = 2.0;
  p.jitter = 0.0;
  EXPECT_EQ(BackoffDelay(p, 1, 0.5), milliseconds(100));
  EXPECT_EQ(BackoffDelay(p, 2, 0.5), milliseconds(200));
  EXPECT_EQ(BackoffDelay(p, 3, 0.5), milliseconds(400));
  EXPECT_EQ(BackoffDelay(p, 4, 0.5), milliseconds(800));
  EXPECT_EQ(BackoffDelay(p, 5, 0.5), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(p, 60, 0.5), milliseconds(1000));  // no overflow far out
}

TEST(Backoff, JitterSpreadsAroundTheBase) {
  RetryPolicy p;
  p.initial_backoff = milliseconds(1000);
  p.max_backoff = milliseconds(10000);
  p.jitter = 0.2;
  EXPECT_EQ(BackoffDelay(p, 1, 0.0), milliseconds(800));
  EXPECT_EQ(BackoffDelay(p, 1, 0.5), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(p, 1, 0.999999), milliseconds(1200));
  EXPECT_EQ(BackoffDelay(p, 10, 0.0), milliseconds(8000));  // capped, then jittered
  EXPECT_LE(BackoffDelay(p, 10, 1.0), milliseconds(12000));
}

TEST(ConnectWithRetry, GivesUpAfterMaxAttemptsOnClosedPort) {
  auto url = ParseUrl("amqp://guest:guest@127.0.0.1:1/");
  ASSERT_TRUE(url.ok());
  RetryPolicy p;
  p.max_attempts = 3;
  p.initial_backoff = milliseconds(10);
  p.jitter = 0.0;
  auto start = std::chrono::steady_clock::now();
  auto conn = ConnectWithRetry(*url, p, nullptr);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().kind(), ErrorKind::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ConnectWithRetry, StopFlagEndsRetrying) {
  auto url = ParseUrl("amqp://127.0.0.1:1");
  ASSERT_TRUE(url.ok());
  std::atomic<bool> stop{true};
  auto conn = ConnectWithRetry(*url, RetryPolicy{}, &stop);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().kind(), ErrorKind::kUnavailable);
}

TEST(Topology, EventRoutingKeys) {
  EXPECT_EQ(topology::ProgressKey("j1"), "skeleton.progress.j1");
  EXPECT_EQ(topology::CompletedKey("j1"), "skeleton.completed.j1");
  EXPECT_EQ(topology::FailedKey("j1"), "skeleton.failed.j1");
}

}  // namespace
}  // namespace ascension::amqp
