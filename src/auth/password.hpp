// Password hashing with Argon2id (libsodium's crypto_pwhash_str). Parameters: 3 passes over
// 64 MiB, one lane — above the OWASP minimum (19 MiB, 2 passes). The encoded hash string
// carries its own parameters and salt, so parameters can be raised later without a migration.
//
// Accounts imported from the original system (ascension-admin import-legacy) carry bcrypt hashes
// ($2a$, $2b$, $2y$): Verify checks them through libxcrypt's crypt_rn, and NeedsRehash says the
// login that just proved the password should store an Argon2id hash in their place.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace ascension::auth {

class PasswordHasher {
 public:
  PasswordHasher();

  Result<std::string> Hash(std::string_view password) const;
  // Constant-time verification. For an unknown account pass `encoded` = nullptr: the same work
  // is done against a dummy hash so timing does not reveal whether the email exists.
  // Argon2id or bcrypt hashes; anything else never verifies.
  bool Verify(std::string_view password, const std::string* encoded) const;
  // True for a hash that is not Argon2id with this class's parameters (bcrypt, weaker settings).
  bool NeedsRehash(const std::string& encoded) const;

 private:
  std::string dummy_hash_;
};

}  // namespace ascension::auth
