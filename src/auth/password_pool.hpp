// Password hashing and verification (Argon2id, 64 MiB and a few hundred milliseconds each) on its
// own small pool of threads. Run on the request threads, a burst of 60 logins took the API from
// 45 to 840 MB and made /health wait seconds. Here at most `workers` calls run at once and at
// most `queue` more wait their turn; a call beyond that, or one that waited longer than
// `max_wait`, is refused at once with kUnavailable ("busy"), which the API answers with 503 and
// Retry-After. The request thread waits for its own call only, so the wait is bounded too.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "auth/password.hpp"
#include "common/status.hpp"

namespace ascension::auth {

class PasswordPool {
 public:
  struct Options {
    int workers = 1;
    int queue = 2;
    std::chrono::milliseconds max_wait{2000};
  };

  // As many workers as fit in `memory_budget_bytes` at 64 MiB each, at most one per core and at
  // least one; room for twice as many waiting calls.
  static Options SizedFor(std::uint64_t memory_budget_bytes, unsigned cores);
  // The memory hashing may use when nothing is configured: a quarter of what this process may
  // use (the cgroup's memory.max when set, else the machine's physical memory).
  static std::uint64_t DefaultBudget();

  PasswordPool(const PasswordHasher& hasher, Options options);
  // Refuses what still waits (kUnavailable), lets running calls finish, joins the threads.
  ~PasswordPool();
  PasswordPool(const PasswordPool&) = delete;
  PasswordPool& operator=(const PasswordPool&) = delete;

  // An encoded Argon2id hash of `password`; kUnavailable when busy.
  Result<std::string> Hash(std::string_view password);
  // Whether `password` matches `encoded` (nullptr: an unknown account, verified against a dummy
  // hash at the same cost, always false); kUnavailable when busy.
  Result<bool> Verify(std::string_view password, const std::string* encoded);

  const Options& options() const { return options_; }

 private:
  struct Task {
    std::function<void()> run;     // does the work and records the result
    std::function<void()> refuse;  // records "busy" instead
    std::chrono::steady_clock::time_point queued_at;
  };
  // Queues `task` and waits until it ran or was refused; false when the queue was full.
  bool RunAndWait(Task task, std::function<bool()> done, std::unique_lock<std::mutex>& lock);
  void Work();

  const PasswordHasher& hasher_;
  const Options options_;
  std::mutex mu_;
  std::condition_variable work_cv_;   // a task was queued, or stopping
  std::condition_variable done_cv_;   // a task finished or was refused
  std::deque<Task> queue_;            // guarded by mu_
  bool stopping_ = false;             // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace ascension::auth
