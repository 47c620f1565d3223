// Videos in PostgreSQL (ports/video_repository.hpp).
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/video_repository.hpp"

namespace ascension::store {

class PgVideoRepository final : public ports::VideoRepository {
 public:
  PgVideoRepository(pg::Pool& primary, pg::Pool& reader) : db_(primary), reader_(reader) {}

  Result<domain::Video> Create(const domain::Video& video) override;
  Result<std::optional<domain::Video>> FindOwned(const domain::Uuid& id,
                                                 const domain::Uuid& user_id) override;
  Result<domain::PageOf<domain::Video>> ListOwned(const domain::Uuid& user_id,
                                                  const domain::Page& page) override;
  Result<bool> MarkUploaded(const domain::Uuid& id, std::int64_t size_bytes) override;
  Result<std::vector<KeyOwner>> FindByObjectKeys(std::span<const std::string> keys) override;
  Result<domain::Video> MarkSaved(const domain::Uuid& id, const std::string& saved_key,
                                  std::int64_t size_bytes) override;
  Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) override;
  Result<std::vector<domain::Uuid>> IdsOfUser(const domain::Uuid& user_id) override;
  Result<std::vector<domain::Video>> FindExpiring(domain::Time created_before,
                                                  const std::optional<Cursor>& after,
                                                  int limit) override;
  Result<int> MarkExpired(std::span<const domain::Uuid> ids) override;

 private:
  pg::Pool& db_;
  pg::Pool& reader_;
};

}  // namespace ascension::store
