// Configuration from the environment. Each process reads its settings once at start, in one
// place (api/config.cpp, worker/config.cpp, the admin tool), through an EnvReader that takes
// every default, bound and choice from the settings table (settings.hpp); the first missing or
// malformed value stops the process with one clear line ("config error: JWT_SECRET must be at
// least 32 characters") and exit code 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ascension {

// Collects values from the environment, remembering the first problem.
class EnvReader {
 public:
  // ---- settings of the table (settings.hpp), by name ----
  // Text: the environment's value, else the table's default. A required setting that is unset
  // fails "NAME is not set". A name missing from the table fails "NAME is not a setting".
  std::string String(std::string_view name);
  // An integer within the table's bounds; `computed_default` when unset (for defaults the table
  // can only describe, such as "one per core"), else the table's default.
  std::int64_t Integer(std::string_view name, std::optional<std::int64_t> computed_default = {});
  bool Flag(std::string_view name);
  // A comma-separated list; empty entries dropped, spaces trimmed.
  std::vector<std::string> List(std::string_view name);
  // One of the table's choices.
  std::string Choice(std::string_view name);

  // ---- low-level reads of any variable ----
  std::string Required(const char* name);
  std::string Optional(const char* name, std::string fallback);
  // An integer in [min, max]; `fallback` when unset.
  std::int64_t Int(const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max);
  bool Bool(const char* name, bool fallback);

  // Records a problem found by the caller's own validation.
  void Fail(std::string message);

  bool ok() const { return !error_.has_value(); }
  const std::optional<std::string>& error() const { return error_; }
  // If a problem was recorded, prints "PROGRAM: config error: ..." to stderr and exits with 2.
  void ExitOnError(const char* program) const;

 private:
  std::optional<std::string> error_;
};

// Settings shared by the API, the worker and the admin tool.
struct CommonConfig {
  std::string database_url;
  std::string database_read_url;  // empty → reads go to database_url
  std::string rabbitmq_url;
  std::string s3_endpoint;         // MINIO_ENDPOINT: where the processes reach the store
  std::string s3_public_endpoint;  // S3_PUBLIC_ENDPOINT: where clients do (presigned URLs)
  std::string s3_bucket;           // MINIO_BUCKET
  std::string s3_access_key;       // MINIO_ROOT_USER: the bucket owner (storage-init, admin tasks)
  std::string s3_secret_key;
  std::string s3_presign_access_key;  // S3_PRESIGN_ACCESS_KEY; empty = s3_access_key
  std::string s3_presign_secret_key;
  // The API's and the worker's own credentials (S3_API_*, S3_WORKER_*), each confined to the
  // objects its process uses (s3/bucket_policy.hpp); empty = s3_access_key, with a warning.
  std::string s3_api_access_key;
  std::string s3_api_secret_key;
  std::string s3_worker_access_key;
  std::string s3_worker_secret_key;
  std::string s3_region;
  std::string log_level;
};

CommonConfig ReadCommonConfig(EnvReader& env);

}  // namespace ascension
