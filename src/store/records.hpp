// Rows of the database as values, and their JSON forms in the HTTP API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/postgres/connection.hpp"

namespace ascension::store {

// RFC 3339 UTC text of a timestamptz column, for SELECT lists: ts(created_at) AS created_at.
std::string Ts(std::string_view column);

struct User {
  std::string id;
  std::string username;
  std::string email;
  std::string password_hash;
  std::string role;
  std::string tier;
  std::string language;
  bool ghost_mode = false;
  std::string created_at;
};

struct Video {
  std::string id;
  std::string user_id;
  std::string filename;
  std::string content_type;
  std::string object_key;
  std::string status;
  std::optional<std::int64_t> size_bytes;
  std::string created_at;
};

struct Analysis {
  std::string id;
  std::string user_id;
  std::string video_id;
  std::string job_id;
  std::string status;
  int progress = 0;
  std::string stage;
  std::string model;
  std::string language;
  std::optional<std::string> result_json;
  std::optional<std::string> hints;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<std::int64_t> processing_time_ms;
  int attempts = 0;
  int requeues = 0;
  int priority = 0;
  std::string created_at;
  std::optional<std::string> completed_at;
};

// SELECT lists matching the readers below.
extern const char* const kUserColumns;
extern const char* const kVideoColumns;
extern const char* const kAnalysisColumns;        // without result_json
extern const char* const kAnalysisColumnsFull;    // with result_json

User ReadUser(const pg::Rows& r, int row);
Video ReadVideo(const pg::Rows& r, int row);
Analysis ReadAnalysis(const pg::Rows& r, int row);

// JSON for the API. The user form includes quota figures when given.
nlohmann::json UserJson(const User& u, std::optional<int> quota_used = std::nullopt);
nlohmann::json VideoJson(const Video& v);
// The mobile app's analysis shape: result_json stays a JSON-encoded string.
nlohmann::json AnalysisJson(const Analysis& a);

}  // namespace ascension::store
