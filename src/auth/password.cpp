#include "auth/password.hpp"

#include <sodium.h>

#include "common/crypto.hpp"

namespace ascension::auth {
namespace {

constexpr unsigned long long kOpsLimit = 3;
constexpr size_t kMemLimit = 64ull * 1024 * 1024;

}  // namespace

PasswordHasher::PasswordHasher() {
  // A hash of a random password: verifying anything against it costs the same and fails.
  auto h = Hash(HexEncode(RandomBytes(16)));
  dummy_hash_ = h.ok() ? h.value() : std::string();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  (void)RandomBytes(0);  // makes sure libsodium is initialised
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Internal("password hashing ran out of memory");
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view password, const std::string* encoded) const {
  const std::string& target = encoded != nullptr ? *encoded : dummy_hash_;
  bool ok = crypto_pwhash_str_verify(target.c_str(), password.data(), password.size()) == 0;
  return ok && encoded != nullptr;
}

}  // namespace ascension::auth
