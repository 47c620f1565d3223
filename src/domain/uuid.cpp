#include "domain/uuid.hpp"

#include <sodium.h>

#include <cstdlib>

namespace ascension::domain {
namespace {

constexpr char kHex[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

}  // namespace

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(36, '-');
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    int v = HexValue(text[i]);
    if (v < 0) return std::nullopt;
    out[i] = kHex[v];
  }
  return Uuid(std::move(out));
}

Uuid Uuid::FromRandomBytes(const std::array<std::uint8_t, 16>& in) {
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
  return Uuid(std::move(out));
}

Uuid Uuid::Random() {
  static const int kInit = sodium_init();
  if (kInit < 0) std::abort();  // no secure randomness: refusing to run is the only safe choice
  std::array<std::uint8_t, 16> b{};
  randombytes_buf(b.data(), b.size());
  return FromRandomBytes(b);
}

}  // namespace ascension::domain
