// The login lock-out and the registration limit over a fake clock and in-memory counters.
#include "services/login_guard.hpp"

#include <gtest/gtest.h>

#include "services/testing/attempt_fakes.hpp"
#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

using namespace std::chrono_literals;

class LoginGuardTest : public ::testing::Test {
 protected:
  // Fails `n` logins of `email` from `address`, each allowed first.
  void Fail(int n, const std::string& email, const std::string& address) {
    for (int i = 0; i < n; ++i) {
      auto v = guard_.CheckLogin(email, address);
      ASSERT_TRUE(v.ok());
      ASSERT_TRUE(v->allowed) << "failure " << i << " was refused";
      ASSERT_TRUE(guard_.LoginFailed(email, address).ok());
    }
  }
  bool Allowed(const std::string& email, const std::string& address) {
    auto v = guard_.CheckLogin(email, address);
    EXPECT_TRUE(v.ok());
    return v.ok() && v->allowed;
  }

  testing::FakeClock clock_;
  testing::FakeAttemptCounters counters_;
  LoginGuardOptions options_{.account_threshold = 5,
                             .address_threshold = 20,
                             .base_lock = 30s,
                             .max_lock = 900s,
                             .window = 3600s,
                             .registrations_per_window = 3,
                             .registration_window = 3600s};
  LoginGuard guard_{counters_, clock_, options_};
};

TEST_F(LoginGuardTest, AnAccountLocksAfterTheThresholdForTheFailingAddressOnly) {
  Fail(4, "victim@example.com", "203.0.113.9");
  EXPECT_TRUE(Allowed("victim@example.com", "203.0.113.9")) << "locked before the threshold";
  Fail(1, "victim@example.com", "203.0.113.9");
  auto v = guard_.CheckLogin("victim@example.com", "203.0.113.9");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->allowed);
  EXPECT_EQ(v->retry_after, 30s);
  // The same account under another case is the same key.
  EXPECT_FALSE(Allowed("Victim@Example.COM", "203.0.113.9"));
  // The owner, from an address that has not been failing, is let through.
  EXPECT_TRUE(Allowed("victim@example.com", "198.51.100.7"));
  // Another account from the failing address is not locked by it.
  EXPECT_TRUE(Allowed("other@example.com", "203.0.113.9"));
}

TEST_F(LoginGuardTest, TheLockGrowsWithEachFailureUpToTheMaximumAndEndsByItself) {
  Fail(5, "v@example.com", "203.0.113.9");
  std::chrono::seconds expected = 30s;
  for (int i = 0; i < 8; ++i) {
    auto v = guard_.CheckLogin("v@example.com", "203.0.113.9");
    ASSERT_TRUE(v.ok());
    ASSERT_FALSE(v->allowed);
    EXPECT_EQ(v->retry_after, expected) << "after " << 5 + i << " failures";
    clock_.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(expected));
    EXPECT_TRUE(Allowed("v@example.com", "203.0.113.9")) << "the lock did not end by itself";
    ASSERT_TRUE(guard_.LoginFailed("v@example.com", "203.0.113.9").ok());
    expected = std::min<std::chrono::seconds>(expected * 2, 900s);
  }
  EXPECT_EQ(expected, 900s);
}

TEST_F(LoginGuardTest, FailuresAreForgottenAfterTheWindow) {
  Fail(4, "v@example.com", "203.0.113.9");
  clock_.Advance(3601s);
  Fail(4, "v@example.com", "203.0.113.9");
  EXPECT_TRUE(Allowed("v@example.com", "203.0.113.9"));
}

TEST_F(LoginGuardTest, AnAddressLocksForEveryAccountAfterItsThreshold) {
  for (int i = 0; i < 20; ++i) Fail(1, "user" + std::to_string(i) + "@example.com", "203.0.113.9");
  EXPECT_FALSE(Allowed("fresh@example.com", "203.0.113.9"));
  EXPECT_TRUE(Allowed("fresh@example.com", "198.51.100.7"));
}

TEST_F(LoginGuardTest, AFreshAddressGuessingALockedAccountLengthensItsLock) {
  Fail(5, "v@example.com", "203.0.113.9");
  // A second attacker address gets one guess; then it is failing too, and the lock doubled.
  Fail(1, "v@example.com", "203.0.113.10");
  auto v = guard_.CheckLogin("v@example.com", "203.0.113.10");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->allowed);
  EXPECT_EQ(v->retry_after, 60s);
}

TEST_F(LoginGuardTest, RegistrationsAreLimitedPerAddressPerWindow) {
  for (int i = 0; i < 3; ++i) {
    auto v = guard_.Registration("203.0.113.9");
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->allowed) << i;
  }
  clock_.Advance(600s);
  auto refused = guard_.Registration("203.0.113.9");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->retry_after, 3000s);
  auto other = guard_.Registration("198.51.100.7");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->allowed);
  clock_.Advance(3001s);
  auto later = guard_.Registration("203.0.113.9");
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->allowed);
}

TEST_F(LoginGuardTest, PruneForgetsOnlyExpiredCountersWithoutALock) {
  Fail(5, "v@example.com", "203.0.113.9");  // the account locked for 30 s, the address not
  clock_.Advance(3601s);
  auto pruned = guard_.Prune();
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 2);
  EXPECT_EQ(counters_.size(), 0u);
}

// Issue 10 #8, the unlock path: an operator's unlock (or a password change) forgets the
// account's failures and lock at once, under any spelling of the email; the addresses' own
// counters stay.
TEST_F(LoginGuardTest, UnlockForgetsTheAccountsFailuresAndLockButNotTheAddresses) {
  Fail(5, "victim@example.com", "203.0.113.9");
  ASSERT_FALSE(Allowed("victim@example.com", "203.0.113.9"));
  auto unlocked = guard_.Unlock("Victim@Example.COM");
  ASSERT_TRUE(unlocked.ok());
  EXPECT_TRUE(*unlocked);
  EXPECT_FALSE(counters_.Has("account:victim@example.com"));
  EXPECT_TRUE(counters_.Has("address:203.0.113.9")) << "the address's failures were forgotten too";
  // The locked address gets in at once, and the account counts from zero again.
  EXPECT_TRUE(Allowed("victim@example.com", "203.0.113.9"));
  Fail(4, "victim@example.com", "203.0.113.9");
  EXPECT_TRUE(Allowed("victim@example.com", "203.0.113.9")) << "old failures still counted";
  // Nothing to unlock: false, not an error.
  auto nothing = guard_.Unlock("nobody@example.com");
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(*nothing);
}

TEST_F(LoginGuardTest, UnlockDoesNotLiftAnAddressLock) {
  for (int i = 0; i < 20; ++i) Fail(1, "user" + std::to_string(i) + "@example.com", "203.0.113.9");
  ASSERT_TRUE(guard_.Unlock("user0@example.com").ok());
  EXPECT_FALSE(Allowed("user0@example.com", "203.0.113.9"));
}

TEST_F(LoginGuardTest, AStorageFailureIsAnErrorNotAnOpenDoor) {
  counters_.FailWith(Unavailable("database down"));
  EXPECT_FALSE(guard_.CheckLogin("v@example.com", "203.0.113.9").ok());
  EXPECT_FALSE(guard_.LoginFailed("v@example.com", "203.0.113.9").ok());
  EXPECT_FALSE(guard_.Registration("203.0.113.9").ok());
  EXPECT_FALSE(guard_.Unlock("v@example.com").ok());
}

}  // namespace
}  // namespace ascension::services
