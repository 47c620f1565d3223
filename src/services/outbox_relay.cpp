#include "services/outbox_relay.hpp"

#include <algorithm>

#include "common/log.hpp"

namespace ascension::services {

namespace {

constexpr std::chrono::milliseconds kIdle{200};
constexpr std::chrono::milliseconds kFirstBackoff{250};
constexpr std::chrono::milliseconds kMaxBackoff{30000};

// 250 ms after the first failure, doubling after each further one, at most 30 s.
std::chrono::milliseconds BackoffAfter(int failures) {
  auto delay = kFirstBackoff * (1LL << std::clamp(failures - 1, 0, 7));
  return std::min<std::chrono::milliseconds>(delay, kMaxBackoff);
}

}  // namespace

std::chrono::milliseconds OutboxRelay::Round() {
  auto sent = RunOnce();
  if (auto backlog = Backlog(); backlog.ok() && observer_.backlog) observer_.backlog(*backlog);
  if (!sent.ok()) {
    ++failures_;
    auto delay = BackoffAfter(failures_);
    if (failures_ == 1 || failures_ % 10 == 0) {
      log::Warn("outbox relay cannot publish", {{"error", sent.status().message()},
                                                {"retry_ms", delay.count()},
                                                {"failures", failures_}});
    }
    return delay;
  }
  if (failures_ > 0) log::Info("outbox relay publishing again", {{"after_failures", failures_}});
  failures_ = 0;
  if (*sent > 0) {
    if (observer_.published) observer_.published(*sent);
    return std::chrono::milliseconds(0);  // drain the backlog before sleeping
  }
  return kIdle;
}

}  // namespace ascension::services
