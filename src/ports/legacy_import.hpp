// What the import from the original system (Rust API + Python worker) reads and writes:
//  - LegacySource: its PostgreSQL schema, read only — users(id TEXT, email, username,
//    password_hash, role, created_at, ...), videos(id TEXT, user_id, object_key, bucket,
//    filename, status, created_at, ...), analyses(id TEXT, video_id, job_id, status, result_json
//    TEXT, processing_time_ms, completed_at, progress, hints, created_at, ...);
//  - LegacyObjects: its videos in the S3 service, and this system's bucket they are copied to;
//  - ImportTarget: this system's accounts, videos and analyses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "domain/account.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::ports {

struct LegacyUser {
  std::string id;
  std::string email;
  std::string username;
  std::string password_hash;
  std::string role;
  std::optional<domain::Time> created_at;
};

struct LegacyVideo {
  std::string id;
  std::string user_id;
  std::string object_key;
  std::string bucket;
  std::string filename;
  std::string status;
  std::optional<domain::Time> created_at;
};

struct LegacyAnalysis {
  std::string id;
  std::string video_id;
  std::string job_id;
  std::string status;
  std::optional<std::string> result_json;
  std::optional<std::string> hints;
  std::optional<std::int64_t> processing_time_ms;
  std::optional<std::int64_t> progress;
  std::optional<domain::Time> created_at;
  std::optional<domain::Time> completed_at;
};

class LegacySource {
 public:
  virtual ~LegacySource() = default;
  // Every account, oldest first (ties by id): the order decides which of two accounts with the
  // same email is imported.
  virtual Result<std::vector<LegacyUser>> Users() = 0;
  virtual Result<std::vector<LegacyVideo>> VideosOf(const std::string& user_id) = 0;
  virtual Result<std::vector<LegacyAnalysis>> AnalysesOf(const std::string& video_id) = 0;
};

class LegacyObjects {
 public:
  virtual ~LegacyObjects() = default;
  // The size of an object of the original store; kNotFound when it is not there.
  virtual Result<std::uint64_t> Size(const std::string& bucket, const std::string& key) const = 0;
  // Whether this system's bucket already holds `key` (copied by an earlier run).
  virtual Result<bool> Exists(const std::string& key) const = 0;
  // Server-side copy of bucket/key to `to_key` in this system's bucket.
  virtual Status CopyIn(const std::string& bucket, const std::string& key,
                        const std::string& to_key) const = 0;
};

struct ImportedVideo {
  domain::Uuid id;
  std::string filename;
  std::string content_type;
  std::string object_key;
  std::string status;  // saved | expired (its object was missing)
  std::optional<std::uint64_t> size_bytes;
  domain::Time created_at{};
};

struct ImportedAnalysis {
  domain::Uuid id;
  domain::Uuid video_id;
  domain::Uuid job_id;
  std::string status;  // completed | failed
  int progress = 0;
  std::string language;
  std::optional<std::string> result_json;
  std::optional<std::string> hints;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<std::int64_t> processing_time_ms;
  domain::Time created_at{};
  std::optional<domain::Time> completed_at;
};

// One account with everything it owns: written in one transaction.
struct ImportBatch {
  domain::User user;  // id, username, email, password_hash, role, created_at
  std::vector<ImportedVideo> videos;
  std::vector<ImportedAnalysis> analyses;
};

struct BatchOutcome {
  bool user_inserted = false;
  int videos_inserted = 0;
  int analyses_inserted = 0;
};

class ImportTarget {
 public:
  virtual ~ImportTarget() = default;
  // The account holding this email / username (both compared case-insensitively), if any.
  virtual Result<std::optional<domain::Uuid>> AccountWithEmail(std::string_view email) = 0;
  virtual Result<std::optional<domain::Uuid>> AccountWithUsername(std::string_view username) = 0;
  // Inserts the rows of `batch` that are not there yet (same id), in one transaction; with
  // `dry_run` the transaction is rolled back and only the counts remain.
  virtual Result<BatchOutcome> Write(const ImportBatch& batch, bool dry_run) = 0;
};

}  // namespace ascension::ports
