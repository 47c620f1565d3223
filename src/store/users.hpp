// Accounts and refresh tokens in PostgreSQL (ports/user_repository.hpp,
// ports/token_repository.hpp).
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/token_repository.hpp"
#include "ports/user_repository.hpp"

namespace ascension::store {

class PgUserRepository final : public ports::UserRepository {
 public:
  // Writes and reads that must see them go to `primary`; listings to `reader` (a replica, or the
  // primary again).
  PgUserRepository(pg::Pool& primary, pg::Pool& reader) : db_(primary), reader_(reader) {}

  Result<domain::User> Create(const domain::User& user) override;
  Result<std::optional<domain::User>> FindById(const domain::Uuid& id) override;
  Result<std::optional<domain::User>> FindByEmail(std::string_view email) override;
  Result<std::optional<ports::UserWithQuota>> FindWithQuota(const domain::Uuid& id,
                                                            domain::Time month_start) override;
  Result<std::optional<domain::User>> Update(const domain::Uuid& id,
                                             const domain::UserChanges& changes) override;
  Result<bool> Delete(const domain::Uuid& id) override;
  Result<domain::PageOf<domain::User>> List(const domain::Page& page) override;

 private:
  pg::Pool& db_;
  pg::Pool& reader_;
};

class PgTokenRepository final : public ports::TokenRepository {
 public:
  explicit PgTokenRepository(pg::Pool& primary) : db_(primary) {}

  Status Insert(const domain::Uuid& user_id, const domain::Uuid& family_id,
                std::string_view token_hash, domain::Time expires_at) override;
  Result<ports::TokenRotation> Rotate(std::string_view hash, std::string_view next_hash,
                                      domain::Time now, domain::Time next_expires_at) override;
  Status RevokeFamily(const domain::Uuid& family_id) override;
  Status RevokeFamilyOf(std::string_view hash, const domain::Uuid& user_id) override;
  Status RevokeAll(const domain::Uuid& user_id) override;

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
