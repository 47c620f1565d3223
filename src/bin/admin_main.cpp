// ascension-admin: operator tasks against the configured services.
//   migrate                      apply the embedded SQL migrations
//   storage-init                 create the bucket, its lifecycle rule on uploads/ (expiry after
//                                VIDEO_RETENTION_SECONDS, in whole days), CORS and, when
//                                S3_BUCKET_POLICY_PRESIGN, _API or _WORKER name confined
//                                credentials, the bucket policy that gives each only its rights
//                                (s3/bucket_policy.hpp); always with the owner's credential
//   storage-policy presign|api|worker
//                                print that credential's rights as an identity policy (for
//                                MinIO's `mc admin policy create` or AWS IAM)
//   create-user --username U --email E (--password-stdin | --password-file FILE)
//               [--role admin|user] [--tier freemium|premium|infinity]
//                                a password is never taken on the command line (it would show in
//                                ps and the shell history): one line on stdin, or a file's first
//                                line
//   requeue [--dry-run] [--older-than SECONDS]
//                                after RabbitMQ lost its data: re-publish (through the outbox)
//                                pending analyses whose job reached the broker more than SECONDS
//                                ago (default 0), and those stuck in processing for
//                                REAPER_TIMEOUT_SECONDS; the worker skips any older copy
//   import-legacy --from DATABASE_URL [--bucket NAME] [--dry-run]
//                                copy the original system's users, videos (objects copied into
//                                this system's layout) and analyses (services/legacy_import.hpp);
//                                idempotent and resumable; prints a report of what was skipped
//   unlock EMAIL                 end the account's login lock-out now: its failed logins are
//                                forgotten (LoginGuard::Unlock, any case of the email); the client
//                                addresses' own counters stay
// Options are parsed with getopt_long (common/cli.hpp); an unknown option or a missing value is an
// error (exit 2).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/migrations.hpp"
#include "adapters/postgres/pool.hpp"
#include "adapters/s3/bucket_policy.hpp"
#include "adapters/s3/client.hpp"
#include "adapters/s3/legacy_objects.hpp"
#include "auth/password.hpp"
#include "common/cli.hpp"
#include "common/config.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"
#include "ports/clock.hpp"
#include "services/legacy_import.hpp"
#include "services/login_guard.hpp"
#include "services/reaper.hpp"
#include "store/analyses.hpp"
#include "store/attempt_counters.hpp"
#include "store/legacy_import.hpp"
#include "store/users.hpp"

namespace {

using namespace ascension;

constexpr const char* kUsage =
    "usage: ascension-admin migrate\n"
    "       ascension-admin storage-init\n"
    "       ascension-admin storage-policy presign|api|worker\n"
    "       ascension-admin create-user --username U --email E (--password-stdin | --password-file "
    "F)\n"
    "                                   [--role admin|user] [--tier freemium|premium|infinity]\n"
    "       ascension-admin requeue [--dry-run] [--older-than SECONDS]\n"
    "       ascension-admin import-legacy --from DATABASE_URL [--bucket NAME] [--dry-run]\n"
    "       ascension-admin unlock EMAIL\n";

// Everything the admin tool reads from the environment (settings.hpp), read here only.
struct AdminConfig {
  CommonConfig common;
  std::vector<std::string> cors_origins;
  std::chrono::seconds video_retention{0};
  s3::PolicyPrincipals policy;  // S3_BUCKET_POLICY_OWNER, _PRESIGN, _API, _WORKER
  std::chrono::seconds reaper_timeout{0};
  int reaper_max_requeues = 0;
};

// A bucket policy is written when it names at least one confined credential.
bool WritesPolicy(const AdminConfig& c) {
  return !c.policy.presign.empty() || !c.policy.api.empty() || !c.policy.worker.empty();
}

AdminConfig ReadAdminConfig(EnvReader& env) {
  AdminConfig c;
  c.common = ReadCommonConfig(env);
  if (env.ok() && c.common.s3_access_key.empty())
    env.Fail("MINIO_ROOT_USER is not set (ascension-admin works with the bucket owner's key)");
  c.cors_origins = env.List("CORS_ALLOWED_ORIGINS");
  c.video_retention = std::chrono::seconds(env.Integer("VIDEO_RETENTION_SECONDS"));
  c.policy.owner = env.String("S3_BUCKET_POLICY_OWNER");
  c.policy.presign = env.String("S3_BUCKET_POLICY_PRESIGN");
  c.policy.api = env.String("S3_BUCKET_POLICY_API");
  c.policy.worker = env.String("S3_BUCKET_POLICY_WORKER");
  if (env.ok() && WritesPolicy(c) && c.policy.owner.empty())
    env.Fail("S3_BUCKET_POLICY_OWNER must be set with S3_BUCKET_POLICY_PRESIGN, _API or _WORKER");
  c.reaper_timeout = std::chrono::seconds(env.Integer("REAPER_TIMEOUT_SECONDS"));
  c.reaper_max_requeues = static_cast<int>(env.Integer("REAPER_MAX_REQUEUES"));
  return c;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "ascension-admin: %s\n", what.c_str());
  return 1;
}

