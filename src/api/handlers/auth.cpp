#include "api/handlers/handlers.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"
#include "domain/rules.hpp"
#include "store/records.hpp"

namespace ascension::api {
namespace {

using pg::P;

// Issues an access token and a new refresh token in `family` (a new family when empty).
Result<nlohmann::json> IssueTokens(ApiContext& ctx, pg::Connection& c, const store::User& u,
                                   std::string family) {
  if (family.empty()) family = NewUuid();
  std::string refresh = Base64UrlEncode(RandomBytes(32));
  auto ins = c.Exec(
      "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) "
      "VALUES ($1, $2, decode($3, 'hex'), now() + make_interval(hours => $4))",
      {P(u.id), P(family), P(HexEncode(Sha256(refresh))),
       P(static_cast<std::int64_t>(ctx.config.refresh_ttl.count()))});
  if (!ins.ok()) return ins.status();
  std::string access = ctx.jwt.Issue(u.id, u.role, auth::UnixNow());
  return nlohmann::json{{"access_token", access},
                        {"refresh_token", refresh},
                        {"token_type", "Bearer"},
                        {"expires_in", ctx.jwt.ttl().count()},
                        {"user_id", u.id},
                        {"user", store::UserJson(u)}};
}

http::Response WithSessionCookie(const http::Request& req, ApiContext& ctx, http::Response res,
                                 const std::string& access) {
  std::string cookie = "session_token=" + access + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(ctx.jwt.ttl().count());
  if (req.via_tls) cookie += "; Secure";
  return res.With("Set-Cookie", cookie);
}

http::Response Register(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto body = JsonBody(req, &err);
  if (!body) return err;
  auto username = StringField(*body, "username", true, &err);
  if (!username) return err;
  auto email = StringField(*body, "email", true, &err);
  if (!email) return err;
  auto password = StringField(*body, "password", true, &err);
  if (!password) return err;
  if (auto e = domain::ValidateUsername(*username)) return http::Error(422, "validation_failed", *e);
  if (auto e = domain::ValidateEmail(*email)) return http::Error(422, "validation_failed", *e);
  if (auto e = domain::ValidatePassword(*password)) return http::Error(422, "validation_failed", *e);
  std::string language = "en";
  if (auto lang = StringField(*body, "language", false, &err)) {
    if (!domain::IsLanguage(*lang)) return http::Error(422, "validation_failed", "language must be en or fr");
    language = *lang;
  } else if (err.status != 200) {
    return err;
  }

  auto hash = ctx.passwords.Hash(*password);
  if (!hash.ok()) return FromStatus(hash.status());
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  pg::Transaction tx(**conn);
  auto ins = tx.Exec(std::string("INSERT INTO users (username, email, password_hash, language) "
                                 "VALUES ($1, $2, $3, $4) RETURNING ") + store::kUserColumns,
                     {P(*username), P(domain::Lowercase(*email)), P(*hash), P(language)});
  if (!ins.ok()) {
    if (ins.status().kind() == ErrorKind::kAlreadyExists) {
      bool email_taken = ins.status().message().find("email") != std::string::npos;
      return http::Error(409, "already_exists",
                         email_taken ? "An account with this email already exists"
                                     : "This username is already taken");
    }
    return FromStatus(ins.status());
  }
  store::User u = store::ReadUser(*ins, 0);
  auto tokens = IssueTokens(ctx, **conn, u, "");
  if (!tokens.ok()) return FromStatus(tokens.status());
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  log::Info("user registered", {{"user_id", u.id}, {"request_id", req.request_id}});
  req.user_id = u.id;
  return WithSessionCookie(req, ctx, http::Json(201, *tokens), (*tokens)["access_token"]);
}

http::Response Login(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto body = JsonBody(req, &err);
  if (!body) return err;
  auto email = StringField(*body, "email", true, &err);
  if (!email) return err;
  auto password = StringField(*body, "password", true, &err);
  if (!password) return err;
  std::string key = domain::Lowercase(*email);
  auto by_ip = ctx.login_ip_limiter.Allow("login-ip:" + req.client_ip);
  auto by_account = ctx.login_account_limiter.Allow("login-account:" + key);
  if (!by_ip.allowed || !by_account.allowed) {
    int wait = std::max(by_ip.retry_after_s, by_account.retry_after_s);
    return http::Error(429, "rate_limited", "Too many login attempts, please wait")
        .With("Retry-After", std::to_string(wait));
  }

  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto found = (*conn)->Exec(std::string("SELECT ") + store::kUserColumns + " FROM users WHERE lower(email) = $1",
                             {P(key)});
  if (!found.ok()) return FromStatus(found.status());
  std::optional<store::User> user;
  if (!found->empty()) user = store::ReadUser(*found, 0);
  // Same Argon2id work whether or not the account exists.
  bool ok = ctx.passwords.Verify(*password, user ? &user->password_hash : nullptr);
  if (!ok) return http::Error(401, "invalid_credentials", "Invalid email or password");
  auto tokens = IssueTokens(ctx, **conn, *user, "");
  if (!tokens.ok()) return FromStatus(tokens.status());
  req.user_id = user->id;
  return WithSessionCookie(req, ctx, http::Json(200, *tokens), (*tokens)["access_token"]);
}

http::Response Refresh(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto body = JsonBody(req, &err);
  if (!body) return err;
  auto token = StringField(*body, "refresh_token", true, &err);
  if (!token) return err;
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  pg::Transaction tx(**conn);
  auto row = tx.Exec(
      "SELECT id, user_id, family_id, used_at IS NOT NULL OR revoked_at IS NOT NULL, expires_at < now() "
      "FROM refresh_tokens WHERE token_hash = decode($1, 'hex') FOR UPDATE",
      {P(HexEncode(Sha256(*token)))});
  if (!row.ok()) return FromStatus(row.status());
  if (row->empty()) return http::Error(401, "invalid_refresh_token", "Refresh token is not valid");
  std::string id = row->Text(0, 0), user_id = row->Text(0, 1), family = row->Text(0, 2);
  if (row->Bool(0, 3)) {
    // A spent token presented again: someone holds a copy. Revoke the whole family.
    (void)tx.Exec("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
                  {P(family)});
    (void)tx.Commit();
    log::Warn("refresh token reuse, family revoked", {{"user_id", user_id}, {"family_id", family}});
    return http::Error(401, "invalid_refresh_token", "Refresh token is not valid");
  }
  if (row->Bool(0, 4)) return http::Error(401, "invalid_refresh_token", "Refresh token has expired");
  auto used = tx.Exec("UPDATE refresh_tokens SET used_at = now() WHERE id = $1", {P(id)});
  if (!used.ok()) return FromStatus(used.status());
  auto u = tx.Exec(std::string("SELECT ") + store::kUserColumns + " FROM users WHERE id = $1", {P(user_id)});
  if (!u.ok()) return FromStatus(u.status());
  if (u->empty()) return http::Error(401, "invalid_refresh_token", "Refresh token is not valid");
  store::User user = store::ReadUser(*u, 0);
  auto tokens = IssueTokens(ctx, **conn, user, family);
  if (!tokens.ok()) return FromStatus(tokens.status());
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  req.user_id = user.id;
  return WithSessionCookie(req, ctx, http::Json(200, *tokens), (*tokens)["access_token"]);
}

http::Response Logout(ApiContext& ctx, http::Request& req) {
  std::optional<std::string> token;
  if (!req.body.empty()) {
    http::Response err;
    auto body = JsonBody(req, &err);
    if (!body) return err;
    token = StringField(*body, "refresh_token", false, &err);
    if (!token && err.status != 200) return err;
  }
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  Result<pg::Rows> r = token
      ? (*conn)->Exec("UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = "
                      "(SELECT family_id FROM refresh_tokens WHERE token_hash = decode($1, 'hex') AND user_id = $2)",
                      {P(HexEncode(Sha256(*token))), P(req.user_id)})
      : (*conn)->Exec("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
                      {P(req.user_id)});
  if (!r.ok()) return FromStatus(r.status());
  http::Response res;
  res.status = 204;
  res.content_type = "application/json";
  std::string cookie = "session_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (req.via_tls) cookie += "; Secure";
  return res.With("Set-Cookie", cookie);
}

}  // namespace

void RegisterAuthRoutes(http::Router& r, ApiContext& ctx) {
  http::RouteOptions open{.requires_auth = false, .json_body = true};
  r.Add("POST", "/v1/auth/register", open, [&ctx](http::Request& q) { return Register(ctx, q); });
  r.Add("POST", "/v1/auth/login", open, [&ctx](http::Request& q) { return Login(ctx, q); });
  r.Add("POST", "/v1/auth/refresh", open, [&ctx](http::Request& q) { return Refresh(ctx, q); });
  r.Add("POST", "/v1/auth/logout", {.requires_auth = true}, [&ctx](http::Request& q) { return Logout(ctx, q); });
}

}  // namespace ascension::api
