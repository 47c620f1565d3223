// An in-memory AttemptCounterRepository for the LoginGuard's unit tests.
#pragma once

#include <map>
#include <mutex>

#include "ports/attempt_counters.hpp"

namespace ascension::services::testing {

class FakeAttemptCounters final : public ports::AttemptCounterRepository {
 public:
  Result<std::vector<ports::AttemptCounter>> Find(const std::vector<std::string>& keys) override {
    std::lock_guard l(mu_);
    if (!fail_.ok()) return fail_;
    std::vector<ports::AttemptCounter> out;
    for (const auto& k : keys)
      if (auto it = rows_.find(k); it != rows_.end()) out.push_back(it->second);
    return out;
  }
  Result<ports::AttemptCounter> Count(const std::string& key, domain::Time now,
                                      domain::Time window_start_before) override {
    std::lock_guard l(mu_);
    if (!fail_.ok()) return fail_;
    auto [it, fresh] = rows_.try_emplace(key);
    auto& c = it->second;
    c.key = key;
    if (fresh || c.window_start < window_start_before) {
      c.count = 1;
      c.window_start = now;
    } else {
      ++c.count;
    }
    return c;
  }
  Status Lock(const std::string& key, domain::Time until) override {
    std::lock_guard l(mu_);
    if (!fail_.ok()) return fail_;
    auto& c = rows_[key];
    c.key = key;
    if (!c.locked_until || *c.locked_until < until) c.locked_until = until;
    return Status::Ok();
  }
  Result<bool> Remove(const std::string& key) override {
    std::lock_guard l(mu_);
    if (!fail_.ok()) return fail_;
    return rows_.erase(key) > 0;
  }
  Result<int> Prune(domain::Time before, domain::Time now) override {
    std::lock_guard l(mu_);
    int n = 0;
    for (auto it = rows_.begin(); it != rows_.end();) {
      bool locked = it->second.locked_until && *it->second.locked_until > now;
      if (it->second.window_start < before && !locked) {
        it = rows_.erase(it);
        ++n;
      } else {
        ++it;
      }
    }
    return n;
  }

  void FailWith(Status s) {
    std::lock_guard l(mu_);
    fail_ = std::move(s);
  }
  size_t size() const {
    std::lock_guard l(mu_);
    return rows_.size();
  }
  bool Has(const std::string& key) const {
    std::lock_guard l(mu_);
    return rows_.count(key) > 0;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, ports::AttemptCounter> rows_;
  Status fail_ = Status::Ok();
};

}  // namespace ascension::services::testing
