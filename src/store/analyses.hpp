// Analyses and the job outbox in PostgreSQL (ports/analysis_repository.hpp, ports/outbox.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/postgres/pool.hpp"
#include "ports/analysis_repository.hpp"
#include "ports/outbox.hpp"

namespace ascension::store {

// A result document's encodings, computed once when it is stored (migration 0042): its quoted
// strong ETag (the first 32 hex digits of its SHA-256) and its gzip (RFC 1952) copy. The gzip
// copy is nullopt when zlib fails (no memory): the row is stored without it and the document is
// served uncompressed; nothing is lost and nothing throws. zlib takes at most `chunk` bytes per
// call (its counters are 32-bit), so a document of any size is compressed whole.
struct ResultEncodings {
  std::string etag;
  std::optional<std::string> gzip;
};
inline constexpr std::size_t kGzipChunk = std::size_t{1} << 30;
ResultEncodings EncodeResult(std::string_view document, std::size_t chunk = kGzipChunk);

class PgAnalysisRepository final : public ports::AnalysisRepository {
 public:
  PgAnalysisRepository(pg::Pool& primary, pg::Pool& reader) : db_(primary), reader_(reader) {}

  Result<domain::Analysis> CreateUnderQuota(const domain::Analysis& analysis,
                                            const std::string& object_key,
                                            domain::Time month_start, int quota,
                                            const ports::JobFor& job) override;
  Result<int> QuotaUsed(const domain::Uuid& user_id, domain::Time month_start) override;
  Result<std::optional<domain::Analysis>> FindOwned(const domain::Uuid& id,
                                                    const domain::Uuid& user_id,
                                                    bool with_result) override;
  Result<domain::PageOf<domain::Analysis>> ListOwned(const domain::Uuid& user_id,
                                                     const std::optional<std::string>& status,
                                                     const domain::Page& page) override;
  Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) override;
  // Reads the stored ETag and gzip copy (filling them first for a row stored without them).
  Result<std::optional<ports::StoredResult>> FindResult(
      const domain::Uuid& id, const domain::Uuid& user_id, bool accept_gzip,
      const std::optional<std::string>& if_none_match) override;

  Result<std::optional<domain::Analysis>> StartProcessing(const domain::Uuid& id,
                                                          std::optional<int> dispatch) override;
  Status UpdateProgress(const domain::Uuid& id, int progress, const std::string& stage) override;
  Status Complete(const domain::Uuid& id, const std::string& result_json, const std::string& hints,
                  std::int64_t processing_time_ms) override;
  Status Fail(const domain::Uuid& id, const std::string& error_code,
              const std::string& error_message) override;

  Result<ports::RecoveryCounts> ReapStuck(
      domain::Time stuck_before,
      const std::function<ports::StuckDecision(const domain::Analysis&, const std::string&)>& decide,
      bool dry_run) override;
  Result<int> RequeueLost(domain::Time sent_before, const ports::JobFor& job, bool dry_run) override;

 private:
  pg::Pool& db_;
  pg::Pool& reader_;
};

class PgOutboxRepository final : public ports::OutboxRepository {
 public:
  explicit PgOutboxRepository(pg::Pool& primary) : db_(primary) {}

  Result<int> Relay(int batch, const std::function<Status(const ports::OutboxMessage&)>& publish) override;
  Result<int> Backlog() override;

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
