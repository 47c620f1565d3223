// The password port (ports/password_hasher.hpp) over Argon2id (password.hpp).
#pragma once

#include "auth/password.hpp"
#include "ports/password_hasher.hpp"

namespace ascension::auth {

class Argon2Hasher final : public ports::PasswordHasher {
 public:
  Result<std::string> Hash(std::string_view password) const override {
    return impl_.Hash(password);
  }
  bool Verify(std::string_view password, const std::string* encoded) const override {
    return impl_.Verify(password, encoded);
  }

 private:
  auth::PasswordHasher impl_;
};

}  // namespace ascension::auth
