// Live connections of a user (the WebSocket hub) as the events forwarder sees them.
#pragma once

#include <string>

namespace ascension::ports {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Queues `text` on every live connection of the user; returns how many.
  virtual int Notify(const std::string& user_id, const std::string& text) = 0;
};

}  // namespace ascension::ports
