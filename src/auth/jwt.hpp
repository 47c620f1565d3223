// Access tokens: JWT (RFC 7519) signed with HMAC-SHA256. Only "HS256" is accepted; "none",
// any other algorithm, a bad signature, a wrong issuer or audience, a missing claim and an
// expired token are all refused. Signature comparison is constant-time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace ascension::auth {

struct AccessClaims {
  std::string user_id;  // "sub"
  std::string role;     // "role": "user" | "admin"
  std::string jti;
  std::int64_t issued_at = 0;   // "iat", seconds since the epoch
  std::int64_t expires_at = 0;  // "exp"
  // "gen": the account's token generation when the token was issued. A logout of every session,
  // a new password, a role change raise the account's generation: older tokens are refused.
  // Tokens issued before the claim existed carry none and count as generation 0.
  std::int64_t generation = 0;
};

class JwtCodec {
 public:
  // `secret` must be at least 32 bytes (checked by the configuration reader).
  JwtCodec(std::string secret, std::string issuer, std::string audience,
           std::chrono::seconds ttl);

  // Signs a token for the user valid from `now` for the configured lifetime, carrying the
  // account's token `generation`.
  std::string Issue(std::string_view user_id, std::string_view role, std::int64_t now,
                    std::int64_t generation = 0) const;
  // kUnauthenticated with a short reason on any defect.
  Result<AccessClaims> Verify(std::string_view token, std::int64_t now) const;

  std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::string secret_;
  std::string issuer_;
  std::string audience_;
  std::chrono::seconds ttl_;
};

// Seconds since the Unix epoch.
std::int64_t UnixNow();

}  // namespace ascension::auth
