// ascension-admin: operator tasks against the configured services.
//   migrate                      apply the embedded SQL migrations
//   storage-init                 create the bucket, its lifecycle rule on uploads/ (expiry after
//                                VIDEO_RETENTION_SECONDS, in whole days), CORS and, when
//                                S3_BUCKET_POLICY_PRESIGN names the presign credential, the bucket
//                                policy that confines presigned URLs (s3/bucket_policy.hpp)
//   storage-policy               print the presign credential's rights as an identity policy (for
//                                MinIO's `mc admin policy create` or AWS IAM)
//   create-user --username U --email E --password P [--role admin|user] [--tier T]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

#include "adapters/postgres/migrations.hpp"
#include "adapters/s3/bucket_policy.hpp"
#include "adapters/s3/client.hpp"
#include "auth/password.hpp"
#include "common/config.hpp"
#include "common/log.hpp"
#include "domain/rules.hpp"

namespace {

using namespace ascension;

// Everything the admin tool reads from the environment (settings.hpp), read here only.
struct AdminConfig {
  CommonConfig common;
  std::vector<std::string> cors_origins;
  std::chrono::seconds video_retention{0};
  std::string policy_owner;    // S3_BUCKET_POLICY_OWNER
  std::string policy_presign;  // S3_BUCKET_POLICY_PRESIGN
};

AdminConfig ReadAdminConfig(EnvReader& env) {
  AdminConfig c;
  c.common = ReadCommonConfig(env);
  c.cors_origins = env.List("CORS_ALLOWED_ORIGINS");
  c.video_retention = std::chrono::seconds(env.Integer("VIDEO_RETENTION_SECONDS"));
  c.policy_owner = env.String("S3_BUCKET_POLICY_OWNER");
  c.policy_presign = env.String("S3_BUCKET_POLICY_PRESIGN");
  if (env.ok() && !c.policy_presign.empty() && c.policy_owner.empty())
    env.Fail("S3_BUCKET_POLICY_OWNER must be set with S3_BUCKET_POLICY_PRESIGN");
  return c;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "ascension-admin: %s\n", what.c_str());
  return 1;
}

int Migrate(const CommonConfig& c) {
  auto conn = pg::Connection::Open(c.database_url);
  if (!conn.ok()) return Fail(conn.status().ToString());
  auto applied = pg::Migrate(**conn, pg::EmbeddedMigrations());
  if (!applied.ok()) return Fail(applied.status().ToString());
  std::printf("migrations: %zu applied, %zu known\n", applied->size(), pg::EmbeddedMigrations().size());
  return 0;
}

Result<s3::Client> Storage(const CommonConfig& c) {
  return s3::Client::Create(s3::ConfigFrom(c));
}

int StorageInit(const AdminConfig& config) {
  const CommonConfig& c = config.common;
  auto s3 = Storage(c);
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
  const std::string& presign = config.policy_presign;
  if (!presign.empty()) {
    std::string policy = s3::BucketAccessPolicy(c.s3_bucket, {config.policy_owner, presign});
    if (Status s = s3->PutBucketPolicy(policy); !s.ok()) return Fail("bucket policy: " + s.ToString());
  }
  std::printf("storage: bucket %s ready (uploads/ expire after %d days%s)\n", c.s3_bucket.c_str(), days,
              presign.empty() ? "" : ", presigned URLs confined by the bucket policy");
  return 0;
}

int CreateUser(const CommonConfig& c, int argc, char** argv) {
  std::map<std::string, std::string> a = {{"--role", "user"}, {"--tier", "freemium"}};
  for (int i = 2; i + 1 < argc; i += 2) a[argv[i]] = argv[i + 1];
  for (const char* k : {"--username", "--email", "--password"}) {
    if (!a.count(k)) return Fail(std::string("create-user needs ") + k);
  }
  if (auto e = domain::ValidateUsername(a["--username"])) return Fail(*e);
  if (auto e = domain::ValidateEmail(a["--email"])) return Fail(*e);
  if (auto e = domain::ValidatePassword(a["--password"])) return Fail(*e);
  if (!domain::IsRole(a["--role"])) return Fail("--role must be user or admin");
  if (!domain::IsTier(a["--tier"])) return Fail("--tier must be freemium, premium or infinity");
  auth::PasswordHasher hasher;
  auto hash = hasher.Hash(a["--password"]);
  if (!hash.ok()) return Fail(hash.status().ToString());
  auto conn = pg::Connection::Open(c.database_url);
  if (!conn.ok()) return Fail(conn.status().ToString());
  auto r = (*conn)->Exec(
      "INSERT INTO users (username, email, password_hash, role, subscription_tier) VALUES ($1, $2, $3, $4, $5) "
      "RETURNING id",
      {pg::P(a["--username"]), pg::P(domain::Lowercase(a["--email"])), pg::P(*hash), pg::P(a["--role"]),
       pg::P(a["--tier"])});
  if (!r.ok()) {
    if (r.status().kind() == ErrorKind::kAlreadyExists) return Fail("a user with this email or username already exists");
    return Fail(r.status().ToString());
  }
  std::printf("%s\n", r->Text(0, 0).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    std::fprintf(stderr,
                 "usage: ascension-admin migrate | storage-init | storage-policy | "
                 "create-user --username U --email E --password P [--role admin|user] [--tier T]\n");
    return argc < 2 ? 2 : 0;
  }
  EnvReader env;
  AdminConfig config = ReadAdminConfig(env);
  env.ExitOnError("ascension-admin");
  const CommonConfig& c = config.common;
  log::Init("ascension-admin", log::Level::kWarn);
  std::string cmd = argv[1];
  if (cmd == "migrate") return Migrate(c);
  if (cmd == "storage-init") return StorageInit(config);
  if (cmd == "storage-policy") {
    std::printf("%s\n", s3::PresignIdentityPolicy(c.s3_bucket).c_str());
    return 0;
  }
  if (cmd == "create-user") return CreateUser(c, argc, argv);
  return Fail("unknown command " + cmd);
}
