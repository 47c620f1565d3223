#include "common/stopper.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/background_loop.hpp"

namespace ascension {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// issue 11: the reaper's poke could wake the sweeper. A poke now wakes its own loop only.
TEST(Wakeup, APokeWakesTheLoopItIsMeantFor) {
  Stopper stopper;
  Wakeup relay(stopper), sweeper(stopper);
  std::atomic<bool> relay_woke{false}, sweeper_woke{false};
  std::thread a([&] {
    relay.Wait(5s);
    relay_woke = true;
  });
  std::thread b([&] {
    sweeper.Wait(300ms);
    sweeper_woke = true;
  });
  std::this_thread::sleep_for(50ms);
  auto poked_at = Steady::now();
  relay.Poke();
  a.join();
  EXPECT_LT(Steady::now() - poked_at, 1s);
  EXPECT_TRUE(relay_woke);
  EXPECT_FALSE(sweeper_woke) << "the poke woke another loop";
  b.join();
}

TEST(Wakeup, StopWakesEveryLoopAndStaysStopped) {
  Stopper stopper;
  Wakeup one(stopper), two(stopper);
  std::thread a([&] { EXPECT_TRUE(one.Wait(10s)); });
  std::thread b([&] { EXPECT_TRUE(two.Wait(10s)); });
  std::this_thread::sleep_for(20ms);
  auto t0 = Steady::now();
  stopper.Stop();
  a.join();
  b.join();
  EXPECT_LT(Steady::now() - t0, 2s);
  EXPECT_TRUE(one.Wait(10s));  // at once
  EXPECT_TRUE(stopper.Wait(10s));
}

TEST(BackgroundLoop, ARoundThatThrowsIsCaughtAndTheLoopRestarts) {
  Stopper stopper;
  std::atomic<int> rounds{0};
  BackgroundLoop loop(
      "test", stopper,
      [&](Wakeup&) -> std::chrono::milliseconds {
        int n = ++rounds;
        if (n == 1) throw std::runtime_error("boom");
        if (n == 2) throw 42;  // not even a std::exception
        return 1ms;
      },
      0ms, 5ms);
  EXPECT_FALSE(loop.healthy());  // not started
  loop.Start();
  auto deadline = Steady::now() + 5s;
  while (rounds < 5 && Steady::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_GE(rounds.load(), 5);
  EXPECT_EQ(loop.crashes(), 2);
  EXPECT_TRUE(loop.healthy());
  loop.SetDegraded(true);
  EXPECT_FALSE(loop.healthy());
  loop.SetDegraded(false);
  stopper.Stop();
  loop.Join();
  EXPECT_FALSE(loop.healthy());  // ended
}

}  // namespace
}  // namespace ascension
