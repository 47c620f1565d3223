#include "adapters/s3/bucket_policy.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ascension::s3 {
namespace {

using nlohmann::json;

json StatementsFor(const json& policy, const std::string& principal) {
  json out = json::array();
  for (const auto& st : policy["Statement"]) {
    if (st["Principal"]["AWS"][0] == principal) out.push_back(st);
  }
  return out;
}

TEST(BucketPolicy, PresignMayOnlyUploadAndPlayAndNeverCarryDirectives) {
  json p = json::parse(BucketAccessPolicy("ascension", {"arn:aws:iam:::user/owner", "arn:aws:iam:::user/presign"}));
  EXPECT_EQ(p["Version"], "2012-10-17");
  json presign = StatementsFor(p, "arn:aws:iam:::user/presign");
  std::vector<std::string> put, get, denied;
  for (const auto& st : presign) {
    if (st["Effect"] == "Allow" && st["Action"][0] == "s3:PutObject")
      for (const auto& r : st["Resource"]) put.push_back(r);
    if (st["Effect"] == "Allow" && st["Action"][0] == "s3:GetObject")
      for (const auto& r : st["Resource"]) get.push_back(r);
    if (st["Effect"] == "Deny") {
      ASSERT_EQ(st["Condition"]["StringLike"].size(), 1u) << st.dump();  // one key each: OR, not AND
      denied.push_back(st["Condition"]["StringLike"].begin().key());
      EXPECT_EQ(st["Condition"]["StringLike"].begin().value(), "?*");
    }
    EXPECT_EQ(st["Action"].size(), 1u) << st.dump();
  }
  EXPECT_EQ(put, (std::vector<std::string>{"arn:aws:s3:::ascension/uploads/*", "arn:aws:s3:::ascension/routes/*"}));
  EXPECT_EQ(get.size(), 4u);
  for (const char* key : {"s3:x-amz-copy-source", "s3:x-amz-acl", "s3:x-amz-grant-read", "s3:x-amz-grant-full-control",
                          "s3:x-amz-server-side-encryption"}) {
    EXPECT_NE(std::find(denied.begin(), denied.end(), key), denied.end()) << key;
  }
  json owner = StatementsFor(p, "arn:aws:iam:::user/owner");
  ASSERT_EQ(owner.size(), 1u);
  EXPECT_EQ(owner[0]["Action"][0], "s3:*");
  EXPECT_EQ(owner[0]["Resource"].size(), 2u);
}

TEST(BucketPolicy, IdentityPolicyHasTheSameStatementsWithoutPrincipals) {
  json id = json::parse(PresignIdentityPolicy("b"));
  json bucket = StatementsFor(json::parse(BucketAccessPolicy("b", {"o", "p"})), "p");
  ASSERT_EQ(id["Statement"].size(), bucket.size());
  for (size_t i = 0; i < bucket.size(); ++i) {
    json expected = bucket[i];
    expected.erase("Principal");
    EXPECT_EQ(id["Statement"][i], expected);
  }
}

}  // namespace
}  // namespace ascension::s3
