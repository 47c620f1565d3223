// /v1/auth/*: register, login (rate-limited per IP and per account), refresh, logout.
#include "api/handlers/handlers.hpp"
#include "api/respond.hpp"
#include "api/views.hpp"
#include "domain/rules.hpp"

namespace ascension::api {
namespace {

http::Response WithSessionCookie(const http::Request& req, ApiContext& ctx, http::Response res,
                                 const std::string& access) {
  std::string cookie = "session_token=" + access + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(ctx.accounts->access_ttl().count());
  if (req.via_tls) cookie += "; Secure";
  return res.With("Set-Cookie", cookie);
}

http::Response SessionResponse(ApiContext& ctx, http::Request& req, int status,
                               const services::Session& s) {
  req.user_id = s.user.id.str();
  return WithSessionCookie(req, ctx, http::Json(status, SessionJson(s, ctx.default_language)),
                           s.access_token);
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
  auto session = ctx.accounts->Register(r);
  if (!session.ok()) return FromStatus(session.status());
  return SessionResponse(ctx, req, 201, *session);
}

http::Response Login(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto email = f.String("email", true);
  auto password = f.String("password", true);
  if (!f.ok()) return f.error();
  auto by_ip = ctx.login_ip_limiter.Allow("login-ip:" + req.client_ip);
  auto by_account = ctx.login_account_limiter.Allow("login-account:" + domain::Lowercase(*email));
  if (!by_ip.allowed || !by_account.allowed) {
    int wait = std::max(by_ip.retry_after_s, by_account.retry_after_s);
    return http::Error(429, "rate_limited", "Too many login attempts, please wait")
        .With("Retry-After", std::to_string(wait));
  }
  auto session = ctx.accounts->Login(*email, *password);
  if (!session.ok()) return FromStatus(session.status());
  return SessionResponse(ctx, req, 200, *session);
}

http::Response Refresh(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto token = f.String("refresh_token", true);
  if (!f.ok()) return f.error();
  auto session = ctx.accounts->Refresh(*token);
  if (!session.ok()) return FromStatus(session.status());
  return SessionResponse(ctx, req, 200, *session);
}

http::Response Logout(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto token = f.String("refresh_token");
  if (!f.ok()) return f.error();
  if (Status s = ctx.accounts->Logout(Caller(req), token); !s.ok()) return FromStatus(s);
  http::Response res = NoContent();
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
  r.Add("POST", "/v1/auth/logout",
        {.requires_auth = true, .json_body = true, .body_optional = true},
        [&ctx](http::Request& q) { return Logout(ctx, q); });
}

}  // namespace ascension::api
