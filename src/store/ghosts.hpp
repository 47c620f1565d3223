// Route ghosts in PostgreSQL (ports/ghost_repository.hpp): table route_ghosts
// (schemas/postgresql/0030_route_ghosts.sql) and the ghost jobs' outbox rows.
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/ghost_repository.hpp"

namespace ascension::store {

class PgGhostRepository final : public ports::GhostRepository {
 public:
  explicit PgGhostRepository(pg::Pool& primary) : db_(primary) {}

  Result<std::optional<domain::StoredGhost>> Find(const domain::Uuid& route_id) override;
  Result<domain::StoredGhost> Request(
      const domain::StoredGhost& wanted,
      const std::function<bool(const std::optional<domain::StoredGhost>&)>& queue,
      const ports::GhostJobFor& job) override;
  Result<std::optional<domain::StoredGhost>> StartComputing(const domain::Uuid& route_id,
                                                            int dispatch) override;
  Result<bool> Complete(const domain::Uuid& route_id, int dispatch, const std::string& fingerprint,
                        const std::string& document) override;
  Status Fail(const domain::Uuid& route_id, int dispatch, const std::string& error_code,
              const std::string& error_message) override;

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
