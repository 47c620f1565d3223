#include "adapters/amqp/retry.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "common/log.hpp"

namespace ascension::amqp {

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt, double unit_random) {
  double cap = static_cast<double>(policy.max_backoff.count());
  double base = static_cast<double>(policy.initial_backoff.count()) *
                std::pow(std::max(1.0, policy.multiplier), std::max(0, attempt - 1));
  base = std::min(base, cap);
  double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  double r = std::clamp(unit_random, 0.0, 1.0);
  double delay = base * (1.0 - jitter + 2.0 * jitter * r);
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(std::max(0.0, delay))));
}

Result<Connection> ConnectWithRetry(const Url& url, const RetryPolicy& policy,
                                    const std::atomic<bool>* stop, const ConnectOptions& options) {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto stopped = [&] { return stop != nullptr && stop->load(); };
  Status last = Unavailable("AMQP connect to " + url.Redacted() + ": not attempted");
  for (int attempt = 1; policy.max_attempts == 0 || attempt <= policy.max_attempts; ++attempt) {
    if (stopped()) break;
    Result<Connection> conn = Connection::Open(url, options);
    if (conn.ok()) {
      if (attempt > 1) log::Info("amqp connected", {{"url", url.Redacted()}, {"attempt", attempt}});
      return conn;
    }
    last = conn.status();
    if (last.kind() != ErrorKind::kUnavailable) {
      log::Error("amqp connect failed", {{"url", url.Redacted()},
                                         {"attempt", attempt},
                                         {"error", last.ToString()},
                                         {"retrying", false}});
      return last;
    }
    bool final_attempt = policy.max_attempts != 0 && attempt >= policy.max_attempts;
    auto delay = BackoffDelay(policy, attempt, unit(rng));
    log::Warn("amqp connect failed", {{"url", url.Redacted()},
                                      {"attempt", attempt},
                                      {"error", last.ToString()},
                                      {"retrying", !final_attempt},
                                      {"retry_in_ms", final_attempt ? 0 : delay.count()}});
    if (final_attempt) break;
    auto until = std::chrono::steady_clock::now() + delay;
    while (!stopped() && std::chrono::steady_clock::now() < until) {
      auto left = until - std::chrono::steady_clock::now();
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(100)));
    }
  }
  if (stopped()) return Unavailable("AMQP connect to " + url.Redacted() + ": stopped");
  return last;
}

}  // namespace ascension::amqp
