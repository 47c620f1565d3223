// Password hashing as the accounts service sees it (Argon2id in production; a fast fake in unit
// tests, where 64 MiB per hash would dominate).
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace ascension::ports {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual Result<std::string> Hash(std::string_view password) const = 0;
  // Constant-time check. `encoded` null (unknown account): the same work against a dummy hash,
  // so timing does not reveal whether the account exists. An error (kUnavailable "busy": the
  // hashing capacity is taken) is not an answer about the password.
  virtual Result<bool> Verify(std::string_view password, const std::string* encoded) const = 0;
  // Whether a hash that just verified should be replaced by a fresh Hash() of the password (an
  // account imported with a bcrypt hash, or older parameters).
  virtual bool NeedsRehash(const std::string& encoded) const = 0;
};

}  // namespace ascension::ports
