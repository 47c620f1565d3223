#include "auth/jwt.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/crypto.hpp"

namespace ascension::auth {
namespace {

const std::string kSecret(40, 'k');
const std::string kUser = "0b7e7dbb-3c58-4d5e-9a43-1c6f1f9a2b11";
constexpr std::int64_t kNow = 1'800'000'000;

JwtCodec Codec() {
  return JwtCodec(kSecret, "ascension", "ascension-app", std::chrono::hours(1));
}

// Builds a token with arbitrary header/claims signed with `secret`.
std::string Forge(const nlohmann::json& header, const nlohmann::json& claims,
                  const std::string& secret) {
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  return input + "." + Base64UrlEncode(HmacSha256(secret, input));
}

nlohmann::json GoodClaims() {
  return {{"iss", "ascension"}, {"aud", "ascension-app"}, {"sub", kUser}, {"role", "user"},
          {"iat", kNow},        {"exp", kNow + 3600},     {"jti", "j1"}};
}

TEST(Jwt, IssuedTokenVerifiesWithAllClaims) {
  auto codec = Codec();
  auto claims = codec.Verify(codec.Issue(kUser, "admin", kNow), kNow + 10);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->user_id, kUser);
  EXPECT_EQ(claims->role, "admin");
  EXPECT_EQ(claims->issued_at, kNow);
  EXPECT_EQ(claims->expires_at, kNow + 3600);
  EXPECT_FALSE(claims->jti.empty());
}

// The account's token generation travels in "gen"; a token without it (issued before the claim
// existed) is generation 0; a malformed one is refused.
TEST(Jwt, TheTokenGenerationIsCarriedAndChecked) {
  auto codec = Codec();
  auto claims = codec.Verify(codec.Issue(kUser, "user", kNow, 7), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->generation, 7);
  auto legacy = codec.Verify(Forge({{"alg", "HS256"}}, GoodClaims(), kSecret), kNow);
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->generation, 0);
  for (const nlohmann::json& gen : {nlohmann::json(-1), nlohmann::json("3"), nlohmann::json(1.5)}) {
    auto c = GoodClaims();
    c["gen"] = gen;
    EXPECT_FALSE(codec.Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok()) << gen.dump();
  }
}

TEST(Jwt, EachTokenHasAUniqueJti) {
  auto codec = Codec();
  EXPECT_NE(codec.Verify(codec.Issue(kUser, "user", kNow), kNow)->jti,
            codec.Verify(codec.Issue(kUser, "user", kNow), kNow)->jti);
}

TEST(Jwt, ExpiredTokenRefused) {
  auto codec = Codec();
  auto r = codec.Verify(codec.Issue(kUser, "user", kNow), kNow + 3600 + 31);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kUnauthenticated);
  EXPECT_NE(r.status().message().find("expired"), std::string::npos);
}

// Found by fuzz/jwt: "exp" near INT64_MAX made the expiry check overflow (undefined behaviour,
// fatal under UBSan). Claims at the edge of int64 are compared without overflow.
TEST(Jwt, ClaimsAtTheEdgeOfInt64DoNotOverflow) {
  auto c = GoodClaims();
  c["exp"] = std::numeric_limits<std::int64_t>::max();
  EXPECT_TRUE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok());
  c = GoodClaims();
  c["iat"] = std::numeric_limits<std::int64_t>::max();
  auto r = Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("future"), std::string::npos);
  // The boundaries themselves are unchanged: valid until exp + 30 s, iat up to 30 s ahead.
  c = GoodClaims();
  EXPECT_TRUE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow + 3600 + 29).ok());
  EXPECT_FALSE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow + 3600 + 30).ok());
  c["iat"] = kNow + 30;
  EXPECT_TRUE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok());
  c["iat"] = kNow + 31;
  EXPECT_FALSE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok());
}

TEST(Jwt, AlgNoneRefused) {
  std::string input = Base64UrlEncode(nlohmann::json{{"alg", "none"}, {"typ", "JWT"}}.dump()) +
                      "." + Base64UrlEncode(GoodClaims().dump());
  EXPECT_FALSE(Codec().Verify(input + ".", kNow).ok());
  EXPECT_FALSE(Codec().Verify(input, kNow).ok());
}

TEST(Jwt, OtherAlgorithmRefusedEvenWithValidHmac) {
  auto t = Forge({{"alg", "HS512"}, {"typ", "JWT"}}, GoodClaims(), kSecret);
  EXPECT_FALSE(Codec().Verify(t, kNow).ok());
}

TEST(Jwt, BadSignatureRefused) {
  EXPECT_TRUE(Codec().Verify(Forge({{"alg", "HS256"}}, GoodClaims(), kSecret), kNow).ok());
  EXPECT_FALSE(
      Codec().Verify(Forge({{"alg", "HS256"}}, GoodClaims(), std::string(40, 'x')), kNow).ok());
}

TEST(Jwt, TamperedPayloadRefused) {
  auto codec = Codec();
  std::string t = codec.Issue(kUser, "user", kNow);
  size_t d1 = t.find('.'), d2 = t.rfind('.');
  auto claims = GoodClaims();
  claims["role"] = "admin";
  std::string forged = t.substr(0, d1) + "." + Base64UrlEncode(claims.dump()) + t.substr(d2);
  EXPECT_FALSE(codec.Verify(forged, kNow).ok());
}

TEST(Jwt, WrongAudienceOrIssuerRefused) {
  auto c = GoodClaims();
  c["aud"] = "someone-else";
  EXPECT_FALSE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok());
  c = GoodClaims();
  c["iss"] = "evil";
  EXPECT_FALSE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok());
}

TEST(Jwt, MissingClaimsRefused) {
  for (const char* k : {"sub", "exp", "iat", "jti", "role"}) {
    auto c = GoodClaims();
    c.erase(k);
    EXPECT_FALSE(Codec().Verify(Forge({{"alg", "HS256"}}, c, kSecret), kNow).ok()) << k;
  }
}

TEST(Jwt, GarbageRefused) {
  for (const char* t : {"", "abc", "a.b", "a.b.c", "a.b.c.d", "...", "eyJ.eyJ.sig"}) {
    EXPECT_FALSE(Codec().Verify(t, kNow).ok()) << t;
  }
}

}  // namespace
}  // namespace ascension::auth
