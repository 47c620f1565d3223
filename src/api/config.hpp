// The API process's configuration: every setting it reads (settings.hpp), read and checked in
// ReadApiConfig and nowhere else.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "domain/language.hpp"
#include "http/trusted_proxies.hpp"

namespace ascension::api {

// Defaults here match the settings table (a unit test checks it); tests construct it directly.
struct ApiConfig {
  CommonConfig common;
  std::string jwt_secret;
  std::string bind_address = "0.0.0.0";
  int port = 8080;
  std::string instance_id;
  int db_pool_size = 16;
  int rate_limit_per_minute = 100;
  int login_limit_per_minute = 10;  // login attempts per IP per minute (in memory)
  // GET /ready per client address (in memory), in bursts of at most kReadyBurst.
  int ready_limit_per_minute = 600;  // READY_RATE_LIMIT_PER_MINUTE
  static constexpr int kReadyBurst = 20;
  // The lock-out after failed logins and the registration limit (LoginGuard, in PostgreSQL).
  int login_lockout_threshold = 5;            // LOGIN_LOCKOUT_THRESHOLD, per account
  int login_lockout_address_threshold = 20;   // LOGIN_LOCKOUT_ADDRESS_THRESHOLD, per address
  std::chrono::seconds login_lockout{30};     // LOGIN_LOCKOUT_SECONDS, the first lock
  std::chrono::seconds login_lockout_max{900};  // LOGIN_LOCKOUT_MAX_SECONDS
  int register_limit_per_hour = 30;           // REGISTER_RATE_LIMIT_PER_HOUR, per address
  http::TrustedProxies trusted_proxies;  // TRUSTED_PROXIES, parsed strictly
  int password_hash_workers = 0;         // PASSWORD_HASH_CONCURRENCY; 0 = from the memory limit
  std::vector<std::string> cors_origins;
  std::int64_t max_video_bytes = 500LL * 1024 * 1024;
  std::int64_t max_route_photo_bytes = 25LL * 1024 * 1024;  // MAX_ROUTE_PHOTO_BYTES
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds presign_ttl{15 * 60};
  std::chrono::hours refresh_ttl{24 * 30};
  std::chrono::seconds video_retention{7 * 24 * 3600};
  std::chrono::seconds sweep_interval{3600};
  std::chrono::seconds storage_usage_interval{300};  // between two measures of storage_bytes
  std::chrono::seconds reaper_timeout{15 * 60};
  int reaper_max_requeues = 3;
  std::string openapi_path;              // the OpenAPI document served at /openapi.json
  std::string web_root;                  // the built web client served at / (WEB_ROOT)
  std::int64_t max_video_seconds = 600;  // told to clients with each upload URL
  // Pending analyses whose job was handed to the broker this long ago are re-published (the
  // broker lost it).
  std::chrono::seconds pending_requeue{30 * 60};
  // Hints and profile language when neither the profile nor Accept-Language names one.
  domain::Language default_language = domain::Language::kFr;
};

// Reads ApiConfig from the environment; the first problem is in env.error().
ApiConfig ReadApiConfig(EnvReader& env);
// Reads it, or prints one line and exits with status 2.
ApiConfig ReadApiConfig();

}  // namespace ascension::api
