// The API process's composition: its configuration, the adapters (PostgreSQL pools and
// repositories, the S3 object store, RabbitMQ publishers), the application services and the
// background units, the limiters, metrics and the WebSocket hub. Built once by the App and
// shared by the handlers: its members are themselves thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/postgres/pool.hpp"
#include "adapters/s3/client.hpp"
#include "adapters/s3/object_store.hpp"
#include "api/config.hpp"
#include "api/metered_storage.hpp"
#include "api/metrics.hpp"
#include "auth/argon2_hasher.hpp"
#include "auth/jwt.hpp"
#include "common/background_loop.hpp"
#include "http/rate_limiter.hpp"
#include "http/websocket_hub.hpp"
#include "ports/clock.hpp"
#include "ports/notifier.hpp"
#include "services/accounts.hpp"
#include "services/analyses.hpp"
#include "services/events_forwarder.hpp"
#include "services/ghosts.hpp"
#include "services/login_guard.hpp"
#include "services/profiles.hpp"
#include "services/programs.hpp"
#include "services/reaper.hpp"
#include "services/route_reaper.hpp"
#include "services/routes.hpp"
#include "services/stats.hpp"
#include "services/sweeper.hpp"
#include "services/videos.hpp"
#include "store/analyses.hpp"
#include "store/attempt_counters.hpp"
#include "store/ghosts.hpp"
#include "store/profiles.hpp"
#include "store/programs.hpp"
#include "store/routes.hpp"
#include "store/score_history.hpp"
#include "store/users.hpp"
#include "store/videos.hpp"

namespace ascension::api {

// The WebSocket hub as the events forwarder's notifier.
class HubNotifier final : public ports::Notifier {
 public:
  explicit HubNotifier(http::WebSocketHub& hub) : hub_(hub) {}
  int Notify(const std::string& user_id, const std::string& text) override {
    return hub_.Deliver(user_id, text);
  }

 private:
  http::WebSocketHub& hub_;
};

struct ApiContext {
  ApiConfig config;
  domain::Language default_language = domain::Language::kFr;

  // Adapters.
  std::unique_ptr<pg::Pool> db;       // primary: writes and read-your-writes
  std::unique_ptr<pg::Pool> db_read;  // replica when DATABASE_READ_URL is set
  std::optional<s3::Client> s3;
  std::unique_ptr<s3::S3ObjectStore> objects;
  std::unique_ptr<MeteredObjectStore> metered_objects;  // counts presigned URLs (metrics)
  ports::SystemClock clock;
  auth::JwtCodec jwt;
  auth::Argon2Hasher passwords;
  std::unique_ptr<store::PgUserRepository> users;
  std::unique_ptr<store::PgTokenRepository> tokens;
  std::unique_ptr<store::PgVideoRepository> video_rows;
  std::unique_ptr<MeteredVideoRepository> metered_video_rows;  // counts arrived uploads
  std::unique_ptr<store::PgProfileRepository> profile_rows;
  std::unique_ptr<store::PgProgramRepository> program_rows;
  std::unique_ptr<store::PgScoreHistory> scores;         // primary: programs see new analyses
  std::unique_ptr<store::PgScoreHistory> scores_reader;  // the statistics page
  std::unique_ptr<store::PgAnalysisRepository> analysis_rows;
  std::unique_ptr<store::PgOutboxRepository> outbox;
  std::unique_ptr<store::PgRouteRepository> route_rows;
  std::unique_ptr<store::PgGhostRepository> ghost_rows;
  std::unique_ptr<store::PgAttemptCounterRepository> attempt_counters;
  http::WebSocketHub hub;
  HubNotifier notifier{hub};

  // Services and background units (composed by Compose once storage is configured).
  std::unique_ptr<services::Accounts> accounts;
  std::unique_ptr<services::LoginGuard> login_guard;  // lock-out and registration limit
  std::unique_ptr<services::Videos> videos;
  std::unique_ptr<services::Profiles> profiles;
  std::unique_ptr<services::Programs> programs;
  std::unique_ptr<services::Stats> stats;
  std::unique_ptr<services::Analyses> analyses;
  std::unique_ptr<services::Sweeper> sweeper;
  std::unique_ptr<services::Reaper> reaper;
  std::unique_ptr<services::Ghosts> ghosts;
  services::RoutesOptions route_options;
  std::unique_ptr<services::Routes> routes;
  std::unique_ptr<services::RouteReaper> route_reaper;
  services::EventsForwarder forwarder{notifier};

  http::RateLimiter global_limiter;
  http::RateLimiter login_ip_limiter;
  http::RateLimiter ready_limiter;  // GET /ready per client address (issue 10 #13)
  ApiMetrics metrics;
  std::string openapi_json;

  // The background loops, for /ready (the relay and the forwarder must run) and /metrics. Set by
  // App::Start.
  std::vector<const BackgroundLoop*> loops;
  const BackgroundLoop* relay_loop = nullptr;
  const BackgroundLoop* forwarder_loop = nullptr;

  explicit ApiContext(ApiConfig c);
  pg::Pool& reader() { return db_read ? *db_read : *db; }
  // Creates the storage client, the repositories and the services.
  Status Compose();
};

}  // namespace ascension::api