int Usage(const std::string& what) {
  std::fprintf(stderr, "ascension-admin: %s\n%s", what.c_str(), kUsage);
  return 2;
}

int Migrate(const CommonConfig& c) {
  auto conn = pg::Connection::Open(c.database_url);
  if (!conn.ok()) return Fail(conn.status().ToString());
  auto applied = pg::Migrate(**conn, pg::EmbeddedMigrations());
  if (!applied.ok()) return Fail(applied.status().ToString());
  std::printf("migrations: %zu applied, %zu known\n", applied->size(),
              pg::EmbeddedMigrations().size());
  return 0;
}

int StorageInit(const AdminConfig& config) {
  const CommonConfig& c = config.common;
  auto s3 = s3::Client::Create(s3::ConfigFrom(c));
  if (!s3.ok()) return Fail(s3.status().ToString());
  if (Status s = s3->CreateBucket(); !s.ok()) return Fail("create bucket: " + s.ToString());
  // The bucket rule backs up the API's sweeper (VIDEO_RETENTION_SECONDS): S3 expiry counts whole
  // days, so the rule fires on the first day boundary after the retention period.
  int days = static_cast<int>((config.video_retention.count() + 86399) / 86400);
  std::vector<s3::LifecycleRule> rules = {{"expire-unsaved-uploads", "uploads/", days}};
  if (Status s = s3->PutBucketLifecycle(rules); !s.ok()) return Fail("lifecycle: " + s.ToString());
  auto origins = config.cors_origins;
  if (origins.empty()) origins = {"*"};
  s3::CorsRule cors;
  cors.allowed_origins = origins;
  std::vector<s3::CorsRule> cors_rules = {cors};
  if (Status s = s3->PutBucketCors(cors_rules); !s.ok()) return Fail("cors: " + s.ToString());
  const bool policy = WritesPolicy(config);
  if (policy) {
    std::string document = s3::BucketAccessPolicy(c.s3_bucket, config.policy);
    if (Status s = s3->PutBucketPolicy(document); !s.ok())
      return Fail("bucket policy: " + s.ToString());
  }
  std::printf("storage: bucket %s ready (uploads/ expire after %d days%s)\n", c.s3_bucket.c_str(),
              days, policy ? ", credentials confined by the bucket policy" : "");
  return 0;
}

