#include "services/accounts.hpp"

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::services {
namespace {

using domain::Uuid;

std::int64_t UnixSeconds(domain::Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Status NoSuchUser() {
  return NotFound("User not found");
}
Status AdminsOnly() {
  return PermissionDenied("Administrators only");
}
Status BadRefreshToken(std::string message = "Refresh token is not valid") {
  return Status(ErrorKind::kUnauthenticated, std::move(message), "invalid_refresh_token");
}

std::string NewRefreshToken() {
  return Base64UrlEncode(RandomBytes(32));
}

}  // namespace

Accounts::Accounts(ports::UserRepository& users, ports::TokenRepository& tokens,
                   ports::VideoRepository& videos, const ports::ObjectStore& objects,
                   const ports::PasswordHasher& passwords, const auth::JwtCodec& jwt,
                   const ports::Clock& clock, AccountsOptions options)
    : users_(users),
      tokens_(tokens),
      videos_(videos),
      objects_(objects),
      passwords_(passwords),
      jwt_(jwt),
      clock_(clock),
      options_(options) {}

Result<Session> Accounts::IssueSession(domain::User user, const Uuid& family) {
  domain::Time now = clock_.Now();
  std::string refresh = NewRefreshToken();
  if (Status s = tokens_.Insert(user.id, family, Sha256(refresh), now + options_.refresh_ttl);
      !s.ok())
    return s;
  Session out;
  out.access_token = jwt_.Issue(user.id.str(), user.role, UnixSeconds(now), user.token_generation);
  out.refresh_token = std::move(refresh);
  out.expires_in = jwt_.ttl();
  out.user = std::move(user);
  return out;
}

Result<Session> Accounts::Register(const Registration& r) {
  if (auto e = domain::ValidateUsername(r.username)) return InvalidArgument(*e);
  if (auto e = domain::ValidateEmail(r.email)) return InvalidArgument(*e);
  if (auto e = domain::ValidatePassword(r.password)) return InvalidArgument(*e);
  domain::User u;
  if (r.language) {
    u.language = domain::ParseLanguage(*r.language);
    if (!u.language) return InvalidArgument("language must be en or fr");
  }
  auto hash = passwords_.Hash(r.password);
  if (!hash.ok()) return hash.status();
  u.id = Uuid::Random();
  u.username = r.username;
  u.email = Lowercase(r.email);
  u.password_hash = std::move(hash).value();
  auto created = users_.Create(u);
  if (!created.ok()) {
    const Status& s = created.status();
    if (s.kind() == ErrorKind::kAlreadyExists) {
      return AlreadyExists(s.code() == "email_taken" ? "An account with this email already exists"
                                                     : "This username is already taken");
    }
    return s;
  }
  log::Info("user registered", {{"user_id", created->id.str()}});
  return IssueSession(std::move(created).value(), Uuid::Random());
}

Result<Session> Accounts::Login(std::string_view email, std::string_view password) {
  auto found = users_.FindByEmail(Lowercase(email));
  if (!found.ok()) return found.status();
  const auto& user = *found;
  // Same Argon2id work whether or not the account exists.
  auto matches = passwords_.Verify(password, user ? &user->password_hash : nullptr);
  if (!matches.ok()) return matches.status();
  if (!*matches) {
    return Status(ErrorKind::kUnauthenticated, "Invalid email or password", "invalid_credentials");
  }
  // An account imported from the original system proves its bcrypt password once: from now on
  // it has an Argon2id hash. A failed rehash costs nothing but another try at the next login.
  if (passwords_.NeedsRehash(user->password_hash)) {
    Status stored = Status::Ok();
    auto rehashed = passwords_.Hash(password);
    if (rehashed.ok()) {
      domain::UserChanges changes;
      changes.password_hash = *rehashed;
      auto updated = users_.Update(user->id, changes);
      if (!updated.ok()) stored = updated.status();
    } else {
      stored = rehashed.status();
    }
    if (stored.ok()) {
      log::Info("password rehashed to argon2id", {{"user_id", user->id.str()}});
    } else {
      log::Warn("password rehash failed",
                {{"user_id", user->id.str()}, {"error", stored.message()}});
    }
  }
  return IssueSession(*user, Uuid::Random());
}

Result<Session> Accounts::Refresh(std::string_view refresh_token) {
  using Outcome = ports::TokenRotation::Outcome;
  domain::Time now = clock_.Now();
  std::string next = NewRefreshToken();
  auto rotation =
      tokens_.Rotate(Sha256(refresh_token), Sha256(next), now, now + options_.refresh_ttl);
  if (!rotation.ok()) return rotation.status();
  switch (rotation->outcome) {
    case Outcome::kUnknown:
      return BadRefreshToken();
    case Outcome::kExpired:
      return BadRefreshToken("Refresh token has expired");
    case Outcome::kSpent:
      // A spent token presented again: someone holds a copy. Revoke the whole family.
      if (Status s = tokens_.RevokeFamily(rotation->family_id); !s.ok()) return s;
      log::Warn("refresh token reuse, family revoked",
                {{"user_id", rotation->user_id.str()}, {"family_id", rotation->family_id.str()}});
      return BadRefreshToken();
    case Outcome::kRotated:
      break;
  }
  auto user = users_.FindById(rotation->user_id);
  if (!user.ok()) return user.status();
  if (!*user) return BadRefreshToken();
  Session out;
  out.access_token =
      jwt_.Issue((*user)->id.str(), (*user)->role, UnixSeconds(now), (*user)->token_generation);
  out.refresh_token = std::move(next);
  out.expires_in = jwt_.ttl();
  out.user = std::move(**user);
  return out;
}

Status Accounts::Logout(const Principal& caller, const std::optional<std::string>& refresh_token) {
  if (refresh_token) return tokens_.RevokeFamilyOf(Sha256(*refresh_token), caller.user_id);
  if (Status s = tokens_.RevokeAll(caller.user_id); !s.ok()) return s;
  return RevokeAccessTokens(caller.user_id);
}

Status Accounts::RevokeAccessTokens(const Uuid& id) {
  domain::UserChanges revoke;
  revoke.revoke_access_tokens = true;
  auto updated = users_.Update(id, revoke);
  Forget(id);
  if (!updated.ok()) return updated.status();
  return Status::Ok();
}

void Accounts::Forget(const Uuid& id) const {
  std::lock_guard l(cache_mu_);
  cache_.erase(id.str());
}

Result<Accounts::AccountState> Accounts::StateOf(const Uuid& id) const {
  domain::Time now = clock_.Now();
  {
    std::lock_guard l(cache_mu_);
    auto it = cache_.find(id.str());
    if (it != cache_.end() && now - it->second.read_at < options_.account_cache_ttl)
      return it->second;
  }
  auto user = users_.FindById(id);
  if (!user.ok()) return user.status();
  AccountState state;
  state.read_at = now;
  if (*user) {
    state.exists = true;
    state.generation = (*user)->token_generation;
    state.role = (*user)->role;
  }
  std::lock_guard l(cache_mu_);
  // Bounded: a flood of distinct valid tokens cannot grow it for ever.
  if (cache_.size() >= 100000) cache_.clear();
  cache_[id.str()] = state;
  return state;
}

Result<Principal> Accounts::Authenticate(std::string_view access_token) const {
  auto claims = jwt_.Verify(access_token, UnixSeconds(clock_.Now()));
  if (!claims.ok()) return claims.status();
  auto id = Uuid::Parse(claims->user_id);
  if (!id) return Unauthenticated("token subject is not an account id");
  auto state = StateOf(*id);
  if (!state.ok()) return state.status();
  if (!state->exists) return Unauthenticated("the token's account no longer exists");
  if (claims->generation != state->generation) return Unauthenticated("token revoked");
  // The role as it is now, not as it was when the token was issued.
  return Principal{*id, state->role};
}

Result<ports::UserWithQuota> Accounts::Profile(const Principal& caller, const Uuid& id) {
  // Someone else's id: not found, never revealing whether the account exists.
  if (id != caller.user_id && !caller.is_admin()) return NoSuchUser();
  auto found = users_.FindWithQuota(id, domain::MonthStart(clock_.Now()));
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchUser();
  return std::move(**found);
}

Result<ports::UserWithQuota> Accounts::UpdateSelf(const Principal& caller,
                                                  const ProfileChanges& changes) {
  return Update(caller.user_id, changes, /*admin=*/false);
}

Result<ports::UserWithQuota> Accounts::UpdateAsAdmin(const Principal& caller, const Uuid& id,
                                                     const ProfileChanges& changes) {
  if (!caller.is_admin()) return AdminsOnly();
  return Update(id, changes, /*admin=*/true);
}

Result<ports::UserWithQuota> Accounts::Update(const Uuid& id, const ProfileChanges& c, bool admin) {
  domain::UserChanges changes;
  if (c.username) {
    if (auto e = domain::ValidateUsername(*c.username)) return InvalidArgument(*e);
    changes.username = *c.username;
  }
  if (c.email) {
    if (auto e = domain::ValidateEmail(*c.email)) return InvalidArgument(*e);
    changes.email = Lowercase(*c.email);
  }
  if (c.password) {
    if (auto e = domain::ValidatePassword(*c.password)) return InvalidArgument(*e);
    if (!admin) {
      if (!c.current_password)
        return InvalidArgument("current_password is required to change the password");
      auto current = users_.FindById(id);
      if (!current.ok()) return current.status();
      if (!*current) return NoSuchUser();
      auto matches = passwords_.Verify(*c.current_password, &(*current)->password_hash);
      if (!matches.ok()) return matches.status();
      if (!*matches)
        return Status(ErrorKind::kPermissionDenied, "The current password is not right",
                      "wrong_password");
    }
  }
  if (c.language) {
    changes.language = domain::ParseLanguage(*c.language);
    if (!changes.language) return InvalidArgument("language must be en or fr");
  }
  changes.ghost_mode = c.ghost_mode;
  for (auto [name, value, out] :
       {std::tuple{"role", &c.role, &changes.role},
        std::tuple{"subscription_tier", &c.subscription_tier, &changes.subscription_tier}}) {
    if (!*value) continue;
    if (!admin) return PermissionDenied(std::string("Only administrators can change ") + name);
    bool valid =
        std::string_view(name) == "role" ? domain::IsRole(**value) : domain::IsTier(**value);
    if (!valid) return InvalidArgument(std::string(name) + " has an unknown value");
    *out = **value;
  }
  // Ghost mode is a premium feature: refuse before changing anything.
  if (changes.ghost_mode.value_or(false)) {
    auto current = users_.FindById(id);
    if (!current.ok()) return current.status();
    if (!*current) return NoSuchUser();
    if (changes.subscription_tier.value_or((*current)->subscription_tier) == "freemium") {
      return Status(ErrorKind::kPermissionDenied,
                    "Ghost mode needs a premium or infinity subscription", "premium_required");
    }
  }
  if (c.password) {
    auto hash = passwords_.Hash(*c.password);
    if (!hash.ok()) return hash.status();
    changes.password_hash = std::move(hash).value();
  }
  // A new password or a role change ends every access token issued before, in the same update.
  changes.revoke_access_tokens = changes.password_hash.has_value() || changes.role.has_value();
  if (!changes.empty()) {
    auto updated = users_.Update(id, changes);
    if (!updated.ok()) {
      if (updated.status().kind() == ErrorKind::kAlreadyExists)
        return AlreadyExists("This username or email is already taken");
      return updated.status();
    }
    Forget(id);
    if (!*updated) return NoSuchUser();
    // A new password ends every session: refresh tokens are revoked (access tokens were, by
    // the generation raised in the same update).
    if (changes.password_hash) {
      if (Status s = tokens_.RevokeAll(id); !s.ok())
        log::Warn("sessions not revoked after a password change",
                  {{"user_id", id.str()}, {"error", s.message()}});
    }
  }
  auto found = users_.FindWithQuota(id, domain::MonthStart(clock_.Now()));
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchUser();
  return std::move(**found);
}

Status Accounts::EraseSelf(const Principal& caller) {
  return Erase(caller.user_id);
}

Status Accounts::EraseAsAdmin(const Principal& caller, const Uuid& id) {
  if (!caller.is_admin()) return AdminsOnly();
  return Erase(id);
}

Status Accounts::Erase(const Uuid& id) {
  auto found = users_.FindById(id);
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchUser();
  // Objects first: if storage fails nothing is deleted and the request can be retried.
  if (Status s = EraseObjects(id); !s.ok()) return s;
  auto deleted = users_.Delete(id);
  Forget(id);
  if (!deleted.ok()) return deleted.status();
  log::Info("account erased", {{"user_id", id.str()}});
  return Status::Ok();
}

Status Accounts::EraseObjects(const Uuid& id) {
  std::vector<std::string> keys;
  auto videos = videos_.IdsOfUser(id);
  if (!videos.ok()) return videos.status();
  for (const auto& v : *videos) keys.push_back("thumbnails/" + v.str() + ".jpg");
  for (std::string prefix : {"uploads/", "saved/", "routes/"}) {
    std::string token;
    do {
      auto page = objects_.List(prefix + id.str() + "/", token);
      if (!page.ok()) return page.status();
      for (const auto& o : page->objects) keys.push_back(o.key);
      token = page->next_token;
    } while (!token.empty());
  }
  if (keys.empty()) return Status::Ok();
  auto refused = objects_.DeleteMany(keys);
  if (!refused.ok()) return refused.status();
  if (!refused->empty()) return Unavailable("storage refused to delete " + refused->front());
  return Status::Ok();
}

Result<domain::PageOf<domain::User>> Accounts::List(const Principal& caller,
                                                    const domain::Page& page) {
  if (!caller.is_admin()) return AdminsOnly();
  return users_.List(page);
}

}  // namespace ascension::services
