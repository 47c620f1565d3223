#include "auth/password.hpp"

#include <gtest/gtest.h>

namespace ascension::auth {
namespace {

TEST(Password, HashIsArgon2idAndVerifies) {
  PasswordHasher h;
  auto hash = h.Hash("correct horse");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_NE(hash->find("m=65536"), std::string::npos) << *hash;
  EXPECT_NE(hash->find("t=3"), std::string::npos) << *hash;
  EXPECT_TRUE(h.Verify("correct horse", &hash.value()));
  EXPECT_FALSE(h.Verify("correct horsf", &hash.value()));
  EXPECT_FALSE(h.Verify("", &hash.value()));
}

TEST(Password, SamePasswordGetsDifferentSalts) {
  PasswordHasher h;
  EXPECT_NE(h.Hash("password1").value(), h.Hash("password1").value());
}

TEST(Password, UnknownAccountNeverVerifies) {
  PasswordHasher h;
  EXPECT_FALSE(h.Verify("anything", nullptr));
}

TEST(Password, CorruptHashDoesNotVerify) {
  PasswordHasher h;
  std::string bad = "$argon2id$v=19$m=65536,t=3,p=1$garbage";
  EXPECT_FALSE(h.Verify("x", &bad));
}

}  // namespace
}  // namespace ascension::auth
