// The import from the original system in PostgreSQL (ports/legacy_import.hpp): its schema read
// through one connection to its database (read only: a READ ONLY transaction per query), and
// this system's tables written with INSERT ... ON CONFLICT (id) DO NOTHING.
#pragma once

#include <memory>

#include "adapters/postgres/connection.hpp"
#include "adapters/postgres/pool.hpp"
#include "ports/legacy_import.hpp"

namespace ascension::store {

class PgLegacySource final : public ports::LegacySource {
 public:
  explicit PgLegacySource(std::unique_ptr<pg::Connection> legacy) : db_(std::move(legacy)) {}

  Result<std::vector<ports::LegacyUser>> Users() override;
  Result<std::vector<ports::LegacyVideo>> VideosOf(const std::string& user_id) override;
  Result<std::vector<ports::LegacyAnalysis>> AnalysesOf(const std::string& video_id) override;

 private:
  Result<pg::Rows> Read(const std::string& sql, const std::vector<pg::Param>& params);
  std::unique_ptr<pg::Connection> db_;
};

class PgImportTarget final : public ports::ImportTarget {
 public:
  explicit PgImportTarget(pg::Pool& primary) : db_(primary) {}

  Result<std::optional<domain::Uuid>> AccountWithEmail(std::string_view email) override;
  Result<std::optional<domain::Uuid>> AccountWithUsername(std::string_view username) override;
  Result<ports::BatchOutcome> Write(const ports::ImportBatch& batch, bool dry_run) override;

 private:
  Result<std::optional<domain::Uuid>> IdWhere(const std::string& condition, std::string_view value);
  pg::Pool& db_;
};

}  // namespace ascension::store
