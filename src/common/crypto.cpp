#include "common/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <cctype>
#include <cstdlib>

namespace ascension {
namespace {

void EnsureSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) std::abort();  // no secure randomness: refusing to run is the only safe choice
}

}  // namespace

std::string Base64UrlEncode(std::string_view in) {
  EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(in.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(in.data()),
                    in.size(), kVariant);
  out.pop_back();  // the terminating NUL libsodium writes
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  // Padding is optional on input: strip it and decode the unpadded variant, which refuses any
  // other character (NUL included), a length of 4n+1 and non-zero leftover bits.
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  EnsureSodium();
  std::string out(in.size() / 4 * 3 + 2, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(),
                        in.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string HexEncode(std::string_view bytes) {
  EnsureSodium();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();  // the terminating NUL libsodium writes
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  EnsureSodium();
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size() || len != out.size()) {
    return std::nullopt;
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md.data()), len);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data(), &len);
  return std::string(reinterpret_cast<char*>(md.data()), len);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string FormatUuidV4(const std::array<std::uint8_t, 16>& in) {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<std::uint8_t, 16> b = in;
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

std::string NewUuid() {
  EnsureSodium();
  std::array<std::uint8_t, 16> b{};
  randombytes_buf(b.data(), b.size());
  return FormatUuidV4(b);
}

std::optional<std::string> CanonicalUuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(36, '-');
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      out[i] = c;
    } else if (c >= 'a' && c <= 'f') {
      out[i] = c;
    } else if (c >= 'A' && c <= 'F') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool IsUuid(std::string_view s) { return CanonicalUuid(s).has_value(); }

}  // namespace ascension
