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

// Object ARNs of `prefixes` ("uploads/" -> arn:aws:s3:::bucket/uploads/*).
json Objects(std::string_view bucket, std::initializer_list<std::string_view> prefixes) {
  json out = json::array();
  for (std::string_view p : prefixes) out.push_back(Arn(bucket, "/" + std::string(p) + "*"));
  return out;
}

json Allow(std::string sid, std::string_view action, json resources) {
  return {{"Sid", std::move(sid)},
          {"Effect", "Allow"},
          {"Action", json::array({std::string(action)})},
          {"Resource", std::move(resources)}};
}

// s3:ListBucket only for requests that are not listings: RGW (and S3) add s3:max-keys to every
// listing's context and to no other request's. The store asks this right before telling a
// missing object (404) from a forbidden one (403); a credential without it reads every missing
// key as 403, which the API would answer as "forbidden" and the worker take for an outage.
json Existence(std::string sid, std::string_view bucket) {
  json st = Allow(std::move(sid), "s3:ListBucket", {Arn(bucket, "")});
  st["Condition"] = {{"Null", {{"s3:max-keys", "true"}}}};
  return st;
}

json PresignStatements(std::string_view bucket) {
  json statements = json::array();
  statements.push_back(
      Allow("PresignedUploads", "s3:PutObject", Objects(bucket, {"uploads/", "routes/"})));
  statements.push_back(Allow("PresignedPlayback", "s3:GetObject",
                             Objects(bucket, {"uploads/", "saved/", "routes/", "thumbnails/"})));
  int n = 0;
  for (const char* key : kDeniedDirectives) {
    statements.push_back({{"Sid", "PresignedNoDirective" + std::to_string(++n)},
                          {"Effect", "Deny"},
                          {"Action", {"s3:PutObject"}},
                          {"Resource", {Arn(bucket, "/*")}},
                          {"Condition", {{"StringLike", {{key, "?*"}}}}}});
  }
  return statements;
}

json ApiStatements(std::string_view bucket) {
  json statements = json::array();
  // HeadObject (POST /v1/analyses, playback, route photos) and the source of the saved copy.
  statements.push_back(
      Allow("ApiReads", "s3:GetObject", Objects(bucket, {"uploads/", "saved/", "routes/"})));
  // The destination of POST /v1/videos/{id}/save's copy.
  statements.push_back(Allow("ApiSavedCopies", "s3:PutObject", Objects(bucket, {"saved/"})));
  // Deletion of videos, route photos, thumbnails; erasure; the sweeper. RGW decides a
  // multi-object delete (POST ?delete) on the bucket's ARN first and then on each key's, so the
  // bucket ARN is listed too: it lets the request in, each key still needs one of the prefixes.
  json deletes = Objects(bucket, {"uploads/", "saved/", "routes/", "thumbnails/"});
  deletes.insert(deletes.begin(), Arn(bucket, ""));
  statements.push_back(Allow("ApiDeletes", "s3:DeleteObject", std::move(deletes)));
  // Listings under the API's prefixes only (erasure, the sweeper, storage usage).
  json listing = Allow("ApiListing", "s3:ListBucket", {Arn(bucket, "")});
  listing["Condition"] = {
      {"StringLike", {{"s3:prefix", json::array({"uploads/*", "saved/*", "routes/*"})}}}};
  statements.push_back(std::move(listing));
  // A missing object is a 404 (POST /v1/analyses before the upload), and HeadBucket (/ready).
  statements.push_back(Existence("ApiExistence", bucket));
  return statements;
}

json WorkerStatements(std::string_view bucket) {
  json statements = json::array();
  // The videos analysed and the route photos detected.
  statements.push_back(
      Allow("WorkerReads", "s3:GetObject", Objects(bucket, {"uploads/", "saved/", "routes/"})));
  // The wall image built from an analysed video, at its route's key.
  statements.push_back(Allow("WorkerWallImages", "s3:PutObject", Objects(bucket, {"routes/"})));
  // A video or photo deleted meanwhile is a 404 (video_not_found), not an outage; no listing.
  statements.push_back(Existence("WorkerExistence", bucket));
  return statements;
}

json StatementsOf(Credential credential, std::string_view bucket) {
  switch (credential) {
    case Credential::kPresign:
      return PresignStatements(bucket);
    case Credential::kApi:
      return ApiStatements(bucket);
    case Credential::kWorker:
      return WorkerStatements(bucket);
  }
  return json::array();
}

}  // namespace

std::optional<Credential> ParseCredential(std::string_view name) {
  if (name == "presign") return Credential::kPresign;
  if (name == "api") return Credential::kApi;
  if (name == "worker") return Credential::kWorker;
  return std::nullopt;
}

std::string BucketAccessPolicy(std::string_view bucket, const PolicyPrincipals& principals) {
  json statements = json::array();
  statements.push_back({{"Sid", "Owner"},
                        {"Effect", "Allow"},
                        {"Principal", {{"AWS", json::array({principals.owner})}}},
                        {"Action", {"s3:*"}},
                        {"Resource", {Arn(bucket, ""), Arn(bucket, "/*")}}});
  const std::pair<Credential, const std::string*> confined[] = {
      {Credential::kPresign, &principals.presign},
      {Credential::kApi, &principals.api},
      {Credential::kWorker, &principals.worker}};
  for (const auto& [credential, principal] : confined) {
    if (principal->empty()) continue;
    for (auto& st : StatementsOf(credential, bucket)) {
      st["Principal"] = {{"AWS", json::array({*principal})}};
      statements.push_back(std::move(st));
    }
  }
  return json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
}

std::string IdentityPolicy(Credential credential, std::string_view bucket) {
  return json{{"Version", "2012-10-17"}, {"Statement", StatementsOf(credential, bucket)}}.dump(2);
}

}  // namespace ascension::s3
