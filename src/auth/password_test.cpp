#include "auth/password.hpp"

#include <crypt.h>
#include <gtest/gtest.h>

#include <cstring>

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

// A bcrypt hash of `password` as the original system stored them (made here with libxcrypt).
std::string Bcrypt(const std::string& prefix, const std::string& password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix.c_str(), 4, nullptr, 0, setting, sizeof setting), nullptr);
  struct crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* out = crypt_rn(password.c_str(), setting, &data, sizeof data);
  EXPECT_NE(out, nullptr);
  return out ? std::string(out) : std::string();
}

TEST(Password, BcryptHashesOfTheOriginalSystemVerifyAndNeedARehash) {
  PasswordHasher h;
  for (std::string prefix : {"$2a$", "$2b$", "$2y$"}) {
    std::string hash = Bcrypt(prefix, "old-password");
    ASSERT_EQ(hash.rfind(prefix, 0), 0u) << hash;
    ASSERT_EQ(hash.size(), 60u);
    EXPECT_TRUE(h.Verify("old-password", &hash)) << prefix;
    EXPECT_FALSE(h.Verify("old-passwore", &hash)) << prefix;
    EXPECT_FALSE(h.Verify("", &hash)) << prefix;
    EXPECT_FALSE(h.Verify(std::string("old-password\0x", 14), &hash)) << "a NUL cuts nothing short";
    EXPECT_TRUE(h.NeedsRehash(hash)) << prefix;
  }
  auto fresh = h.Hash("old-password");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(h.NeedsRehash(*fresh));
}

TEST(Password, MalformedOrForeignHashesNeverVerify) {
  PasswordHasher h;
  std::string bcrypt = Bcrypt("$2b$", "pw");
  for (std::string bad :
       {bcrypt.substr(0, 59), bcrypt + "x", std::string("$2b$04$") + std::string(53, '.'),
        std::string("$1$abc$def"), std::string("pw"), std::string(""),
        std::string("$argon2i$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaA")}) {
    EXPECT_FALSE(h.Verify("pw", &bad)) << bad;
    EXPECT_TRUE(h.NeedsRehash(bad)) << bad;
  }
}

}  // namespace
}  // namespace ascension::auth
