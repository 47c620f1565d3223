// /v1/auth/*: register (limited per client address), login (rate-limited per IP, locked out per
// account and per address by the LoginGuard), refresh, logout.
#include "api/handlers/handlers.hpp"
#include "api/handlers/web.hpp"
#include "api/respond.hpp"
#include "api/views.hpp"
#include "common/log.hpp"

namespace ascension::api {
namespace {

// The refresh token also travels as an httpOnly cookie scoped to /v1/auth, so that a browser
// app keeps its access token in memory only and renews it without ever reading the refresh token.
constexpr const char* kRefreshCookie = "refresh_token";

std::string Cookie(const http::Request& req, const std::string& name, const std::string& value,
                   const std::string& path, std::int64_t max_age) {
  std::string cookie = name + "=" + value + "; Path=" + path +
                       "; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (req.via_tls) cookie += "; Secure";
  return cookie;
}

http::Response SessionResponse(ApiContext& ctx, http::Request& req, int status,
                               const services::Session& s) {
  req.user_id = s.user.id.str();
  auto refresh_age = std::chrono::duration_cast<std::chrono::seconds>(ctx.config.refresh_ttl);
  return http::Json(status, SessionJson(s, ctx.default_language))
      .With("Set-Cookie",
            Cookie(req, "session_token", s.access_token, "/", ctx.accounts->access_ttl().count()))
      .With("Set-Cookie",
            Cookie(req, kRefreshCookie, s.refresh_token, "/v1/auth", refresh_age.count()));
}

http::Response TooMany(const char* message, std::chrono::seconds retry_after) {
  return http::Error(429, "rate_limited", message)
      .With("Retry-After", std::to_string(retry_after.count()));
}

http::Response Register(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  services::Registration r;
  auto username = f.String("username", true);
  auto email = f.String("email", true);
  auto password = f.String("password", true);
  r.language = f.String("language");
  if (!f.ok()) return f.error();
  r.username = *username;
  r.email = *email;
  r.password = *password;
  auto verdict = ctx.login_guard->Registration(req.client_ip);
  if (!verdict.ok()) return FromStatus(verdict.status());
  if (!verdict->allowed)
    return TooMany("Too many registrations from this address, please wait", verdict->retry_after);
  auto session = ctx.accounts->Register(r);
  if (!session.ok()) return FromStatus(session.status());
  return SessionResponse(ctx, req, 201, *session);
}

http::Response Login(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto email = f.String("email", true);
  auto password = f.String("password", true);
  if (!f.ok()) return f.error();
  constexpr const char* kTooMany = "Too many login attempts, please wait";
  auto by_ip = ctx.login_ip_limiter.Allow("login-ip:" + req.client_ip);
  if (!by_ip.allowed) return TooMany(kTooMany, std::chrono::seconds(by_ip.retry_after_s));
  // The same answer whether or not the account exists; a locked pair is never verified, so a
  // correct password does not get through a lock either.
  auto verdict = ctx.login_guard->CheckLogin(*email, req.client_ip);
  if (!verdict.ok()) return FromStatus(verdict.status());
  if (!verdict->allowed) return TooMany(kTooMany, verdict->retry_after);
  auto session = ctx.accounts->Login(*email, *password);
  if (!session.ok()) {
    if (session.status().code() == "invalid_credentials") {
      if (Status s = ctx.login_guard->LoginFailed(*email, req.client_ip); !s.ok())
        log::Warn("login failure not counted", {{"error", s.message()}});
    }
    return FromStatus(session.status());
  }
  return SessionResponse(ctx, req, 200, *session);
}

http::Response Refresh(ApiContext& ctx, http::Request& req) {
  // The token from the body, else from the refresh cookie (no body, or `{}`).
  Fields f(req.json);
  auto token = f.String("refresh_token");
  if (!f.ok()) return f.error();
  if (!token) {
    token = req.Cookie(kRefreshCookie);
    if (!token || token->empty())
      return http::Error(422, "validation_failed",
                         "refresh_token is required (in the body or the refresh_token cookie)");
    if (!CookieOriginAllowed(req, ctx.config.cors_origins))
      return http::Error(403, "forbidden", "This origin may not use the session cookie");
  }
  auto session = ctx.accounts->Refresh(*token);
  if (!session.ok()) return FromStatus(session.status());
  return SessionResponse(ctx, req, 200, *session);
}

http::Response Logout(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto token = f.String("refresh_token");
  if (!f.ok()) return f.error();
  if (!token) {
    if (auto c = req.Cookie(kRefreshCookie); c && !c->empty()) token = c;
  }
  if (Status s = ctx.accounts->Logout(Caller(req), token); !s.ok()) return FromStatus(s);
  return NoContent()
      .With("Set-Cookie", Cookie(req, "session_token", "", "/", 0))
      .With("Set-Cookie", Cookie(req, kRefreshCookie, "", "/v1/auth", 0));
}

}  // namespace

void RegisterAuthRoutes(http::Router& r, ApiContext& ctx) {
  http::RouteOptions open{.requires_auth = false, .json_body = true};
  r.Add("POST", "/v1/auth/register", open, [&ctx](http::Request& q) { return Register(ctx, q); });
  r.Add("POST", "/v1/auth/login", open, [&ctx](http::Request& q) { return Login(ctx, q); });
  // A browser refreshes from its cookie, with no body.
  r.Add("POST", "/v1/auth/refresh",
        {.requires_auth = false, .json_body = true, .body_optional = true},
        [&ctx](http::Request& q) { return Refresh(ctx, q); });
  r.Add("POST", "/v1/auth/logout",
        {.requires_auth = true, .json_body = true, .body_optional = true},
        [&ctx](http::Request& q) { return Logout(ctx, q); });
}

}  // namespace ascension::api
