// What every HTTP handler can reach: the configuration, the application services, the limiters
// and metrics, and (for the routes not yet moved into a service) the database pools and storage.
// Built once by the App (app.cpp composes it) and shared read-only: its members are themselves
// thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/postgres/pool.hpp"
#include "adapters/s3/client.hpp"
#include "adapters/s3/object_store.hpp"
#include "api/config.hpp"
#include "api/metrics.hpp"
#include "auth/argon2_hasher.hpp"
#include "auth/jwt.hpp"
#include "http/rate_limiter.hpp"
#include "http/websocket_hub.hpp"
#include "ports/clock.hpp"
#include "services/accounts.hpp"
#include "services/profiles.hpp"
#include "services/programs.hpp"
#include "services/stats.hpp"
#include "services/videos.hpp"
#include "store/profiles.hpp"
#include "store/programs.hpp"
#include "store/score_history.hpp"
#include "store/users.hpp"
#include "store/videos.hpp"

namespace ascension::api {

struct ApiContext {
  ApiConfig config;
  domain::Language default_language = domain::Language::kFr;

  // Adapters.
  std::unique_ptr<pg::Pool> db;       // primary: writes and read-your-writes
  std::unique_ptr<pg::Pool> db_read;  // replica when DATABASE_READ_URL is set
  std::optional<s3::Client> s3;
  std::unique_ptr<s3::S3ObjectStore> objects;
  ports::SystemClock clock;
  auth::JwtCodec jwt;
  auth::Argon2Hasher passwords;
  std::unique_ptr<store::PgUserRepository> users;
  std::unique_ptr<store::PgTokenRepository> tokens;
  std::unique_ptr<store::PgVideoRepository> video_rows;
  std::unique_ptr<store::PgProfileRepository> profile_rows;
  std::unique_ptr<store::PgProgramRepository> program_rows;
  std::unique_ptr<store::PgScoreHistory> scores;         // primary: programs see new analyses
  std::unique_ptr<store::PgScoreHistory> scores_reader;  // the statistics page

  // Services (composed by App::Start once storage is configured).
  std::unique_ptr<services::Accounts> accounts;
  std::unique_ptr<services::Videos> videos;
  std::unique_ptr<services::Profiles> profiles;
  std::unique_ptr<services::Programs> programs;
  std::unique_ptr<services::Stats> stats;

  http::RateLimiter global_limiter;
  http::RateLimiter login_ip_limiter;
  http::RateLimiter login_account_limiter;
  ApiMetrics metrics;
  http::WebSocketHub hub;
  std::string openapi_json;

  explicit ApiContext(ApiConfig c);
  pg::Pool& reader() { return db_read ? *db_read : *db; }
  // Creates the storage client, the repositories and the services.
  Status Compose();
};

}  // namespace ascension::api
