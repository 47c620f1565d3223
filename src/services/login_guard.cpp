#include "services/login_guard.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::services {
namespace {

std::string AccountKey(std::string_view email) {
  return "account:" + Lowercase(email);
}
std::string AddressKey(std::string_view address) {
  return "address:" + std::string(address);
}

std::chrono::seconds Until(domain::Time until, domain::Time now) {
  auto left = std::chrono::ceil<std::chrono::seconds>(until - now);
  return std::max(left, std::chrono::seconds(1));
}

}  // namespace

LoginGuard::LoginGuard(ports::AttemptCounterRepository& counters, const ports::Clock& clock,
                       LoginGuardOptions options)
    : counters_(counters), clock_(clock), options_(options) {}

std::chrono::seconds LoginGuard::LockFor(int count, int threshold) const {
  // base · 2^(count − threshold), at most max_lock (the shift is bounded before it can overflow).
  int doublings = std::min(count - threshold, 30);
  auto lock = options_.base_lock;
  for (int i = 0; i < doublings && lock < options_.max_lock; ++i) lock *= 2;
  return std::min(lock, options_.max_lock);
}

Result<GuardVerdict> LoginGuard::CheckLogin(std::string_view email, std::string_view address) {
  const std::string account = AccountKey(email), from = AddressKey(address);
  auto found = counters_.Find({account, from});
  if (!found.ok()) return found.status();
  const domain::Time now = clock_.Now();
  const domain::Time window_start = now - options_.window;
  std::optional<domain::Time> account_lock, address_lock;
  bool address_failing = false;
  for (const auto& c : *found) {
    bool locked = c.locked_until && *c.locked_until > now;
    if (c.key == from) {
      if (locked) address_lock = c.locked_until;
      address_failing = c.count > 0 && c.window_start >= window_start;
    } else if (c.key == account && locked) {
      account_lock = c.locked_until;
    }
  }
  GuardVerdict v;
  if (address_lock) {
    v.allowed = false;
    v.retry_after = Until(*address_lock, now);
  }
  if (account_lock && address_failing) {
    v.allowed = false;
    v.retry_after = std::max(v.retry_after, Until(*account_lock, now));
  }
  return v;
}

Status LoginGuard::CountFailure(const std::string& key, int threshold) {
  const domain::Time now = clock_.Now();
  auto c = counters_.Count(key, now, now - options_.window);
  if (!c.ok()) return c.status();
  if (c->count < threshold) return Status::Ok();
  auto lock = LockFor(c->count, threshold);
  log::Warn("login locked", {{"key_kind", key.substr(0, key.find(':'))},
                             {"failures", c->count},
                             {"seconds", static_cast<std::int64_t>(lock.count())}});
  return counters_.Lock(key, now + lock);
}

Status LoginGuard::LoginFailed(std::string_view email, std::string_view address) {
  Status by_account = CountFailure(AccountKey(email), options_.account_threshold);
  Status by_address = CountFailure(AddressKey(address), options_.address_threshold);
  return by_account.ok() ? by_address : by_account;
}

Result<GuardVerdict> LoginGuard::Registration(std::string_view address) {
  const domain::Time now = clock_.Now();
  auto c =
      counters_.Count("register:" + std::string(address), now, now - options_.registration_window);
  if (!c.ok()) return c.status();
  GuardVerdict v;
  if (c->count > options_.registrations_per_window) {
    v.allowed = false;
    v.retry_after = Until(c->window_start + options_.registration_window, now);
  }
  return v;
}

Result<bool> LoginGuard::Unlock(std::string_view email) {
  auto removed = counters_.Remove(AccountKey(email));
  if (removed.ok() && *removed) log::Info("login unlocked", {{"key_kind", "account"}});
  return removed;
}

Result<int> LoginGuard::Prune() {
  const domain::Time now = clock_.Now();
  auto oldest = std::max(options_.window, options_.registration_window);
  return counters_.Prune(now - oldest, now);
}

}  // namespace ascension::services
