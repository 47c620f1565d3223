// Identifiers of users, videos, analyses and token families: RFC 4122 UUIDs, parsed and
// canonicalised once where they enter (a path, a body, a message, a row) and carried as a Uuid
// from there on, so that two spellings of one id ("ABC…" and "abc…") can never be two keys.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ascension::domain {

class Uuid {
 public:
  // The nil UUID (all zeros): the value of an id not yet assigned.
  Uuid() : text_("00000000-0000-0000-0000-000000000000") {}

  // The canonical 8-4-4-4-12 hex form, any case; nullopt for anything else (braces, URNs, a
  // missing dash, surrounding spaces, NUL bytes).
  static std::optional<Uuid> Parse(std::string_view text);
  // A version-4 (random) UUID from 16 random bytes; the version and variant bits are set here.
  static Uuid FromRandomBytes(const std::array<std::uint8_t, 16>& bytes);
  // A new random (version 4) UUID from the operating system's CSPRNG (libsodium).
  static Uuid Random();

  // Lower-case canonical form, e.g. "0b1c…-…".
  const std::string& str() const { return text_; }
  bool is_nil() const { return text_ == Uuid().text_; }

  friend bool operator==(const Uuid& a, const Uuid& b) { return a.text_ == b.text_; }
  friend bool operator<(const Uuid& a, const Uuid& b) { return a.text_ < b.text_; }

 private:
  explicit Uuid(std::string canonical) : text_(std::move(canonical)) {}
  std::string text_;
};

}  // namespace ascension::domain

template <>
struct std::hash<ascension::domain::Uuid> {
  size_t operator()(const ascension::domain::Uuid& u) const noexcept {
    return std::hash<std::string>()(u.str());
  }
};
