// Refresh tokens in storage, kept only as SHA-256 hashes. A family is the chain of tokens issued
// from one login.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::ports {

// What presenting a refresh token found.
struct TokenRotation {
  enum class Outcome {
    kRotated,  // it was live: it is now spent and `next` was issued in its family
    kUnknown,  // no such token
    kSpent,    // used or revoked before: someone may hold a copy
    kExpired,  // live but past its expiry
  };
  Outcome outcome = Outcome::kUnknown;
  domain::Uuid user_id;    // all but kUnknown
  domain::Uuid family_id;  // all but kUnknown
};

class TokenRepository {
 public:
  virtual ~TokenRepository() = default;

  // Stores a new live token.
  virtual Status Insert(const domain::Uuid& user_id, const domain::Uuid& family_id,
                        std::string_view token_hash, domain::Time expires_at) = 0;
  // Atomically: finds the token whose hash is `hash` (locking it against concurrent use); when it
  // is live at `now`, marks it spent and inserts `next_hash` in the same family, expiring at
  // `next_expires_at`. Spent, expired and unknown tokens change nothing.
  virtual Result<TokenRotation> Rotate(std::string_view hash, std::string_view next_hash,
                                       domain::Time now, domain::Time next_expires_at) = 0;
  // Revokes every live token of the family.
  virtual Status RevokeFamily(const domain::Uuid& family_id) = 0;
  // Revokes the family of the token whose hash is `hash`, if it belongs to `user_id`.
  virtual Status RevokeFamilyOf(std::string_view hash, const domain::Uuid& user_id) = 0;
  // Revokes every live token of the user.
  virtual Status RevokeAll(const domain::Uuid& user_id) = 0;
};

}  // namespace ascension::ports
