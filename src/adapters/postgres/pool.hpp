// A fixed-size pool of PostgreSQL connections shared by request handlers. Connections are
// opened lazily, checked when taken from the idle list, and dropped when broken, so the pool
// heals by itself after a database restart.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/postgres/connection.hpp"

namespace ascension::pg {

class Pool {
 public:
  // A connection borrowed from the pool; returned when the lease is destroyed.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Pool(std::string url, int size, std::chrono::milliseconds acquire_timeout);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Waits up to the acquire timeout for a free slot; opens a connection if none is idle.
  // kUnavailable when the pool is exhausted or the database unreachable.
  Result<Lease> Acquire();

  int size() const { return size_; }
  int in_use() const;
  int idle() const;

 private:
  void Release(std::unique_ptr<Connection> c);

  const std::string url_;
  const int size_;
  const std::chrono::milliseconds timeout_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int in_use_ = 0;
};

}  // namespace ascension::pg
