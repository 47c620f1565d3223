#include "api/context.hpp"

#include <algorithm>
#include <thread>

#include "common/log.hpp"

namespace ascension::api {
namespace {

auth::PasswordPool::Options HashingPool(const ApiConfig& c) {
  if (c.password_hash_workers > 0) {
    return {.workers = c.password_hash_workers, .queue = 2 * c.password_hash_workers};
  }
  return auth::PasswordPool::SizedFor(auth::PasswordPool::DefaultBudget(),
                                      std::thread::hardware_concurrency());
}

}  // namespace

ApiContext::ApiContext(ApiConfig c)
    : config(std::move(c)),
      default_language(config.default_language),
      jwt(config.jwt_secret, "ascension", "ascension-app", std::chrono::hours(1)),
      passwords(HashingPool(config)),
      global_limiter(config.rate_limit_per_minute, config.rate_limit_per_minute),
      login_ip_limiter(config.login_limit_per_minute, config.login_limit_per_minute),
      ready_limiter(config.ready_limit_per_minute,
                    std::min(ApiConfig::kReadyBurst, config.ready_limit_per_minute)) {
  db = std::make_unique<pg::Pool>(config.common.database_url, config.db_pool_size,
                                  std::chrono::seconds(5));
  if (!config.common.database_read_url.empty()) {
    db_read = std::make_unique<pg::Pool>(config.common.database_read_url, config.db_pool_size,
                                         std::chrono::seconds(5));
  }
}

Status ApiContext::Compose() {
  s3::Config sc = s3::ConfigFrom(config.common);
  sc.request_timeout = std::chrono::milliseconds(10000);
  // The API's own credential: the objects it heads, copies, deletes and lists, never the bucket's
  // configuration (s3/bucket_policy.hpp). Without it, the owner's.
  if (!config.common.s3_api_access_key.empty()) {
    sc.access_key = config.common.s3_api_access_key;
    sc.secret_key = config.common.s3_api_secret_key;
  }
  auto client = s3::Client::Create(sc);
  if (!client.ok()) return client.status();
  s3.emplace(std::move(client).value());
  if (config.common.s3_api_access_key.empty()) {
    log::Warn(
        "S3_API_ACCESS_KEY is not set: the API reaches the store with the bucket owner's "
        "credential (MINIO_ROOT_USER), which may also change the bucket's policy, lifecycle "
        "and CORS or delete it; see docs/operations.md#storage-credentials");
  }
  if (sc.presign_access_key.empty()) {
    log::Warn("S3_PRESIGN_ACCESS_KEY is not set: presigned URLs are signed with the main storage "
              "credential, which lets a client add unsigned directives (copy, ACL) to them; see "
              "docs/operations.md#storage-credentials");
  }
  objects = std::make_unique<s3::S3ObjectStore>(*s3);
  metered_objects = std::make_unique<MeteredObjectStore>(*objects, metrics);
  users = std::make_unique<store::PgUserRepository>(*db, reader());
  tokens = std::make_unique<store::PgTokenRepository>(*db);
  video_rows = std::make_unique<store::PgVideoRepository>(*db, reader());
  metered_video_rows = std::make_unique<MeteredVideoRepository>(*video_rows, metrics);
  analysis_rows = std::make_unique<store::PgAnalysisRepository>(*db, reader());
  outbox = std::make_unique<store::PgOutboxRepository>(*db);
  accounts = std::make_unique<services::Accounts>(*users, *tokens, *video_rows, *objects, passwords,
                                                  jwt, clock,
                                                  services::AccountsOptions{config.refresh_ttl});
  attempt_counters = std::make_unique<store::PgAttemptCounterRepository>(*db);
  login_guard = std::make_unique<services::LoginGuard>(
      *attempt_counters, clock,
      services::LoginGuardOptions{.account_threshold = config.login_lockout_threshold,
                                  .address_threshold = config.login_lockout_address_threshold,
                                  .base_lock = config.login_lockout,
                                  .max_lock = config.login_lockout_max,
                                  .registrations_per_window = config.register_limit_per_hour});
  videos = std::make_unique<services::Videos>(
      *video_rows, *metered_objects, clock,
      services::VideosOptions{config.presign_ttl, config.max_video_bytes});
  profile_rows = std::make_unique<store::PgProfileRepository>(*db);
  program_rows = std::make_unique<store::PgProgramRepository>(*db);
  scores = std::make_unique<store::PgScoreHistory>(*db);
  scores_reader = std::make_unique<store::PgScoreHistory>(reader());
  profiles = std::make_unique<services::Profiles>(*profile_rows);
  programs = std::make_unique<services::Programs>(*program_rows, *profile_rows, *scores, clock);
  stats = std::make_unique<services::Stats>(*scores_reader, clock);
  route_rows = std::make_unique<store::PgRouteRepository>(*db, reader());
  analyses = std::make_unique<services::Analyses>(
      *analysis_rows, *metered_video_rows, *users, *route_rows, *metered_objects, clock,
      services::AnalysesOptions{config.max_video_bytes, config.common.s3_bucket, default_language});
  // The metered rows: an upload the sweeper sees first is counted as arrived.
  sweeper = std::make_unique<services::Sweeper>(*metered_video_rows, *objects, clock,
                                                config.video_retention);
  reaper = std::make_unique<services::Reaper>(
      *analysis_rows, clock,
      services::ReaperOptions{config.reaper_timeout, config.reaper_max_requeues,
                              config.pending_requeue, config.common.s3_bucket});
  ghost_rows = std::make_unique<store::PgGhostRepository>(*db);
  ghosts = std::make_unique<services::Ghosts>(*users, *route_rows, *profile_rows, *ghost_rows, clock);
  route_options.presign_ttl = config.presign_ttl;
  route_options.bucket = config.common.s3_bucket;
  route_options.max_photo_bytes = config.max_route_photo_bytes;
  routes = std::make_unique<services::Routes>(*route_rows, *objects, clock, route_options);
  route_reaper = std::make_unique<services::RouteReaper>(
      *route_rows, clock,
      services::RouteReaperOptions{config.reaper_timeout, config.reaper_max_requeues,
                                   config.common.s3_bucket, default_language});
  return Status::Ok();
}

}  // namespace ascension::api
