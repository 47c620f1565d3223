#include "auth/jwt.hpp"

#include <nlohmann/json.hpp>

#include "common/crypto.hpp"

namespace ascension::auth {
namespace {

// Clock skew tolerated between API instances, in seconds.
constexpr std::int64_t kLeeway = 30;

}  // namespace

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

JwtCodec::JwtCodec(std::string secret, std::string issuer, std::string audience,
                   std::chrono::seconds ttl)
    : secret_(std::move(secret)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      ttl_(ttl) {}

std::string JwtCodec::Issue(std::string_view user_id, std::string_view role, std::int64_t now,
                            std::int64_t generation) const {
  nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  nlohmann::json claims = {{"iss", issuer_},
                           {"aud", audience_},
                           {"sub", std::string(user_id)},
                           {"role", std::string(role)},
                           {"iat", now},
                           {"exp", now + ttl_.count()},
                           {"jti", NewUuid()},
                           {"gen", generation}};
  std::string signing_input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  return signing_input + "." + Base64UrlEncode(HmacSha256(secret_, signing_input));
}

Result<AccessClaims> JwtCodec::Verify(std::string_view token, std::int64_t now) const {
  if (token.size() > 4096) return Unauthenticated("token too long");
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos ||
      token.find('.', d2 + 1) != std::string_view::npos)
    return Unauthenticated("malformed token");

  auto header_raw = Base64UrlDecode(token.substr(0, d1));
  if (!header_raw) return Unauthenticated("malformed token header");
  auto header = nlohmann::json::parse(*header_raw, nullptr, false);
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string() ||
      header["alg"].get<std::string>() != "HS256")
    return Unauthenticated("unsupported token algorithm");

  auto signature = Base64UrlDecode(token.substr(d2 + 1));
  std::string expected = HmacSha256(secret_, token.substr(0, d2));
  if (!signature || !ConstantTimeEquals(*signature, expected))
    return Unauthenticated("bad token signature");

  auto payload_raw = Base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1));
  if (!payload_raw) return Unauthenticated("malformed token payload");
  auto claims = nlohmann::json::parse(*payload_raw, nullptr, false);
  if (!claims.is_object()) return Unauthenticated("malformed token payload");

  auto str = [&](const char* k) -> std::string {
    auto it = claims.find(k);
    return (it != claims.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };
  auto num = [&](const char* k) -> std::int64_t {
    auto it = claims.find(k);
    return (it != claims.end() && it->is_number_integer()) ? it->get<std::int64_t>() : -1;
  };
  if (str("iss") != issuer_) return Unauthenticated("wrong token issuer");
  bool aud_ok = str("aud") == audience_;
  if (auto it = claims.find("aud"); it != claims.end() && it->is_array()) {
    for (const auto& a : *it)
      aud_ok = aud_ok || (a.is_string() && a.get<std::string>() == audience_);
  }
  if (!aud_ok) return Unauthenticated("wrong token audience");
  AccessClaims c;
  c.user_id = str("sub");
  c.role = str("role");
  c.jti = str("jti");
  c.issued_at = num("iat");
  c.expires_at = num("exp");
  c.generation = claims.contains("gen") ? num("gen") : 0;
  if (c.generation < 0) return Unauthenticated("token has a malformed generation");
  if (c.user_id.empty() || !IsUuid(c.user_id) || c.jti.empty() || c.issued_at < 0 ||
      c.expires_at < 0)
    return Unauthenticated("token is missing claims");
  if (c.role != "user" && c.role != "admin") return Unauthenticated("token has an unknown role");
  // The leeway is taken from the clock's side (`now` is a Unix time): a claim may be any
  // non-negative int64, and exp + leeway overflowed for an exp near INT64_MAX (found by fuzz/jwt).
  if (c.expires_at <= now - kLeeway) return Unauthenticated("token expired");
  if (c.issued_at - kLeeway > now) return Unauthenticated("token issued in the future");
  return c;
}

}  // namespace ascension::auth
