#include "auth/password_pool.hpp"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>

namespace ascension::auth {
namespace {

constexpr std::uint64_t kPerHashBytes = 64ull * 1024 * 1024;  // PasswordHasher's memory limit

Status Busy() { return Status(ErrorKind::kUnavailable, "password hashing is busy, retry shortly", "busy"); }

// A copy of the password that is wiped when the task is done with it.
struct Secret {
  explicit Secret(std::string_view s) : text(s) {}
  ~Secret() { sodium_memzero(text.data(), text.size()); }
  std::string text;
};

std::optional<std::uint64_t> ReadLimit(const char* path) {
  std::ifstream f(path);
  std::string v;
  if (!(f >> v) || v.empty() || v == "max") return std::nullopt;
  if (!std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) || v.size() > 19) return std::nullopt;
  std::uint64_t n = std::stoull(v);
  // cgroup v1 reports "no limit" as a huge page-aligned number.
  if (n == 0 || n >= (1ull << 60)) return std::nullopt;
  return n;
}

}  // namespace

PasswordPool::Options PasswordPool::SizedFor(std::uint64_t memory_budget_bytes, unsigned cores) {
  Options o;
  std::uint64_t fit = memory_budget_bytes / kPerHashBytes;
  o.workers = static_cast<int>(std::clamp<std::uint64_t>(fit, 1, std::max(1u, cores)));
  o.queue = 2 * o.workers;
  return o;
}

std::uint64_t PasswordPool::DefaultBudget() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  std::uint64_t limit = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                                              : 4 * kPerHashBytes;
  for (const char* p : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    if (auto l = ReadLimit(p)) limit = std::min(limit, *l);
  }
  return limit / 4;
}

PasswordPool::PasswordPool(const PasswordHasher& hasher, Options options)
    : hasher_(hasher), options_(options) {
  for (int i = 0; i < std::max(1, options_.workers); ++i) threads_.emplace_back([this] { Work(); });
}

PasswordPool::~PasswordPool() {
  std::deque<Task> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    left.swap(queue_);
    for (auto& t : left) t.refuse();
  }
  work_cv_.notify_all();
  done_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void PasswordPool::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    Task task = std::move(queue_.front());
    queue_.pop_front();
    bool stale = std::chrono::steady_clock::now() - task.queued_at > options_.max_wait;
    if (stale) {
      task.refuse();
    } else {
      lock.unlock();
      task.run();
      lock.lock();
    }
    done_cv_.notify_all();
  }
}

bool PasswordPool::RunAndWait(Task task, std::function<bool()> done, std::unique_lock<std::mutex>& lock) {
  if (stopping_ || queue_.size() >= static_cast<size_t>(std::max(0, options_.queue))) return false;
  task.queued_at = std::chrono::steady_clock::now();
  queue_.push_back(std::move(task));
  work_cv_.notify_one();
  done_cv_.wait(lock, done);
  return true;
}

Result<std::string> PasswordPool::Hash(std::string_view password) {
  auto secret = std::make_shared<Secret>(password);
  std::optional<Result<std::string>> out;  // written by a worker under mu_
  Task task;
  task.run = [&, secret] {
    Result<std::string> r = hasher_.Hash(secret->text);
    std::lock_guard lock(mu_);
    out.emplace(std::move(r));
  };
  task.refuse = [&] { out.emplace(Busy()); };  // called with mu_ held
  std::unique_lock lock(mu_);
  if (!RunAndWait(std::move(task), [&] { return out.has_value(); }, lock)) return Busy();
  return std::move(*out);
}

Result<bool> PasswordPool::Verify(std::string_view password, const std::string* encoded) {
  auto secret = std::make_shared<Secret>(password);
  std::optional<Result<bool>> out;
  Task task;
  task.run = [&, secret] {
    bool ok = hasher_.Verify(secret->text, encoded);
    std::lock_guard lock(mu_);
    out.emplace(ok);
  };
  task.refuse = [&] { out.emplace(Busy()); };
  std::unique_lock lock(mu_);
  if (!RunAndWait(std::move(task), [&] { return out.has_value(); }, lock)) return Busy();
  return std::move(*out);
}

}  // namespace ascension::auth
