// Accounts: registration, login, refresh-token rotation with reuse detection, logout, access-token
// authentication, profiles with their quota use, profile and admin updates, erasure.
//
// Rules held here: field validation (domain/rules.hpp), emails stored lower-case, the same
// password work whether or not an account exists, refresh tokens single-use (a spent token
// presented again revokes its whole family), a new password ends every session, role and tier
// changed only by an administrator, a logout of every session, a new password or a role change
// ending every access token issued before at once (the account's token generation), ghost mode only on premium and infinity, someone else's
// account indistinguishable from a missing one, erasure deletes the stored objects before the
// rows (a storage failure leaves everything in place, so the request can be retried).
//
// Errors are Status values whose code() names the product's error when it is not the kind's
// default: "invalid_credentials", "invalid_refresh_token", "premium_required".
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/jwt.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"
#include "ports/clock.hpp"
#include "ports/object_store.hpp"
#include "ports/password_hasher.hpp"
#include "ports/token_repository.hpp"
#include "ports/user_repository.hpp"
#include "ports/video_repository.hpp"
#include "services/principal.hpp"

namespace ascension::services {

// What register, login and refresh hand out.
struct Session {
  domain::User user;
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
};

struct Registration {
  std::string username;
  std::string email;
  std::string password;
  std::optional<std::string> language;  // "en" | "fr"
};

// A profile update as the client sent it (present fields only); validated here.
struct ProfileChanges {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> password;
  // The account's present password: required (and checked) when a user changes their own
  // password, so a stolen access token cannot take the account over (issue 10 #4).
  std::optional<std::string> current_password;
  std::optional<std::string> language;
  std::optional<bool> ghost_mode;
  std::optional<std::string> role;               // administrators only
  std::optional<std::string> subscription_tier;  // administrators only
};

struct AccountsOptions {
  std::chrono::hours refresh_ttl{24 * 30};
  // How long an account's token generation, role and existence are believed without reading
  // them again: the delay before a revocation made on another API
  // instance bites. This instance's own revocations bite at once.
  std::chrono::milliseconds account_cache_ttl{2000};
};

class Accounts {
 public:
  Accounts(ports::UserRepository& users, ports::TokenRepository& tokens,
           ports::VideoRepository& videos, const ports::ObjectStore& objects,
           const ports::PasswordHasher& passwords, const auth::JwtCodec& jwt,
           const ports::Clock& clock, AccountsOptions options = {});

  // kInvalidArgument naming the field; kAlreadyExists when the email or username is taken.
  Result<Session> Register(const Registration& r);
  // kUnauthenticated "invalid_credentials" for a wrong password and an unknown email alike.
  Result<Session> Login(std::string_view email, std::string_view password);
  // Rotates a refresh token. kUnauthenticated "invalid_refresh_token" when it is unknown, spent
  // (and then its family is revoked) or expired.
  Result<Session> Refresh(std::string_view refresh_token);
  // Revokes the family of `refresh_token`, or every session of the caller when it is unset (and
  // then every access token issued so far too).
  Status Logout(const Principal& caller, const std::optional<std::string>& refresh_token);
  // The caller an access token names, with the account's present role; kUnauthenticated when the
  // token is not valid now, its account is gone, or it was issued before the account's last
  // revocation (logout of every session, new password, role change). kUnavailable when the
  // account cannot be read.
  Result<Principal> Authenticate(std::string_view access_token) const;

  // The account `id` with its quota use: the caller's own, or anyone's for an administrator;
  // kNotFound otherwise.
  Result<ports::UserWithQuota> Profile(const Principal& caller, const domain::Uuid& id);
  // The caller's own profile change (role and tier refused with kPermissionDenied).
  Result<ports::UserWithQuota> UpdateSelf(const Principal& caller, const ProfileChanges& changes);
  // An administrator's change of any account (kPermissionDenied for anyone else).
  Result<ports::UserWithQuota> UpdateAsAdmin(const Principal& caller, const domain::Uuid& id,
                                             const ProfileChanges& changes);
  // Erases the caller's account, or (EraseAsAdmin) any account for an administrator: every
  // stored object first, then the account and everything it owns.
  Status EraseSelf(const Principal& caller);
  Status EraseAsAdmin(const Principal& caller, const domain::Uuid& id);
  // Every account (administrators only).
  Result<domain::PageOf<domain::User>> List(const Principal& caller, const domain::Page& page);

  std::chrono::seconds access_ttl() const { return jwt_.ttl(); }

 private:
  Result<Session> IssueSession(domain::User user, const domain::Uuid& family);
  Result<ports::UserWithQuota> Update(const domain::Uuid& id, const ProfileChanges& changes,
                                      bool admin);
  Status Erase(const domain::Uuid& id);
  Status EraseObjects(const domain::Uuid& id);
  // Raises the account's token generation (every access token issued so far is refused).
  Status RevokeAccessTokens(const domain::Uuid& id);

  // What Authenticate needs of an account, read at most every account_cache_ttl.
  struct AccountState {
    bool exists = false;
    std::int64_t generation = 0;
    std::string role;
    domain::Time read_at{};
  };
  Result<AccountState> StateOf(const domain::Uuid& id) const;
  void Forget(const domain::Uuid& id) const;

  ports::UserRepository& users_;
  ports::TokenRepository& tokens_;
  ports::VideoRepository& videos_;
  const ports::ObjectStore& objects_;
  const ports::PasswordHasher& passwords_;
  const auth::JwtCodec& jwt_;
  const ports::Clock& clock_;
  AccountsOptions options_;
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, AccountState> cache_;  // guarded by cache_mu_
};

}  // namespace ascension::services
