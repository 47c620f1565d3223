// /ready's cached dependency checks over a fake clock.
#include "services/readiness.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

using namespace std::chrono_literals;
using Checks = std::vector<std::pair<std::string, Status>>;

TEST(CachedReadinessTest, ProbesAtMostOncePerTtlAndStaysTruthfulAfterIt) {
  testing::FakeClock clock;
  Status pg = Status::Ok();
  CachedReadiness r(clock, 1000ms, [&] { return Checks{{"postgres", pg}}; });
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(r.Get().checks.at(0).second.ok());
  EXPECT_EQ(r.probes(), 1);
  // The database goes down: the cached answer holds until the ttl, then tells.
  pg = Unavailable("down");
  clock.Advance(999ms);
  EXPECT_TRUE(r.Get().checks.at(0).second.ok());
  clock.Advance(1ms);
  EXPECT_FALSE(r.Get().checks.at(0).second.ok());
  EXPECT_EQ(r.probes(), 2);
}

TEST(CachedReadinessTest, CallersDuringASlowProbeGetTheLastReportAtOnce) {
  testing::FakeClock clock;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  CachedReadiness r(clock, 1000ms, [&] {
    if (calls++ == 1) released.wait();  // the second probe hangs until released
    return Checks{{"rabbitmq", Status::Ok()}};
  });
  r.Get();
  clock.Advance(2000ms);
  auto slow = std::async(std::launch::async, [&] { return r.Get(); });
  while (calls.load() < 2) std::this_thread::yield();
  // While the renewal hangs, 50 callers are answered from the last report, no new probe.
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(r.Get().checks.at(0).second.ok());
  EXPECT_EQ(r.probes(), 2);
  release.set_value();
  slow.get();
  EXPECT_EQ(r.probes(), 2);
}

TEST(CachedReadinessTest, ConcurrentFirstCallersShareOneProbe) {
  testing::FakeClock clock;
  std::atomic<int> calls{0};
  CachedReadiness r(clock, 1000ms, [&] {
    ++calls;
    std::this_thread::sleep_for(50ms);
    return Checks{{"s3", Status::Ok()}};
  });
  std::vector<std::future<DependencyReport>> all;
  for (int i = 0; i < 16; ++i)
    all.push_back(std::async(std::launch::async, [&] { return r.Get(); }));
  for (auto& f : all) EXPECT_EQ(f.get().checks.size(), 1u);
  EXPECT_EQ(calls.load(), 1);
}

TEST(CachedReadinessTest, AProbeThatThrowsIsADownReportNotACrash) {
  testing::FakeClock clock;
  CachedReadiness r(clock, 1000ms, []() -> Checks { throw std::runtime_error("boom"); });
  auto report = r.Get();
  ASSERT_EQ(report.checks.size(), 1u);
  EXPECT_FALSE(report.checks[0].second.ok());
}

}  // namespace
}  // namespace ascension::services
