#include "api/context.hpp"

#include <unistd.h>

#include <cctype>

namespace ascension::api {

ApiConfig ReadApiConfig() {
  EnvReader env;
  ApiConfig c;
  c.common = ReadCommonConfig(env);
  c.jwt_secret = env.Required("JWT_SECRET");
  if (env.ok() && c.jwt_secret.size() < 32) env.Fail("JWT_SECRET must be at least 32 characters");
  c.bind_address = env.Optional("API_BIND", "0.0.0.0");
  c.port = static_cast<int>(env.Int("API_PORT", 8080, 0, 65535));
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  c.instance_id = env.Optional("INSTANCE_ID", std::string(host) + ":" + std::to_string(c.port));
  c.db_pool_size = static_cast<int>(env.Int("DB_POOL_SIZE", 16, 1, 500));
  c.rate_limit_per_minute = static_cast<int>(env.Int("RATE_LIMIT_PER_MINUTE", 100, 1, 1000000));
  c.login_limit_per_minute = static_cast<int>(env.Int("LOGIN_RATE_LIMIT_PER_MINUTE", 10, 1, 1000000));
  c.trusted_proxies = env.List("TRUSTED_PROXIES");
  c.cors_origins = env.List("CORS_ALLOWED_ORIGINS");
  c.max_video_bytes = env.Int("MAX_VIDEO_BYTES", 500LL * 1024 * 1024, 1, 1LL << 40);
  c.max_body_bytes = static_cast<std::size_t>(env.Int("MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024));
  c.video_retention = std::chrono::seconds(env.Int("VIDEO_RETENTION_SECONDS", 7 * 24 * 3600, 1, 10LL * 365 * 24 * 3600));
  c.sweep_interval = std::chrono::seconds(env.Int("SWEEP_INTERVAL_SECONDS", 3600, 1, 7 * 24 * 3600));
  c.reaper_timeout = std::chrono::seconds(env.Int("REAPER_TIMEOUT_SECONDS", 15 * 60, 1, 7 * 24 * 3600));
  c.reaper_max_requeues = static_cast<int>(env.Int("REAPER_MAX_REQUEUES", 3, 0, 100));
  c.openapi_path = env.Optional("OPENAPI_PATH", "");
  env.ExitOnError("ascension-api");
  return c;
}

ApiContext::ApiContext(ApiConfig c)
    : config(std::move(c)),
      jwt(config.jwt_secret, "ascension", "ascension-app", std::chrono::hours(1)),
      global_limiter(config.rate_limit_per_minute, config.rate_limit_per_minute),
      login_ip_limiter(config.login_limit_per_minute, config.login_limit_per_minute),
      login_account_limiter(config.login_limit_per_minute / 2 + 1, config.login_limit_per_minute / 2 + 1) {
  db = std::make_unique<pg::Pool>(config.common.database_url, config.db_pool_size, std::chrono::seconds(5));
  if (!config.common.database_read_url.empty()) {
    db_read = std::make_unique<pg::Pool>(config.common.database_read_url, config.db_pool_size,
                                         std::chrono::seconds(5));
  }
}

http::Response FromStatus(const Status& s) {
  switch (s.kind()) {
    case ErrorKind::kOk: return http::Json(200, nlohmann::json::object());
    case ErrorKind::kInvalidArgument: return http::Error(422, "validation_failed", s.message());
    case ErrorKind::kNotFound: return http::Error(404, "not_found", s.message());
    case ErrorKind::kAlreadyExists: return http::Error(409, "already_exists", s.message());
    case ErrorKind::kPermissionDenied: return http::Error(403, "forbidden", s.message());
    case ErrorKind::kUnauthenticated: return http::Error(401, "unauthorized", s.message());
    case ErrorKind::kResourceExhausted:
      return http::Error(429, "rate_limited", s.message()).With("Retry-After", "60");
    case ErrorKind::kFailedPrecondition: return http::Error(409, "conflict", s.message());
    case ErrorKind::kUnavailable:
      return http::Error(503, "service_unavailable", "A dependency is unavailable, please retry")
          .With("Retry-After", "5");
    case ErrorKind::kDataLoss:
    case ErrorKind::kInternal: break;
  }
  return http::Error(500, "internal_error", "Internal server error");
}

std::optional<nlohmann::json> JsonBody(const http::Request& req, http::Response* error) {
  auto ct = req.Header("content-type");
  std::string type = ct ? std::string(*ct) : "";
  for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (type.rfind("application/json", 0) != 0) {
    *error = http::Error(415, "unsupported_media_type", "Content-Type must be application/json");
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    *error = http::Error(400, "malformed_json", "Request body is not valid JSON");
    return std::nullopt;
  }
  if (!j.is_object()) {
    *error = http::Error(400, "malformed_json", "Request body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

std::optional<std::string> StringField(const nlohmann::json& body, const char* name, bool required,
                                       http::Response* error) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) *error = http::Error(422, "validation_failed", std::string(name) + " is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    *error = http::Error(422, "validation_failed", std::string(name) + " must be a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<Page> PageParams(const http::Request& req, http::Response* error) {
  Page p;
  auto read = [&](const char* name, int* out, int min, int max) {
    auto it = req.query.find(name);
    if (it == req.query.end()) return true;
    char* end = nullptr;
    long v = std::strtol(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || v < min || v > max) {
      *error = http::Error(422, "validation_failed",
                           std::string(name) + " must be an integer between " + std::to_string(min) +
                               " and " + std::to_string(max));
      return false;
    }
    *out = static_cast<int>(v);
    return true;
  };
  if (!read("page", &p.page, 1, 1000000) || !read("per_page", &p.per_page, 1, 100)) return std::nullopt;
  return p;
}

nlohmann::json PageJson(const Page& p, std::int64_t total) {
  return {{"page", p.page}, {"per_page", p.per_page}, {"total", total},
          {"pages", (total + p.per_page - 1) / p.per_page}};
}

}  // namespace ascension::api
