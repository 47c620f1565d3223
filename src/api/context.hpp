// What every HTTP handler can reach: configuration, the database pools, storage, the token
// codec, limiters and metrics. Built once by the App and shared read-only (its members are
// themselves thread-safe).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/postgres/pool.hpp"
#include "adapters/s3/client.hpp"
#include "api/metrics.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "common/config.hpp"
#include "http/message.hpp"
#include "http/rate_limiter.hpp"
#include "http/websocket_hub.hpp"

namespace ascension::api {

struct ApiConfig {
  CommonConfig common;
  std::string jwt_secret;
  std::string bind_address = "0.0.0.0";
  int port = 8080;
  std::string instance_id;
  int db_pool_size = 16;
  int rate_limit_per_minute = 100;
  int login_limit_per_minute = 10;  // per IP, and per account
  std::vector<std::string> trusted_proxies;
  std::vector<std::string> cors_origins;
  std::int64_t max_video_bytes = 500LL * 1024 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds presign_ttl{15 * 60};
  std::chrono::hours refresh_ttl{24 * 30};
  std::chrono::seconds video_retention{7 * 24 * 3600};
  std::chrono::seconds sweep_interval{3600};
  std::chrono::seconds reaper_timeout{15 * 60};
  int reaper_max_requeues = 3;
  std::string openapi_path;  // the OpenAPI document served at /openapi.json
};

// Reads ApiConfig from the environment (see .env.example); exits with one line on error.
ApiConfig ReadApiConfig();

struct ApiContext {
  ApiConfig config;
  std::unique_ptr<pg::Pool> db;       // primary: writes and read-your-writes
  std::unique_ptr<pg::Pool> db_read;  // replica when DATABASE_READ_URL is set, else == db
  std::optional<s3::Client> s3;
  auth::JwtCodec jwt;
  auth::PasswordHasher passwords;
  http::RateLimiter global_limiter;
  http::RateLimiter login_ip_limiter;
  http::RateLimiter login_account_limiter;
  ApiMetrics metrics;
  http::WebSocketHub hub;
  std::string openapi_json;

  explicit ApiContext(ApiConfig c);
  pg::Pool& reader() { return db_read ? *db_read : *db; }
};

// ---- helpers shared by handlers ----

// Maps a Status to the error response (kind → HTTP status, snake_case code).
http::Response FromStatus(const Status& s);

// The body as a JSON object: 415 unless Content-Type is application/json, 400 when malformed
// or not an object. On failure `error` holds the response to send.
std::optional<nlohmann::json> JsonBody(const http::Request& req, http::Response* error);

// Reads a string field. Missing (when required) or of another type → 422 naming the field.
std::optional<std::string> StringField(const nlohmann::json& body, const char* name, bool required,
                                       http::Response* error);

// page/per_page query parameters: page ≥ 1, 1 ≤ per_page ≤ 100 (default 20); 422 otherwise.
struct Page {
  int page = 1;
  int per_page = 20;
  int offset() const { return (page - 1) * per_page; }
};
std::optional<Page> PageParams(const http::Request& req, http::Response* error);
nlohmann::json PageJson(const Page& p, std::int64_t total);

}  // namespace ascension::api
