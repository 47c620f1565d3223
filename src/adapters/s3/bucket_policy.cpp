#include "adapters/s3/bucket_policy.hpp"

#include <nlohmann/json.hpp>

namespace ascension::s3 {
namespace {

using nlohmann::json;

// Condition keys of request headers a presigned upload never needs. A Deny on "any non-empty
// value" of each: copy source, canned ACL, the five grants, server-side encryption (SSE-S3/KMS),
// the copy's metadata directive, storage class.
constexpr const char* kDeniedDirectives[] = {
    "s3:x-amz-copy-source",
    "s3:x-amz-metadata-directive",
    "s3:x-amz-acl",
    "s3:x-amz-grant-read",
    "s3:x-amz-grant-write",
    "s3:x-amz-grant-read-acp",
    "s3:x-amz-grant-write-acp",
    "s3:x-amz-grant-full-control",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-storage-class",
};

std::string Arn(std::string_view bucket, std::string_view suffix) {
  return "arn:aws:s3:::" + std::string(bucket) + std::string(suffix);
}

json PresignStatements(std::string_view bucket, const json* principal) {
  json statements = json::array();
  auto add = [&](json st) {
    if (principal != nullptr) st["Principal"] = {{"AWS", json::array({*principal})}};
    statements.push_back(std::move(st));
  };
  add({{"Sid", "PresignedUploads"},
       {"Effect", "Allow"},
       {"Action", {"s3:PutObject"}},
       {"Resource", {Arn(bucket, "/uploads/*"), Arn(bucket, "/routes/*")}}});
  add({{"Sid", "PresignedPlayback"},
       {"Effect", "Allow"},
       {"Action", {"s3:GetObject"}},
       {"Resource", {Arn(bucket, "/uploads/*"), Arn(bucket, "/saved/*"), Arn(bucket, "/routes/*"),
                     Arn(bucket, "/thumbnails/*")}}});
  int n = 0;
  for (const char* key : kDeniedDirectives) {
    add({{"Sid", "PresignedNoDirective" + std::to_string(++n)},
         {"Effect", "Deny"},
         {"Action", {"s3:PutObject"}},
         {"Resource", {Arn(bucket, "/*")}},
         {"Condition", {{"StringLike", {{key, "?*"}}}}}});
  }
  return statements;
}

}  // namespace

std::string BucketAccessPolicy(std::string_view bucket, const PolicyPrincipals& principals) {
  json owner = principals.owner, presign = principals.presign;
  json statements = json::array();
  statements.push_back({{"Sid", "Owner"},
                        {"Effect", "Allow"},
                        {"Principal", {{"AWS", json::array({owner})}}},
                        {"Action", {"s3:*"}},
                        {"Resource", {Arn(bucket, ""), Arn(bucket, "/*")}}});
  for (auto& st : PresignStatements(bucket, &presign)) statements.push_back(std::move(st));
  return json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

std::string PresignIdentityPolicy(std::string_view bucket) {
  return json{{"Version", "2012-10-17"}, {"Statement", PresignStatements(bucket, nullptr)}}.dump(2);
}

}  // namespace ascension::s3
