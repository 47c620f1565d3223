// Climber profiles in PostgreSQL (ports/profile_repository.hpp): one row of climber_profiles per
// climber who filled in anything (migration 0040).
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/profile_repository.hpp"

namespace ascension::store {

class PgProfileRepository final : public ports::ProfileRepository {
 public:
  explicit PgProfileRepository(pg::Pool& primary) : db_(primary) {}

  Result<domain::ClimberProfile> Find(const domain::Uuid& user_id) override;
  Result<domain::ClimberProfile> Update(
      const domain::Uuid& user_id,
      const std::function<Result<domain::ClimberProfile>(const domain::ClimberProfile&)>& change)
      override;

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
