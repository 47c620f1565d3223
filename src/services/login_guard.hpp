// Login lock-out and the registration limit (issue 10 #8, #7's "register rate-limited like
// login"), counted in PostgreSQL (ports::AttemptCounterRepository) so that every API instance
// agrees.
//
// Rules held here:
// - Failed logins are counted per account (the canonical, lower-case email, whether or not such
//   an account exists, so the answer never tells) and per client address, in a window
//   (`window`, from the first failure) after which they are forgotten.
// - From `account_threshold` failures on an account, and from `address_threshold` failures from
//   an address, that key is locked for `base_lock` doubled at each further failure, at most
//   `max_lock`. A lock ends by itself, or by Unlock (below).
// - A locked address is refused whatever it sends (a correct password included).
// - A locked account is refused to every address that has failed a login in the window (the
//   attacker, a correct password included), but not to an address with no failure: the owner on
//   another network still logs in while someone is guessing (an attacker with many addresses gets
//   one guess per fresh address, and each guess lengthens the lock).
// - An account's failures and lock are also forgotten at once by Unlock: an operator's
//   `ascension-admin unlock EMAIL`, and a password change. The addresses' counters stay (a
//   guessing address is still counted and locked by its own failures).
// - Refused attempts are not verified and not counted.
// - Registrations (every attempt, so the 409 "email exists" cannot be probed in bulk) are counted
//   per client address: beyond `registrations_per_window` in `registration_window`, refused until
//   the window ends.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "ports/attempt_counters.hpp"
#include "ports/clock.hpp"

namespace ascension::services {

struct LoginGuardOptions {
  int account_threshold = 5;           // LOGIN_LOCKOUT_THRESHOLD
  int address_threshold = 20;          // LOGIN_LOCKOUT_ADDRESS_THRESHOLD
  std::chrono::seconds base_lock{30};  // LOGIN_LOCKOUT_SECONDS
  std::chrono::seconds max_lock{900};  // LOGIN_LOCKOUT_MAX_SECONDS
  std::chrono::seconds window{3600};   // failures are forgotten this long after the first
  int registrations_per_window = 30;   // REGISTER_RATE_LIMIT_PER_HOUR
  std::chrono::seconds registration_window{3600};
};

// Whether an attempt may go on; when not, how long to wait (at least one second).
struct GuardVerdict {
  bool allowed = true;
  std::chrono::seconds retry_after{0};
};

class LoginGuard {
 public:
  LoginGuard(ports::AttemptCounterRepository& counters, const ports::Clock& clock,
             LoginGuardOptions options = {});

  // Before verifying a password: whether `email` may be tried from `address` now.
  Result<GuardVerdict> CheckLogin(std::string_view email, std::string_view address);
  // After a wrong password (or an unknown email): counts the failure, locks when due.
  Status LoginFailed(std::string_view email, std::string_view address);
  // Counts one registration attempt from `address`; refused beyond the limit.
  Result<GuardVerdict> Registration(std::string_view address);
  // Forgets the failed logins and the lock of the account `email` (any case); returns whether
  // it had any.
  Result<bool> Unlock(std::string_view email);
  // Forgets counters past their window with no lock left (called by the sweeper loop).
  Result<int> Prune();

  const LoginGuardOptions& options() const { return options_; }

 private:
  std::chrono::seconds LockFor(int count, int threshold) const;
  Status CountFailure(const std::string& key, int threshold);

  ports::AttemptCounterRepository& counters_;
  const ports::Clock& clock_;
  LoginGuardOptions options_;
};

}  // namespace ascension::services
