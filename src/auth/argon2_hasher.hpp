// The password port (ports/password_hasher.hpp) over Argon2id (password.hpp), every call on the
// bounded pool of password_pool.hpp: beyond its capacity a call fails at once with kUnavailable
// and the code "busy".
#pragma once

#include "auth/password.hpp"
#include "auth/password_pool.hpp"
#include "ports/password_hasher.hpp"

namespace ascension::auth {

class Argon2Hasher final : public ports::PasswordHasher {
 public:
  explicit Argon2Hasher(PasswordPool::Options pool) : pool_(impl_, pool) {}

  Result<std::string> Hash(std::string_view password) const override { return pool_.Hash(password); }
  Result<bool> Verify(std::string_view password, const std::string* encoded) const override {
    return pool_.Verify(password, encoded);
  }
  bool NeedsRehash(const std::string& encoded) const override { return impl_.NeedsRehash(encoded); }
  const PasswordPool::Options& pool_options() const { return pool_.options(); }

 private:
  auth::PasswordHasher impl_;
  mutable PasswordPool pool_;  // thread-safe; const here as the port is
};

}  // namespace ascension::auth