std::optional<std::string> ReadPassword(const cli::ParsedArgs& p, std::string* error) {
  auto from_file = p.Get("password-file");
  bool from_stdin = p.Get("password-stdin").has_value();
  if (from_file.has_value() == from_stdin) {
    *error = "create-user needs exactly one of --password-stdin or --password-file";
    return std::nullopt;
  }
  std::string line;
  if (from_stdin) {
    std::getline(std::cin, line);
  } else {
    std::ifstream f(*from_file);
    if (!f) {
      *error = "cannot read " + *from_file;
      return std::nullopt;
    }
    std::getline(f, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int CreateUser(const CommonConfig& c, int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--password" || a.rfind("--password=", 0) == 0)
      return Usage(
          "a password is never taken on the command line: use --password-stdin or --password-file");
  }
  auto p = cli::Parse(
      argc - 1, argv + 1,
      {{"username"}, {"email"}, {"role"}, {"tier"}, {"password-stdin", false}, {"password-file"}},
      0);
  if (p.error) return Usage(*p.error);
  if (p.help) return std::fputs(kUsage, stdout), 0;
  auto username = p.Get("username"), email = p.Get("email");
  if (!username || !email) return Usage("create-user needs --username and --email");
  domain::User u;
  u.id = domain::Uuid::Random();
  u.username = *username;
  u.email = Lowercase(*email);
  u.role = p.Get("role").value_or("user");
  u.subscription_tier = p.Get("tier").value_or("freemium");
  std::string error;
  auto password = ReadPassword(p, &error);
  if (!password) return Usage(error);
  if (auto e = domain::ValidateUsername(u.username)) return Fail(*e);
  if (auto e = domain::ValidateEmail(u.email)) return Fail(*e);
  if (auto e = domain::ValidatePassword(*password)) return Fail(*e);
  if (!domain::IsRole(u.role)) return Fail("--role must be user or admin");
  if (!domain::IsTier(u.subscription_tier))
    return Fail("--tier must be freemium, premium or infinity");
  auth::PasswordHasher hasher;
  auto hash = hasher.Hash(*password);
  if (!hash.ok()) return Fail(hash.status().ToString());
  u.password_hash = std::move(hash).value();
  pg::Pool db(c.database_url, 1, std::chrono::seconds(10));
  store::PgUserRepository users(db, db);
  auto created = users.Create(u);
  if (!created.ok()) {
    if (created.status().kind() == ErrorKind::kAlreadyExists)
      return Fail("a user with this email or username already exists");
    return Fail(created.status().ToString());
  }
  std::printf("%s\n", created->id.str().c_str());
  return 0;
}

int Requeue(const AdminConfig& config, int argc, char** argv) {
  auto p = cli::Parse(argc - 1, argv + 1, {{"dry-run", false}, {"older-than"}}, 0);
  if (p.error) return Usage(*p.error);
  if (p.help) return std::fputs(kUsage, stdout), 0;
  std::int64_t older_than = 0;
  if (auto v = p.Get("older-than")) {
    char* end = nullptr;
    older_than = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || older_than < 0)
      return Usage("--older-than needs a number of seconds");
  }
  bool dry_run = p.Get("dry-run").has_value();
  pg::Pool db(config.common.database_url, 1, std::chrono::seconds(10));
  store::PgAnalysisRepository analyses(db, db);
  ports::SystemClock clock;
  services::Reaper reaper(
      analyses, clock,
      services::ReaperOptions{config.reaper_timeout, config.reaper_max_requeues,
                              std::chrono::seconds(older_than), config.common.s3_bucket});
  auto report = reaper.RequeueNow(std::chrono::seconds(older_than), dry_run);
  if (!report.ok()) return Fail(report.status().ToString());
  std::printf(
      "%s%d pending analyses re-queued, %d stuck in processing re-queued, %d stuck given up\n",
      dry_run ? "dry run: would be " : "", report->requeued_lost, report->requeued_stuck,
      report->failed_stuck);
  return 0;
}

int ImportLegacy(const AdminConfig& config, int argc, char** argv) {
  auto p = cli::Parse(argc - 1, argv + 1, {{"from"}, {"bucket"}, {"dry-run", false}}, 0);
  if (p.error) return Usage(*p.error);
  if (p.help) return std::fputs(kUsage, stdout), 0;
  auto from = p.Get("from");
  if (!from || from->empty())
    return Usage("import-legacy needs --from DATABASE_URL (the original system's database)");
  services::LegacyImportOptions options;
  options.dry_run = p.Get("dry-run").has_value();
  if (auto b = p.Get("bucket")) {
    if (b->empty()) return Usage("--bucket needs a bucket name");
    options.bucket = *b;
  }
  auto legacy = pg::Connection::Open(*from);
  if (!legacy.ok()) return Fail("the original system's database: " + legacy.status().ToString());
  // Nothing of the original system is ever written.
  if (auto ro = (*legacy)->Exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"); !ro.ok())
    return Fail("the original system's database: " + ro.status().ToString());
  pg::Pool db(config.common.database_url, 1, std::chrono::seconds(10));
  store::PgLegacySource source(std::move(legacy).value());
  store::PgImportTarget target(db);
  s3::LegacyObjects objects(s3::ConfigFrom(config.common));
  services::LegacyImport import(source, objects, target, options);
  auto report = import.Run();
  if (!report.ok()) {
    return Fail("import stopped (what was written stays; run it again to go on): " +
                report.status().ToString());
  }
  std::fputs(report->Text().c_str(), stdout);
  return 0;
}

int Unlock(const CommonConfig& c, int argc, char** argv) {
  if (argc != 3) return Usage("unlock needs exactly one EMAIL");
  const std::string email = argv[2];
  if (email == "--help" || email == "-h") return std::fputs(kUsage, stdout), 0;
  if (email.empty() || email[0] == '-' || !domain::IsCleanText(email))
    return Usage("unlock needs an EMAIL (plain text, not an option)");
  pg::Pool db(c.database_url, 1, std::chrono::seconds(10));
  store::PgAttemptCounterRepository counters(db);
  ports::SystemClock clock;
  services::LoginGuard guard(counters, clock);
  auto removed = guard.Unlock(email);
  if (!removed.ok()) return Fail(removed.status().ToString());
  std::printf("%s: %s\n", Lowercase(email).c_str(),
              *removed ? "unlocked, its failed logins are forgotten"
                       : "no failed logins counted, nothing to unlock");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    std::fputs(kUsage, stderr);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  if (cmd != "migrate" && cmd != "storage-init" && cmd != "storage-policy" &&
      cmd != "create-user" && cmd != "requeue" && cmd != "import-legacy" && cmd != "unlock")
    return Usage("unknown command " + cmd);
  if ((cmd == "migrate" || cmd == "storage-init") && argc > 2)
    return Usage(cmd + " takes no arguments (got " + argv[2] + ")");
  std::optional<s3::Credential> credential;
  if (cmd == "storage-policy") {
    if (argc != 3) return Usage("storage-policy needs one credential: presign, api or worker");
    credential = s3::ParseCredential(argv[2]);
    if (!credential)
      return Usage(std::string("storage-policy: unknown credential ") + argv[2] +
                   " (presign, api or worker)");
  }
  EnvReader env;
  AdminConfig config = ReadAdminConfig(env);
  env.ExitOnError("ascension-admin");
  log::Init("ascension-admin", log::Level::kWarn);
  if (cmd == "migrate") return Migrate(config.common);
  if (cmd == "storage-init") return StorageInit(config);
  if (cmd == "storage-policy") {
    std::printf("%s\n", s3::IdentityPolicy(*credential, config.common.s3_bucket).c_str());
    return 0;
  }
  if (cmd == "create-user") return CreateUser(config.common, argc, argv);
  if (cmd == "import-legacy") return ImportLegacy(config, argc, argv);
  if (cmd == "unlock") return Unlock(config.common, argc, argv);
  return Requeue(config, argc, argv);
}
