// The transactional outbox: messages written in the same transaction as the change that needs
// them, published later by the relay with publisher confirms.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/status.hpp"
#include "domain/uuid.hpp"

namespace ascension::ports {

struct OutboxMessage {
  std::int64_t id = 0;   // assigned when stored
  std::string exchange;  // "" = the default exchange (routing_key is then the queue)
  std::string routing_key;
  std::string body;
  int priority = 0;
  std::optional<domain::Uuid> analysis_id;  // the analysis a job message is for
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;

  // Claims up to `batch` unsent messages in id order (rows locked with SKIP LOCKED, so several
  // relays never claim the same one), calls `publish` for each and marks it sent only when
  // `publish` returned ok. Stops at the first failure, which is recorded on that row. Returns how
  // many were sent, or the failure when none could be.
  virtual Result<int> Relay(int batch,
                            const std::function<Status(const OutboxMessage&)>& publish) = 0;
  // Unsent messages.
  virtual Result<int> Backlog() = 0;
};

}  // namespace ascension::ports
