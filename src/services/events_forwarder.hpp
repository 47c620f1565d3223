// The events forwarder: one job event from ascension.events to the WebSocket connections of the
// job's owner, as {"event":"analysis:progress|completed|failed","data":{...}}, and one route
// detection event (routing key holds.*) as {"event":"route:progress|detected|failed",...}, and one
// ghost event (routing key ghost.*) as {"event":"ghost:progress|ready|failed",...}. An event that
// cannot be read (wrong routing key, not JSON, a field of the wrong type) is dropped with a log
// line naming the field and counted; the forwarder goes on. Each family of events (routing-key
// prefix) has one decoder to {owner, event, data}; dropping and notifying are the same for all.
//
// EventsForwarderLoop is the forwarder's BackgroundLoop round over the bus's events
// (ports/event_source.hpp): subscribe (waiting for the broker), forward each event until the
// subscription is lost or the process stops, and say whether it is consuming (/ready is 503
// while it is not).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "common/stopper.hpp"
#include "ports/event_source.hpp"
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

// What the loop reports (the loop's health and the API's metrics).
struct ForwarderObserver {
  std::function<void(bool)> consuming;  // true once subscribed; false when the round ends
  std::function<void(int)> forwarded;   // connections one event reached (when > 0)
  std::function<void()> dropped;        // one event that could not be read
};

class EventsForwarderLoop {
 public:
  EventsForwarderLoop(ports::EventSource& source, EventsForwarder& forwarder,
                      ForwarderObserver observer = {})
      : source_(source), forwarder_(forwarder), observer_(std::move(observer)) {}

  // One round; returns the delay before the next: 0 once stopped, 1 s after a refused
  // subscription, 250 ms after a lost one (the broker went away: reconnect soon).
  std::chrono::milliseconds Round(Wakeup& wakeup);

 private:
  ports::EventSource& source_;
  EventsForwarder& forwarder_;
  ForwarderObserver observer_;
};

}  // namespace ascension::services
