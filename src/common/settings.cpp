#include "common/settings.hpp"

#include <array>

namespace ascension {
namespace {

constexpr unsigned kAll = kApiProcess | kWorkerProcess | kAdminProcess;
constexpr unsigned kApi = kApiProcess;
constexpr unsigned kWorker = kWorkerProcess;
constexpr std::int64_t kDay = 24 * 3600;

using T = SettingType;

// One entry; the last two fields are rarely set.
constexpr SettingSpec S(std::string_view name, SettingType type, bool required,
                        std::string_view default_value, std::int64_t min, std::int64_t max,
                        std::string_view choices, std::string_view meaning, unsigned processes,
                        std::string_view alias = "", std::string_view default_note = "") {
  SettingSpec s;
  s.name = name;
  s.type = type;
  s.required = required;
  s.default_value = default_value;
  s.min = min;
  s.max = max;
  s.choices = choices;
  s.meaning = meaning;
  s.processes = processes;
  s.alias = alias;
  s.default_note = default_note;
  return s;
}

constexpr std::array kSettings = std::to_array<SettingSpec>({
    // PostgreSQL
    S("DATABASE_URL", T::kUrl, true, "", 0, 0, "", "PostgreSQL primary (postgresql://…)", kAll),
    S("DATABASE_READ_URL", T::kUrl, false, "", 0, 0, "",
      "read replica for listings; empty sends reads to the primary", kApi),
    S("DB_POOL_SIZE", T::kInt, false, "16", 1, 500, "", "connections in the API's PostgreSQL pool",
      kApi),
    S("PASSWORD_HASH_CONCURRENCY", T::kInt, false, "", 1, 256, "",
      "Argon2id hashes at once (64 MiB each); twice as many may wait, beyond that 503 busy", kApi,
      "", "a quarter of the memory limit, at most one per core"),
    // RabbitMQ
    S("RABBITMQ_URL", T::kUrl, true, "", 0, 0, "", "broker (amqp://user:pass@host:port/vhost)",
      kAll),
    // Object storage
    S("MINIO_ENDPOINT", T::kUrl, true, "", 0, 0, "",
      "S3 endpoint, path-style (http(s)://host:port)", kAll),
    S("MINIO_BUCKET", T::kString, true, "", 0, 0, "", "bucket of uploads/, saved/, routes/", kAll),
    S("MINIO_ROOT_USER", T::kSecret, false, "", 0, 0, "",
      "access key of the bucket owner: required by ascension-admin; by the API and the worker "
      "only when their own (S3_API_*, S3_WORKER_*) is unset",
      kAll),
    S("MINIO_ROOT_PASSWORD", T::kSecret, false, "", 0, 0, "", "secret key of the bucket owner",
      kAll),
    S("S3_REGION", T::kString, false, "us-east-1", 0, 0, "", "SigV4 signing region", kAll),
    S("S3_PUBLIC_ENDPOINT", T::kUrl, false, "", 0, 0, "",
      "the address clients reach the store at: presigned URLs are signed for it", kApi, "",
      "MINIO_ENDPOINT"),
    S("S3_PRESIGN_ACCESS_KEY", T::kSecret, false, "", 0, 0, "",
      "access key of the confined credential presigned URLs are signed with", kApi, "",
      "MINIO_ROOT_USER, with a warning"),
    S("S3_PRESIGN_SECRET_KEY", T::kSecret, false, "", 0, 0, "",
      "secret key of the presign credential", kApi, "", "MINIO_ROOT_PASSWORD"),
    S("S3_API_ACCESS_KEY", T::kSecret, false, "", 0, 0, "",
      "access key of the API's own confined storage credential (objects it uses, never the "
      "bucket's configuration)",
      kApi, "", "MINIO_ROOT_USER, with a warning"),
    S("S3_API_SECRET_KEY", T::kSecret, false, "", 0, 0, "", "secret key of the API's credential",
      kApi, "", "MINIO_ROOT_PASSWORD"),
    S("S3_WORKER_ACCESS_KEY", T::kSecret, false, "", 0, 0, "",
      "access key of the worker's confined storage credential (reads videos and photos, writes "
      "wall images)",
      kWorker, "", "MINIO_ROOT_USER, with a warning"),
    S("S3_WORKER_SECRET_KEY", T::kSecret, false, "", 0, 0, "",
      "secret key of the worker's credential", kWorker, "", "MINIO_ROOT_PASSWORD"),
    S("S3_BUCKET_POLICY_OWNER", T::kString, false, "", 0, 0, "",
      "storage-init: principal (ARN) of the owner (MINIO_ROOT_USER); with any of the three below, "
      "the bucket policy is written",
      kAdminProcess),
    S("S3_BUCKET_POLICY_PRESIGN", T::kString, false, "", 0, 0, "",
      "storage-init: principal (ARN) of the presign credential in the bucket policy",
      kAdminProcess),
    S("S3_BUCKET_POLICY_API", T::kString, false, "", 0, 0, "",
      "storage-init: principal (ARN) of the API's credential in the bucket policy", kAdminProcess),
    S("S3_BUCKET_POLICY_WORKER", T::kString, false, "", 0, 0, "",
      "storage-init: principal (ARN) of the worker's credential in the bucket policy",
      kAdminProcess),
    // API
    S("JWT_SECRET", T::kSecret, true, "", 0, 0, "", "HS256 key of access tokens, ≥ 32 characters",
      kApi),
    S("API_BIND", T::kString, false, "0.0.0.0", 0, 0, "", "API listen address", kApi),
    S("API_PORT", T::kInt, false, "8080", 0, 65535, "", "API listen port", kApi),
    S("INSTANCE_ID", T::kString, false, "", 0, 0, "", "instance name in logs and X-Instance", kApi,
      "", "host:port"),
    S("RATE_LIMIT_PER_MINUTE", T::kInt, false, "100", 1, 1000000, "",
      "requests per client IP per minute", kApi),
    S("LOGIN_RATE_LIMIT_PER_MINUTE", T::kInt, false, "10", 1, 1000000, "",
      "login attempts per IP per minute", kApi),
    S("READY_RATE_LIMIT_PER_MINUTE", T::kInt, false, "600", 1, 1000000, "",
      "GET /ready calls per client address per minute (bursts of 20)", kApi),
    S("LOGIN_LOCKOUT_THRESHOLD", T::kInt, false, "5", 1, 1000, "",
      "failed logins of one account (in an hour) before it is locked for the failing addresses",
      kApi),
    S("LOGIN_LOCKOUT_ADDRESS_THRESHOLD", T::kInt, false, "20", 1, 100000, "",
      "failed logins from one client address (in an hour) before it is locked", kApi),
    S("LOGIN_LOCKOUT_SECONDS", T::kInt, false, "30", 1, kDay, "",
      "first lock after the threshold (seconds), doubled at each further failure", kApi),
    S("LOGIN_LOCKOUT_MAX_SECONDS", T::kInt, false, "900", 1, kDay, "", "longest lock (seconds)",
      kApi),
    S("REGISTER_RATE_LIMIT_PER_HOUR", T::kInt, false, "30", 1, 1000000, "",
      "registration attempts per client address per hour", kApi),
    S("TRUSTED_PROXIES", T::kList, false, "", 0, 0, "",
      "IPv4/IPv6 addresses or CIDRs whose X-Forwarded-For is believed", kApi),
    S("CORS_ALLOWED_ORIGINS", T::kList, false, "", 0, 0, "",
      "browser origins allowed by CORS (comma list, or *)", kApi | kAdminProcess),
    S("MAX_VIDEO_BYTES", T::kInt, false, "524288000", 1, std::int64_t{1} << 40, "",
      "largest video accepted for analysis (bytes; the worker downloads no more)", kApi | kWorker),
    S("MAX_ROUTE_PHOTO_BYTES", T::kInt, false, "26214400", 1024, 64 * 1024 * 1024, "",
      "largest route photo detected (bytes; the API tells clients with each upload URL, the worker "
      "downloads no more)",
      kApi | kWorker),
    S("MAX_BODY_BYTES", T::kInt, false, "1048576", 1024, 64 * 1024 * 1024, "",
      "largest JSON request body (bytes)", kApi),
    S("VIDEO_RETENTION_SECONDS", T::kInt, false, "604800", 1, 10 * 365 * kDay, "",
      "unsaved uploads expire after (sweeper; the bucket rule in whole days)",
      kApi | kAdminProcess),
    S("SWEEP_INTERVAL_SECONDS", T::kInt, false, "3600", 1, 7 * kDay, "",
      "time between two passes of the upload sweeper", kApi),
    S("STORAGE_USAGE_INTERVAL_SECONDS", T::kInt, false, "300", 1, kDay, "",
      "time between two measures of the bytes stored by prefix (storage_bytes)", kApi),
    S("REAPER_TIMEOUT_SECONDS", T::kInt, false, "900", 1, 7 * kDay, "",
      "analyses stuck in processing this long are re-queued", kApi | kAdminProcess),
    S("REAPER_MAX_REQUEUES", T::kInt, false, "3", 0, 100, "",
      "re-queues of one stuck analysis before it fails", kApi | kAdminProcess),
    S("PENDING_REQUEUE_SECONDS", T::kInt, false, "1800", 60, 7 * kDay, "",
      "pending analyses whose job reached the broker this long ago are re-published", kApi),
    S("OPENAPI_PATH", T::kString, false, "", 0, 0, "",
      "OpenAPI file served at /openapi.json instead of the built-in one", kApi),
    S("WEB_ROOT", T::kString, false, "", 0, 0, "", "built web client served at /", kApi, "",
      "<build>/web"),
    // Worker
    S("WORKER_CONCURRENCY", T::kInt, false, "1", 1, 256, "",
      "analysis jobs one worker process runs at once", kWorker),
    S("WORKER_THREADS_PER_JOB", T::kInt, false, "0", 0, 256, "",
      "cores one job uses (the video cut into that many segments analysed at once); 0: the cores / "
      "WORKER_CONCURRENCY",
      kWorker),
    S("WORKER_METRICS_PORT", T::kInt, false, "9101", 0, 65535, "",
      "port of the worker's /health and /metrics", kWorker),
    S("ASCENSION_MODEL", T::kChoice, false, "heavy", 0, 0, "lite|full|heavy",
      "pose model of jobs that name none", kWorker),
    S("JOB_MAX_ATTEMPTS", T::kInt, false, "3", 1, 100, "",
      "attempts of a job (transient failures) before the dead-letter queue", kWorker),
    S("MAX_VIDEO_SECONDS", T::kInt, false, "600", 1, kDay, "",
      "longest video analysed (seconds; the API tells clients with each upload URL)",
      kWorker | kApi),
    S("SHUTDOWN_GRACE_SECONDS", T::kInt, false, "30", 0, 3600, "",
      "time a stopping worker lets its job finish", kWorker),
    S("WORKER_TMP_DIR", T::kString, false, "/tmp", 0, 0, "",
      "where the worker keeps downloaded videos", kWorker),
    S("ASCENSION_MODELS_DIR", T::kString, false, "", 0, 0, "",
      "folder of the pose models (scripts/fetch-models.sh)", kWorker | kAnalyzeProcess, "",
      "./models"),
    S("DEFAULT_LANGUAGE", T::kChoice, false, "fr", 0, 0, "fr|en",
      "language of hints and profiles when neither the profile nor Accept-Language names one",
      kApi | kWorker),
    // Logging
    S("LOG_LEVEL", T::kChoice, false, "info", 0, 0, "debug|info|warn|error", "log level", kAll,
      "RUST_LOG"),
});

}  // namespace

std::span<const SettingSpec> AllSettings() {
  return kSettings;
}

const SettingSpec* FindSetting(std::string_view name) {
  for (const auto& s : kSettings) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace ascension
