#include "common/config.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "common/log.hpp"
#include "common/settings.hpp"

namespace ascension {
namespace {

std::string Trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The value of a variable; nullopt when unset or empty.
std::optional<std::string> Lookup(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

}  // namespace

std::string EnvReader::String(std::string_view name) {
  const SettingSpec* spec = FindSetting(name);
  if (spec == nullptr) {
    Fail(std::string(name) + " is not a setting");
    return {};
  }
  auto v = Lookup(std::string(name));
  if (!v && !spec->alias.empty()) v = Lookup(std::string(spec->alias));
  if (v) return *v;
  if (spec->required) Fail(std::string(name) + " is not set");
  return std::string(spec->default_value);
}

std::int64_t EnvReader::Integer(std::string_view name, std::optional<std::int64_t> computed) {
  const SettingSpec* spec = FindSetting(name);
  if (spec == nullptr || spec->type != SettingType::kInt) {
    Fail(std::string(name) + " is not an integer setting");
    return 0;
  }
  std::int64_t fallback = computed.value_or(0);
  if (!computed && !spec->default_value.empty()) {
    fallback = std::strtoll(std::string(spec->default_value).c_str(), nullptr, 10);
  }
  return Int(std::string(name).c_str(), fallback, spec->min, spec->max);
}

bool EnvReader::Flag(std::string_view name) {
  const SettingSpec* spec = FindSetting(name);
  if (spec == nullptr || spec->type != SettingType::kBool) {
    Fail(std::string(name) + " is not a boolean setting");
    return false;
  }
  return Bool(std::string(name).c_str(), spec->default_value == "true");
}

std::vector<std::string> EnvReader::List(std::string_view name) {
  std::vector<std::string> out;
  std::string v = String(name);
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    std::string item = Trim(v.substr(start, comma - start));
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

std::string EnvReader::Choice(std::string_view name) {
  const SettingSpec* spec = FindSetting(name);
  if (spec == nullptr || spec->type != SettingType::kChoice) {
    Fail(std::string(name) + " is not a choice setting");
    return {};
  }
  std::string v = String(name);
  std::string_view choices = spec->choices;
  while (!choices.empty()) {
    size_t bar = choices.find('|');
    if (choices.substr(0, bar) == v) return v;
    choices = bar == std::string_view::npos ? std::string_view() : choices.substr(bar + 1);
  }
  std::string list(spec->choices);
  for (auto& c : list) {
    if (c == '|') c = ',';
  }
  Fail(std::string(name) + " must be one of " + list + " (got \"" + v + "\")");
  return std::string(spec->default_value);
}

std::string EnvReader::Required(const char* name) {
  auto v = Lookup(name);
  if (!v) {
    Fail(std::string(name) + " is not set");
    return {};
  }
  return *v;
}

std::string EnvReader::Optional(const char* name, std::string fallback) {
  return Lookup(name).value_or(std::move(fallback));
}

std::int64_t EnvReader::Int(const char* name, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) {
  auto v = Lookup(name);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (errno != 0 || end == v->c_str() || *end != '\0' || n < min || n > max) {
    Fail(std::string(name) + " must be an integer between " + std::to_string(min) + " and " +
         std::to_string(max) + " (got \"" + *v + "\")");
    return fallback;
  }
  return n;
}

bool EnvReader::Bool(const char* name, bool fallback) {
  std::string v = Optional(name, "");
  if (v.empty()) return fallback;
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  Fail(std::string(name) + " must be true or false (got \"" + v + "\")");
  return fallback;
}

void EnvReader::Fail(std::string message) {
  if (!error_) error_ = std::move(message);
}

void EnvReader::ExitOnError(const char* program) const {
  if (!error_) return;
  std::fprintf(stderr, "%s: config error: %s\n", program, error_->c_str());
  std::exit(2);
}

CommonConfig ReadCommonConfig(EnvReader& env) {
  CommonConfig c;
  static const std::regex kPg("^postgres(ql)?://.+");
  static const std::regex kAmqp("^amqps?://.+");
  static const std::regex kHttp("^https?://[^/]+/?$");
  static const std::regex kBucket("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

  c.database_url = env.String("DATABASE_URL");
  if (env.ok() && !std::regex_match(c.database_url, kPg))
    env.Fail("DATABASE_URL must be a postgresql:// URL");
  c.database_read_url = env.String("DATABASE_READ_URL");
  if (env.ok() && !c.database_read_url.empty() && !std::regex_match(c.database_read_url, kPg))
    env.Fail("DATABASE_READ_URL must be a postgresql:// URL");
  c.rabbitmq_url = env.String("RABBITMQ_URL");
  if (env.ok() && !std::regex_match(c.rabbitmq_url, kAmqp))
    env.Fail("RABBITMQ_URL must be an amqp:// URL");
  c.s3_endpoint = env.String("MINIO_ENDPOINT");
  if (env.ok() && !std::regex_match(c.s3_endpoint, kHttp))
    env.Fail("MINIO_ENDPOINT must be an http(s)://host[:port] URL");
  if (!c.s3_endpoint.empty() && c.s3_endpoint.back() == '/') c.s3_endpoint.pop_back();
  c.s3_public_endpoint = env.String("S3_PUBLIC_ENDPOINT");
  if (c.s3_public_endpoint.empty()) c.s3_public_endpoint = c.s3_endpoint;
  if (env.ok() && !std::regex_match(c.s3_public_endpoint, kHttp))
    env.Fail("S3_PUBLIC_ENDPOINT must be an http(s)://host[:port] URL");
  if (!c.s3_public_endpoint.empty() && c.s3_public_endpoint.back() == '/')
    c.s3_public_endpoint.pop_back();
  c.s3_bucket = env.String("MINIO_BUCKET");
  if (env.ok() && !std::regex_match(c.s3_bucket, kBucket))
    env.Fail(
        "MINIO_BUCKET must be a valid S3 bucket name (3-63 lower-case letters, digits, '.', '-')");
  c.s3_access_key = env.String("MINIO_ROOT_USER");
  c.s3_secret_key = env.String("MINIO_ROOT_PASSWORD");
  if (env.ok() && c.s3_access_key.empty() != c.s3_secret_key.empty())
    env.Fail("MINIO_ROOT_USER and MINIO_ROOT_PASSWORD must be set together");
  c.s3_presign_access_key = env.String("S3_PRESIGN_ACCESS_KEY");
  c.s3_presign_secret_key = env.String("S3_PRESIGN_SECRET_KEY");
  if (env.ok() && c.s3_presign_access_key.empty() != c.s3_presign_secret_key.empty())
    env.Fail("S3_PRESIGN_ACCESS_KEY and S3_PRESIGN_SECRET_KEY must be set together");
  c.s3_api_access_key = env.String("S3_API_ACCESS_KEY");
  c.s3_api_secret_key = env.String("S3_API_SECRET_KEY");
  if (env.ok() && c.s3_api_access_key.empty() != c.s3_api_secret_key.empty())
    env.Fail("S3_API_ACCESS_KEY and S3_API_SECRET_KEY must be set together");
  c.s3_worker_access_key = env.String("S3_WORKER_ACCESS_KEY");
  c.s3_worker_secret_key = env.String("S3_WORKER_SECRET_KEY");
  if (env.ok() && c.s3_worker_access_key.empty() != c.s3_worker_secret_key.empty())
    env.Fail("S3_WORKER_ACCESS_KEY and S3_WORKER_SECRET_KEY must be set together");
  c.s3_region = env.String("S3_REGION");
  // LOG_LEVEL, or the production document's RUST_LOG for drop-in compatibility.
  c.log_level = env.String("LOG_LEVEL");
  log::Level level;
  if (env.ok() && !log::ParseLevel(c.log_level, &level))
    env.Fail("LOG_LEVEL must be one of debug, info, warn, error (got \"" + c.log_level + "\")");
  return c;
}

}  // namespace ascension
