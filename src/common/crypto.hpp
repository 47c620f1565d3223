// Small encoding and hashing helpers over OpenSSL and libsodium.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ascension {

// RFC 4648 §5 base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Decodes base64url with or without padding; nullopt on any invalid character or length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);

// Raw 32-byte digests.
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// Compares in time independent of where the inputs differ (lengths may leak).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically secure random bytes (libsodium).
std::string RandomBytes(size_t n);

// A random RFC 4122 version-4 UUID in canonical lower-case form.
std::string NewUuid();
// True for a canonical 8-4-4-4-12 hex UUID (any case).
bool IsUuid(std::string_view s);

}  // namespace ascension
