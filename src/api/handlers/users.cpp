// /v1/users*: the caller's profile (show, update, erase) and the administrators' user management.
#include "api/handlers/handlers.hpp"
#include "api/respond.hpp"
#include "api/views.hpp"
#include "common/log.hpp"
#include "domain/profile_json.hpp"

namespace ascension::api {
namespace {

http::Response NotFoundUser() {
  return http::Error(404, "not_found", "User not found");
}

// The fields of a profile update, type-checked; the service validates their values.
std::optional<services::ProfileChanges> ReadChanges(const nlohmann::json& body,
                                                    http::Response* error) {
  Fields f(body);
  services::ProfileChanges c;
  c.username = f.String("username");
  c.email = f.String("email");
  c.password = f.String("password");
  c.current_password = f.String("current_password");
  c.language = f.String("language");
  c.ghost_mode = f.Boolean("ghost_mode");
  c.role = f.String("role");
  c.subscription_tier = f.String("subscription_tier");
  if (!f.ok()) {
    *error = f.error();
    return std::nullopt;
  }
  return c;
}

http::Response Profile(ApiContext& ctx, const Result<ports::UserWithQuota>& r) {
  if (!r.ok()) return FromStatus(r.status());
  return http::Json(200, UserJson(r->user, ctx.default_language, r->quota_used));
}

// Applies `changes` to the account `id` through `update`. A new password also ends the account's
// login lock-out (issue 10 #8): the failures counted against its email before the change, and
// against its new email when the same request changes it. The password is changed whatever
// happens to the counters (a failure to clear them is logged; the lock then ends by itself).
template <typename Update>
http::Response UpdateAccount(ApiContext& ctx, const services::Principal& caller, const domain::Uuid& id,
                             const services::ProfileChanges& changes, Update update) {
  std::optional<std::string> email_before;
  if (changes.password) {
    if (auto before = ctx.accounts->Profile(caller, id); before.ok()) email_before = before->user.email;
  }
  auto updated = update();
  if (updated.ok() && changes.password && ctx.login_guard) {
    std::vector<std::string> emails = {updated->user.email};
    if (email_before && *email_before != updated->user.email) emails.push_back(*email_before);
    for (const auto& email : emails) {
      if (auto s = ctx.login_guard->Unlock(email); !s.ok())
        log::Warn("login lock-out not cleared after a password change", {{"error", s.status().message()}});
    }
  }
  return Profile(ctx, updated);
}

}  // namespace

void RegisterUserRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("GET", "/v1/users/me", {}, [&ctx](http::Request& q) {
    auto caller = Caller(q);
    auto user = ctx.accounts->Profile(caller, caller.user_id);
    if (!user.ok()) return FromStatus(user.status());
    auto climber = ctx.profiles->Show(caller);
    if (!climber.ok()) return FromStatus(climber.status());
    auto body = UserJson(user->user, ctx.default_language, user->quota_used);
    body["profile"] = domain::ProfileJson(*climber);
    return http::Json(200, body);
  });
  r.Add("PATCH", "/v1/users/me", {.json_body = true}, [&ctx](http::Request& q) {
    http::Response err;
    auto changes = ReadChanges(q.json, &err);
    if (!changes) return err;
    auto caller = Caller(q);
    return UpdateAccount(ctx, caller, caller.user_id, *changes,
                         [&] { return ctx.accounts->UpdateSelf(caller, *changes); });
  });
  r.Add("DELETE", "/v1/users/me", {}, [&ctx](http::Request& q) {
    Status s = ctx.accounts->EraseSelf(Caller(q));
    return s.ok() ? NoContent() : FromStatus(s);
  });

  r.Add("GET", "/v1/users/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundUser();
    return Profile(ctx, ctx.accounts->Profile(Caller(q), *id));
  });
  r.Add("PUT", "/v1/users/{id}", {.json_body = true}, [&ctx](http::Request& q) {
    auto caller = Caller(q);
    if (!caller.is_admin()) return http::Error(403, "forbidden", "Administrators only");
    auto id = IdParam(q);
    if (!id) return NotFoundUser();
    http::Response err;
    auto changes = ReadChanges(q.json, &err);
    if (!changes) return err;
    return UpdateAccount(ctx, caller, *id, *changes,
                         [&] { return ctx.accounts->UpdateAsAdmin(caller, *id, *changes); });
  });
  r.Add("DELETE", "/v1/users/{id}", {}, [&ctx](http::Request& q) {
    auto caller = Caller(q);
    if (!caller.is_admin()) return http::Error(403, "forbidden", "Administrators only");
    auto id = IdParam(q);
    if (!id) return NotFoundUser();
    Status s = ctx.accounts->EraseAsAdmin(caller, *id);
    return s.ok() ? NoContent() : FromStatus(s);
  });
  r.Add("GET", "/v1/users", {}, [&ctx](http::Request& q) {
    http::Response err;
    auto page = PageParams(q, &err);
    if (!page) return err;
    auto users = ctx.accounts->List(Caller(q), *page);
    if (!users.ok()) return FromStatus(users.status());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& u : users->items) items.push_back(UserJson(u, ctx.default_language));
    return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, users->total)}});
  });
}

}  // namespace ascension::api
