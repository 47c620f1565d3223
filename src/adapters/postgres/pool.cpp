#include "adapters/postgres/pool.hpp"

namespace ascension::pg {

Pool::Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Release(std::move(conn_));
}

Pool::Pool(std::string url, int size, std::chrono::milliseconds acquire_timeout)
    : url_(std::move(url)), size_(size), timeout_(acquire_timeout) {}

Result<Pool::Lease> Pool::Acquire() {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout_, [&] { return in_use_ < size_; }))
      return Unavailable("database pool exhausted");
    ++in_use_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (conn != nullptr && conn->StillUsable()) return Lease(this, std::move(conn));
  auto opened = Connection::Open(url_);
  if (!opened.ok()) {
    std::lock_guard lock(mu_);
    --in_use_;
    cv_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

void Pool::Release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  --in_use_;
  if (c->healthy()) idle_.push_back(std::move(c));
  cv_.notify_one();
}

int Pool::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

int Pool::idle() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(idle_.size());
}

}  // namespace ascension::pg
