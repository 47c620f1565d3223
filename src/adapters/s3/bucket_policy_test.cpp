#include "adapters/s3/bucket_policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace ascension::s3 {
namespace {

using nlohmann::json;
using Resources = std::set<std::string>;

const PolicyPrincipals kPrincipals = {"arn:aws:iam:::user/owner", "arn:aws:iam:::user/presign",
                                      "arn:aws:iam:::user/api", "arn:aws:iam:::user/worker"};

json StatementsFor(const json& policy, const std::string& principal) {
  json out = json::array();
  for (const auto& st : policy["Statement"]) {
    if (st["Principal"]["AWS"][0] == principal) out.push_back(st);
  }
  return out;
}

// What `statements` allow: action -> resources (Allow statements only).
std::map<std::string, Resources> Allowed(const json& statements) {
  std::map<std::string, Resources> out;
  for (const auto& st : statements) {
    if (st["Effect"] != "Allow") continue;
    EXPECT_EQ(st["Action"].size(), 1u) << st.dump();
    for (const auto& r : st["Resource"]) out[st["Action"][0]].insert(r.get<std::string>());
  }
  return out;
}

Resources Objects(std::initializer_list<const char*> prefixes) {
  Resources out;
  for (const char* p : prefixes) out.insert(std::string("arn:aws:s3:::ascension/") + p + "*");
  return out;
}

json Policy() {
  return json::parse(BucketAccessPolicy("ascension", kPrincipals));
}

// The condition of a ListBucket grant that no listing meets (every listing carries s3:max-keys).
constexpr const char* kNotAListing = R"({"Null":{"s3:max-keys":"true"}})";

TEST(BucketPolicy, PresignMayOnlyUploadAndPlayAndNeverCarryDirectives) {
  json p = Policy();
  EXPECT_EQ(p["Version"], "2012-10-17");
  json presign = StatementsFor(p, kPrincipals.presign);
  std::vector<std::string> denied;
  for (const auto& st : presign) {
    if (st["Effect"] == "Deny") {
      ASSERT_EQ(st["Condition"]["StringLike"].size(), 1u) << st.dump();  // one key each: OR, not AND
      denied.push_back(st["Condition"]["StringLike"].begin().key());
      EXPECT_EQ(st["Condition"]["StringLike"].begin().value(), "?*");
      EXPECT_EQ(st["Action"], json::array({"s3:PutObject"}));
    }
  }
  auto allowed = Allowed(presign);
  EXPECT_EQ(allowed.size(), 2u);
  EXPECT_EQ(allowed["s3:PutObject"], Objects({"uploads/", "routes/"}));
  EXPECT_EQ(allowed["s3:GetObject"], Objects({"uploads/", "saved/", "routes/", "thumbnails/"}));
  for (const char* key : {"s3:x-amz-copy-source", "s3:x-amz-acl", "s3:x-amz-grant-read",
                          "s3:x-amz-grant-full-control", "s3:x-amz-server-side-encryption",
                          "s3:x-amz-storage-class"}) {
    EXPECT_NE(std::find(denied.begin(), denied.end(), key), denied.end()) << key;
  }
  json owner = StatementsFor(p, kPrincipals.owner);
  ASSERT_EQ(owner.size(), 1u);
  EXPECT_EQ(owner[0]["Action"][0], "s3:*");
  EXPECT_EQ(owner[0]["Resource"].size(), 2u);
}

// The API heads, copies uploads/ to saved/, deletes and lists under its own prefixes.
TEST(BucketPolicy, ApiMayOnlyUseTheObjectActionsItUses) {
  auto allowed = Allowed(StatementsFor(Policy(), kPrincipals.api));
  EXPECT_EQ(allowed.size(), 4u);
  EXPECT_EQ(allowed["s3:GetObject"], Objects({"uploads/", "saved/", "routes/"}));
  EXPECT_EQ(allowed["s3:PutObject"], Objects({"saved/"}));
  Resources deletes = Objects({"uploads/", "saved/", "routes/", "thumbnails/"});
  deletes.insert("arn:aws:s3:::ascension");  // RGW's multi-object delete asks about the bucket
  EXPECT_EQ(allowed["s3:DeleteObject"], deletes);
  EXPECT_EQ(allowed["s3:ListBucket"], Resources{"arn:aws:s3:::ascension"});
  // Listings only with a prefix under the API's own folders (no listing of the whole bucket), and
  // the existence check of requests that are not listings.
  std::set<std::string> conditions;
  for (const auto& st : StatementsFor(Policy(), kPrincipals.api)) {
    if (st["Action"][0] == "s3:ListBucket") {
      ASSERT_TRUE(st.contains("Condition")) << "an unconditioned ListBucket: " << st.dump();
      conditions.insert(st["Condition"].dump());
    } else {
      EXPECT_FALSE(st.contains("Condition")) << st.dump();
    }
  }
  EXPECT_EQ(conditions, (std::set<std::string>{
                            kNotAListing,
                            R"({"StringLike":{"s3:prefix":["uploads/*","saved/*","routes/*"]}})"}));
}

// The worker reads videos and route photos and writes the wall image of a route.
TEST(BucketPolicy, WorkerMayOnlyReadVideosAndPhotosAndWriteWallImages) {
  json worker = StatementsFor(Policy(), kPrincipals.worker);
  auto allowed = Allowed(worker);
  EXPECT_EQ(allowed.size(), 3u);
  EXPECT_EQ(allowed["s3:GetObject"], Objects({"uploads/", "saved/", "routes/"}));
  EXPECT_EQ(allowed["s3:PutObject"], Objects({"routes/"}));
  EXPECT_EQ(allowed["s3:ListBucket"], Resources{"arn:aws:s3:::ascension"});
  for (const auto& st : worker) {
    EXPECT_EQ(st["Effect"], "Allow") << st.dump();
    // No listing at all: only the existence check (a missing video is a 404, not a 403).
    if (st["Action"][0] == "s3:ListBucket") {
      EXPECT_EQ(st["Condition"].dump(), kNotAListing);
    }
  }
}

// Nothing but the owner may change the bucket (policy, lifecycle, CORS, ACL) or delete it: every
// action a confined credential is granted is one of four object-level ones, never a wildcard.
TEST(BucketPolicy, NoConfinedCredentialTouchesTheBucketConfiguration) {
  const std::set<std::string> object_actions = {"s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                                                "s3:ListBucket"};
  json p = Policy();
  std::set<std::string> sids;
  for (const auto& st : p["Statement"]) {
    EXPECT_TRUE(sids.insert(st["Sid"].get<std::string>()).second) << "duplicate Sid " << st["Sid"];
    if (st["Principal"]["AWS"][0] == kPrincipals.owner || st["Effect"] != "Allow") continue;
    for (const auto& action : st["Action"]) {
      EXPECT_TRUE(object_actions.count(action.get<std::string>())) << st.dump();
    }
  }
  EXPECT_EQ(p["Statement"].size(), 1 + StatementsFor(p, kPrincipals.presign).size() +
                                       StatementsFor(p, kPrincipals.api).size() +
                                       StatementsFor(p, kPrincipals.worker).size());
}

TEST(BucketPolicy, UnnamedCredentialsGetNoStatements) {
  json p = json::parse(BucketAccessPolicy(
      "ascension", {"arn:aws:iam:::user/owner", "arn:aws:iam:::user/presign", "", ""}));
  for (const auto& st : p["Statement"]) {
    EXPECT_NE(st["Principal"]["AWS"][0], "") << st.dump();
  }
  EXPECT_EQ(p["Statement"].size(), 1 + StatementsFor(p, "arn:aws:iam:::user/presign").size());
  json only_api = json::parse(BucketAccessPolicy("ascension", {"o", "", "a", ""}));
  EXPECT_EQ(only_api["Statement"].size(), 1 + StatementsFor(only_api, "a").size());
}

TEST(BucketPolicy, IdentityPoliciesHaveTheSameStatementsWithoutPrincipals) {
  json bucket = json::parse(BucketAccessPolicy("b", {"o", "p", "a", "w"}));
  const std::pair<Credential, const char*> credentials[] = {
      {Credential::kPresign, "p"}, {Credential::kApi, "a"}, {Credential::kWorker, "w"}};
  for (const auto& [credential, principal] : credentials) {
    json id = json::parse(IdentityPolicy(credential, "b"));
    EXPECT_EQ(id["Version"], "2012-10-17");
    json expected = StatementsFor(bucket, principal);
    ASSERT_EQ(id["Statement"].size(), expected.size()) << principal;
    for (size_t i = 0; i < expected.size(); ++i) {
      expected[i].erase("Principal");
      EXPECT_EQ(id["Statement"][i], expected[i]) << principal;
    }
  }
}

TEST(BucketPolicy, CredentialNames) {
  EXPECT_EQ(ParseCredential("presign"), Credential::kPresign);
  EXPECT_EQ(ParseCredential("api"), Credential::kApi);
  EXPECT_EQ(ParseCredential("worker"), Credential::kWorker);
  EXPECT_EQ(ParseCredential("owner"), std::nullopt);
  EXPECT_EQ(ParseCredential("API"), std::nullopt);
  EXPECT_EQ(ParseCredential(""), std::nullopt);
}

}  // namespace
}  // namespace ascension::s3
