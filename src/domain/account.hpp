// A climber's account as the rules see it. Roles: "user" | "admin"; subscription tiers:
// "freemium" | "premium" | "infinity" (see rules.hpp for their quotas).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/language.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::domain {

struct User {
  Uuid id;
  std::string username;
  std::string email;  // stored lower-case
  std::string password_hash;
  std::string role = "user";
  std::string subscription_tier = "freemium";
  std::optional<Language> language;  // unset: the client's Accept-Language, else DEFAULT_LANGUAGE
  bool ghost_mode = false;
  // Raised by a logout of every session, a new password, a role change: access tokens carrying an
  // older generation are refused.
  std::int64_t token_generation = 0;
  Time created_at{};
};

// What an update changes; unset fields stay as they are.
struct UserChanges {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> password_hash;
  std::optional<Language> language;
  std::optional<bool> ghost_mode;
  std::optional<std::string> role;
  std::optional<std::string> subscription_tier;
  // Raise token_generation: every access token issued so far stops working.
  bool revoke_access_tokens = false;

  bool empty() const {
    return !username && !email && !password_hash && !language && !ghost_mode && !role &&
           !subscription_tier && !revoke_access_tokens;
  }
};

}  // namespace ascension::domain
