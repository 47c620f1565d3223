#include "api/config.hpp"

#include <unistd.h>

#include "adapters/amqp/url.hpp"

namespace ascension::api {

ApiConfig ReadApiConfig(EnvReader& env) {
  ApiConfig c;
  c.common = ReadCommonConfig(env);
  if (env.ok() && c.common.s3_api_access_key.empty() && c.common.s3_access_key.empty())
    env.Fail("S3_API_ACCESS_KEY is not set, nor MINIO_ROOT_USER (the API's storage credential)");
  c.jwt_secret = env.String("JWT_SECRET");
  if (env.ok() && c.jwt_secret.size() < 32) env.Fail("JWT_SECRET must be at least 32 characters");
  c.bind_address = env.String("API_BIND");
  c.port = static_cast<int>(env.Integer("API_PORT"));
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  c.instance_id = env.String("INSTANCE_ID");
  if (c.instance_id.empty()) c.instance_id = std::string(host) + ":" + std::to_string(c.port);
  c.db_pool_size = static_cast<int>(env.Integer("DB_POOL_SIZE"));
  c.rate_limit_per_minute = static_cast<int>(env.Integer("RATE_LIMIT_PER_MINUTE"));
  c.login_limit_per_minute = static_cast<int>(env.Integer("LOGIN_RATE_LIMIT_PER_MINUTE"));
  c.ready_limit_per_minute = static_cast<int>(env.Integer("READY_RATE_LIMIT_PER_MINUTE"));
  c.login_lockout_threshold = static_cast<int>(env.Integer("LOGIN_LOCKOUT_THRESHOLD"));
  c.login_lockout_address_threshold =
      static_cast<int>(env.Integer("LOGIN_LOCKOUT_ADDRESS_THRESHOLD"));
  c.login_lockout = std::chrono::seconds(env.Integer("LOGIN_LOCKOUT_SECONDS"));
  c.login_lockout_max = std::chrono::seconds(env.Integer("LOGIN_LOCKOUT_MAX_SECONDS"));
  if (env.ok() && c.login_lockout_max < c.login_lockout)
    env.Fail("LOGIN_LOCKOUT_MAX_SECONDS must be at least LOGIN_LOCKOUT_SECONDS");
  c.register_limit_per_hour = static_cast<int>(env.Integer("REGISTER_RATE_LIMIT_PER_HOUR"));
  if (auto proxies = http::TrustedProxies::Parse(env.List("TRUSTED_PROXIES")); proxies.ok()) {
    c.trusted_proxies = std::move(proxies).value();
  } else {
    env.Fail(proxies.status().message());
  }
  c.password_hash_workers = static_cast<int>(env.Integer("PASSWORD_HASH_CONCURRENCY", 0));
  c.cors_origins = env.List("CORS_ALLOWED_ORIGINS");
  c.max_video_bytes = env.Integer("MAX_VIDEO_BYTES");
  c.max_route_photo_bytes = env.Integer("MAX_ROUTE_PHOTO_BYTES");
  c.max_body_bytes = static_cast<std::size_t>(env.Integer("MAX_BODY_BYTES"));
  c.video_retention = std::chrono::seconds(env.Integer("VIDEO_RETENTION_SECONDS"));
  c.sweep_interval = std::chrono::seconds(env.Integer("SWEEP_INTERVAL_SECONDS"));
  c.storage_usage_interval = std::chrono::seconds(env.Integer("STORAGE_USAGE_INTERVAL_SECONDS"));
  c.reaper_timeout = std::chrono::seconds(env.Integer("REAPER_TIMEOUT_SECONDS"));
  c.reaper_max_requeues = static_cast<int>(env.Integer("REAPER_MAX_REQUEUES"));
  c.openapi_path = env.String("OPENAPI_PATH");
  c.web_root = env.String("WEB_ROOT");
  if (c.web_root.empty()) c.web_root = ASCENSION_WEB_ROOT;
  c.max_video_seconds = env.Integer("MAX_VIDEO_SECONDS");
  c.default_language = *domain::ParseLanguage(env.Choice("DEFAULT_LANGUAGE"));
  c.pending_requeue = std::chrono::seconds(env.Integer("PENDING_REQUEUE_SECONDS"));
  // The connection URL is checked here, once: an unsupported one (amqps://) stops the process
  // at start with one line, instead of loops that never connect.
  if (env.ok()) {
    if (auto url = amqp::ParseUrl(c.common.rabbitmq_url); !url.ok())
      env.Fail("RABBITMQ_URL: " + url.status().message());
  }
  return c;
}

ApiConfig ReadApiConfig() {
  EnvReader env;
  ApiConfig c = ReadApiConfig(env);
  env.ExitOnError("ascension-api");
  return c;
}

}  // namespace ascension::api
