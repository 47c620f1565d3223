#include "auth/password.hpp"

#include <crypt.h>
#include <sodium.h>

#include <cstring>

#include "common/crypto.hpp"

namespace ascension::auth {
namespace {

constexpr unsigned long long kOpsLimit = 3;
constexpr size_t kMemLimit = 64ull * 1024 * 1024;

bool IsBcrypt(const std::string& encoded) {
  return encoded.size() == 60 && (encoded.rfind("$2a$", 0) == 0 || encoded.rfind("$2b$", 0) == 0 ||
                                  encoded.rfind("$2y$", 0) == 0);
}

// bcrypt through libxcrypt (reentrant: crypt_rn with our own buffer). The password must not
// contain NUL (crypt takes a C string): such a password never matches a bcrypt hash.
bool VerifyBcrypt(std::string_view password, const std::string& encoded) {
  if (password.find('\0') != std::string_view::npos) return false;
  std::string phrase(password);
  struct crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* out = crypt_rn(phrase.c_str(), encoded.c_str(), &data, sizeof data);
  sodium_memzero(phrase.data(), phrase.size());
  bool ok = out != nullptr && out[0] != '*' && std::strlen(out) == encoded.size() &&
            sodium_memcmp(out, encoded.data(), encoded.size()) == 0;
  sodium_memzero(&data, sizeof data);
  return ok;
}

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
  if (encoded != nullptr && IsBcrypt(*encoded)) return VerifyBcrypt(password, *encoded);
  const std::string& target = encoded != nullptr ? *encoded : dummy_hash_;
  bool ok = crypto_pwhash_str_verify(target.c_str(), password.data(), password.size()) == 0;
  return ok && encoded != nullptr;
}

bool PasswordHasher::NeedsRehash(const std::string& encoded) const {
  if (encoded.rfind("$argon2id$", 0) != 0) return true;
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), kOpsLimit, kMemLimit) != 0;
}

}  // namespace ascension::auth
