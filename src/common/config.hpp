// Configuration from the environment. Every process reads its settings once at start through
// EnvReader; the first missing or malformed value stops the process with one clear line
// ("config error: JWT_SECRET must be at least 32 characters") and exit code 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ascension {

// Collects values from the environment, remembering the first problem.
class EnvReader {
 public:
  // A required string; `what` completes "NAME must be ..." when empty.
  std::string Required(const char* name);
  std::string Optional(const char* name, std::string fallback);
  // An integer in [min, max]; `fallback` when unset.
  std::int64_t Int(const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max);
  bool Bool(const char* name, bool fallback);
  // A comma-separated list; empty entries dropped, spaces trimmed.
  std::vector<std::string> List(const char* name);
  // Records a problem found by the caller's own validation.
  void Fail(std::string message);

  bool ok() const { return !error_.has_value(); }
  const std::optional<std::string>& error() const { return error_; }
  // If a problem was recorded, prints "config error: ..." to stderr and exits with status 2.
  void ExitOnError(const char* program) const;

 private:
  std::optional<std::string> error_;
};

// Settings shared by the API, the worker and the admin tool.
struct CommonConfig {
  std::string database_url;
  std::string database_read_url;  // empty → reads go to database_url
  std::string rabbitmq_url;
  std::string s3_endpoint;  // MINIO_ENDPOINT
  std::string s3_bucket;    // MINIO_BUCKET
  std::string s3_access_key;
  std::string s3_secret_key;
  std::string s3_region;
  std::string log_level;
};

CommonConfig ReadCommonConfig(EnvReader& env);

}  // namespace ascension
