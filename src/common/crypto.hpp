// Small encoding and hashing helpers over OpenSSL and libsodium.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ascension {

// RFC 4648 §5 base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Decodes base64url with or without padding; nullopt on any invalid character or length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);
// Hex digits (either case) back to bytes; nullopt for an odd length or any other character.
std::optional<std::string> HexDecode(std::string_view hex);

// Raw 32-byte digests.
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// Compares in time independent of where the inputs differ (lengths may leak).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically secure random bytes (libsodium).
std::string RandomBytes(size_t n);

// UUIDs, the one implementation (domain::Uuid is built on these three):
// A random RFC 4122 version-4 UUID in canonical lower-case form.
std::string NewUuid();
// The canonical lower-case form of 16 bytes with the version-4 and RFC 4122 variant bits set.
std::string FormatUuidV4(const std::array<std::uint8_t, 16>& bytes);
// The lower-case form of a canonical 8-4-4-4-12 hex UUID (any case); nullopt for anything else
// (braces, URNs, a missing dash, surrounding spaces, NUL bytes).
std::optional<std::string> CanonicalUuid(std::string_view text);
// True when CanonicalUuid accepts `s`.
bool IsUuid(std::string_view s);

}  // namespace ascension
