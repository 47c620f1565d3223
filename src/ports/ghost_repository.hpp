// Route ghosts in storage (ghost mode, issue 14): one row per route, its job's life (outbox
// message, the worker's transitions). Errors are kUnavailable when the database cannot be
// reached and kDataLoss when a stored row cannot be read.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/status.hpp"
#include "domain/ghost.hpp"
#include "ports/outbox.hpp"

namespace ascension::ports {

// Builds the outbox message that queues a ghost's job (the ghost as it will be once queued).
using GhostJobFor = std::function<OutboxMessage(const domain::StoredGhost&)>;

class GhostRepository {
 public:
  virtual ~GhostRepository() = default;

  // ---- API ----
  // The route's ghost; nullopt when none was ever requested (or the route is gone).
  virtual Result<std::optional<domain::StoredGhost>> Find(const domain::Uuid& route_id) = 0;
  // Atomically (the route's ghost row locked): passes the current ghost (nullopt: none) to
  // `queue`; when it returns true, the ghost becomes `wanted` — status computing, wanted's
  // scale, requested fingerprint, job id and requested time, dispatch + 1, attempts 0, the error
  // cleared, the last document and its fingerprint kept — and the job's outbox message
  // `job(ghost)` is written in the same transaction. Returns the ghost as it now is.
  virtual Result<domain::StoredGhost> Request(
      const domain::StoredGhost& wanted,
      const std::function<bool(const std::optional<domain::StoredGhost>&)>& queue,
      const GhostJobFor& job) = 0;

  // ---- worker ----
  // The ghost, attempts + 1, when it is computing with this dispatch; nullopt otherwise (gone,
  // already computed or failed, or a stale copy of a re-queued job): the job is skipped.
  virtual Result<std::optional<domain::StoredGhost>> StartComputing(const domain::Uuid& route_id,
                                                                    int dispatch) = 0;
  // → ready with the document and the fingerprint of the inputs it was computed from. No change
  // (and false) unless it is still computing with this dispatch.
  virtual Result<bool> Complete(const domain::Uuid& route_id, int dispatch,
                                const std::string& fingerprint, const std::string& document) = 0;
  // → failed with the code and the user message, unless no longer computing with this dispatch.
  virtual Status Fail(const domain::Uuid& route_id, int dispatch, const std::string& error_code,
                      const std::string& error_message) = 0;
};

}  // namespace ascension::ports
