// The events forwarder: one job event from ascension.events to the WebSocket connections of the
// job's owner, as {"event":"analysis:progress|completed|failed","data":{...}}, and one route
// detection event (routing key holds.*) as {"event":"route:progress|detected|failed",...}, and one
// ghost event (routing key ghost.*) as {"event":"ghost:progress|ready|failed",...}. An event that
// cannot be read (wrong routing key, not JSON, a field of the wrong type) is dropped with a log
// line naming the field and counted; the forwarder goes on. Each family of events (routing-key
// prefix) has one decoder to {owner, event, data}; dropping and notifying are the same for all.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "ports/notifier.hpp"

namespace ascension::services {

class EventsForwarder {
 public:
  explicit EventsForwarder(ports::Notifier& notifier) : notifier_(notifier) {}

  // Returns how many connections received it (0 when dropped or nobody listens).
  int Forward(std::string_view routing_key, std::string_view body);

  std::int64_t dropped() const { return dropped_.load(); }
  std::int64_t delivered() const { return delivered_.load(); }

 private:
  ports::Notifier& notifier_;
  std::atomic<std::int64_t> dropped_{0};
  std::atomic<std::int64_t> delivered_{0};
};

}  // namespace ascension::services
