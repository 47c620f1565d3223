#include "api/handlers/handlers.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"
#include "domain/rules.hpp"
#include "store/analyses.hpp"
#include "store/records.hpp"

namespace ascension::api {
namespace {

using pg::P;

http::Response NotFoundUser() { return http::Error(404, "not_found", "User not found"); }

Result<std::optional<store::User>> LoadUser(pg::Connection& c, const std::string& id) {
  if (!IsUuid(id)) return std::optional<store::User>();
  auto r = c.Exec(std::string("SELECT ") + store::kUserColumns + " FROM users WHERE id = $1", {P(id)});
  if (!r.ok()) return r.status();
  if (r->empty()) return std::optional<store::User>();
  return std::optional<store::User>(store::ReadUser(*r, 0));
}

http::Response ShowUser(ApiContext& ctx, const std::string& id) {
  if (!IsUuid(id)) return NotFoundUser();
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  // One round trip: the user and this month's quota use.
  auto r = (*conn)->Exec(std::string("SELECT ") + store::kUserColumns +
                             ", (SELECT count(*) FROM analyses a WHERE a.user_id = users.id AND a.status <> 'failed' "
                             "AND a.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') "
                             "FROM users WHERE id = $1",
                         {P(id)});
  if (!r.ok()) return FromStatus(r.status());
  if (r->empty()) return NotFoundUser();
  return http::Json(200, store::UserJson(store::ReadUser(*r, 0), static_cast<int>(r->Int(0, 9))));
}

// Applies the fields present in `body`. `admin` may also change role and tier.
http::Response UpdateUser(ApiContext& ctx, const std::string& id, const nlohmann::json& body, bool admin) {
  if (!IsUuid(id)) return NotFoundUser();
  http::Response err;
  bool password_changed = false;
  std::optional<bool> ghost;
  std::optional<std::string> new_tier;
  std::vector<std::string> sets;
  std::vector<pg::Param> params = {P(id)};
  auto add = [&](const char* column, std::string value) {
    params.push_back(P(value));
    sets.push_back(std::string(column) + " = $" + std::to_string(params.size()));
  };
  if (auto v = StringField(body, "username", false, &err)) {
    if (auto e = domain::ValidateUsername(*v)) return http::Error(422, "validation_failed", *e);
    add("username", *v);
  } else if (err.status != 200) return err;
  if (auto v = StringField(body, "email", false, &err)) {
    if (auto e = domain::ValidateEmail(*v)) return http::Error(422, "validation_failed", *e);
    add("email", domain::Lowercase(*v));
  } else if (err.status != 200) return err;
  if (auto v = StringField(body, "password", false, &err)) {
    if (auto e = domain::ValidatePassword(*v)) return http::Error(422, "validation_failed", *e);
    auto h = ctx.passwords.Hash(*v);
    if (!h.ok()) return FromStatus(h.status());
    add("password_hash", *h);
    password_changed = true;
  } else if (err.status != 200) return err;
  if (auto v = StringField(body, "language", false, &err)) {
    if (!domain::IsLanguage(*v)) return http::Error(422, "validation_failed", "language must be en or fr");
    add("language", *v);
  } else if (err.status != 200) return err;
  if (body.contains("ghost_mode")) {
    if (!body["ghost_mode"].is_boolean()) return http::Error(422, "validation_failed", "ghost_mode must be a boolean");
    ghost = body["ghost_mode"].get<bool>();
    add("ghost_mode", *ghost ? "true" : "false");
  }
  for (const char* f : {"role", "subscription_tier"}) {
    if (!body.contains(f)) continue;
    if (!admin) return http::Error(403, "forbidden", std::string("Only administrators can change ") + f);
    auto v = StringField(body, f, true, &err);
    if (!v) return err;
    bool valid = std::string(f) == "role" ? domain::IsRole(*v) : domain::IsTier(*v);
    if (!valid) return http::Error(422, "validation_failed", std::string(f) + " has an unknown value");
    if (std::string(f) == "subscription_tier") new_tier = *v;
    add(f, *v);
  }
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  // Ghost mode is a premium feature: refuse before changing anything.
  if (ghost.value_or(false)) {
    auto current = LoadUser(**conn, id);
    if (!current.ok()) return FromStatus(current.status());
    if (!*current) return NotFoundUser();
    if (new_tier.value_or((*current)->tier) == "freemium")
      return http::Error(403, "premium_required", "Ghost mode needs a premium or infinity subscription");
  }
  if (!sets.empty()) {
    std::string sql = "UPDATE users SET updated_at = now()";
    for (const auto& s : sets) sql += ", " + s;
    sql += " WHERE id = $1";
    auto r = (*conn)->Exec(sql, params);
    if (!r.ok()) {
      if (r.status().kind() == ErrorKind::kAlreadyExists)
        return http::Error(409, "already_exists", "This username or email is already taken");
      return FromStatus(r.status());
    }
    if (r->affected() == 0) return NotFoundUser();
    // A new password ends every session: refresh tokens are revoked.
    if (password_changed) {
      (void)(*conn)->Exec("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
                          {P(id)});
    }
  }
  auto u = LoadUser(**conn, id);
  if (!u.ok()) return FromStatus(u.status());
  if (!*u) return NotFoundUser();
  auto used = store::QuotaUsed(**conn, id);
  if (!used.ok()) return FromStatus(used.status());
  return http::Json(200, store::UserJson(**u, *used));
}

http::Response DeleteUser(ApiContext& ctx, const std::string& id, const std::string& request_id) {
  if (!IsUuid(id)) return NotFoundUser();
  {
    auto conn = ctx.db->Acquire();
    if (!conn.ok()) return FromStatus(conn.status());
    auto u = LoadUser(**conn, id);
    if (!u.ok()) return FromStatus(u.status());
    if (!*u) return NotFoundUser();
  }
  // Objects first: if storage fails nothing is deleted and the request can be retried.
  if (Status s = EraseUserObjects(ctx, id); !s.ok()) return FromStatus(s);
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto r = (*conn)->Exec("DELETE FROM users WHERE id = $1", {P(id)});
  if (!r.ok()) return FromStatus(r.status());
  log::Info("account erased", {{"user_id", id}, {"request_id", request_id}});
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

Status EraseUserObjects(ApiContext& ctx, const std::string& user_id) {
  std::vector<std::string> keys;
  {
    auto conn = ctx.db->Acquire();
    if (!conn.ok()) return conn.status();
    auto vids = (*conn)->Exec("SELECT id FROM videos WHERE user_id = $1", {P(user_id)});
    if (!vids.ok()) return vids.status();
    for (int i = 0; i < vids->size(); ++i) keys.push_back("thumbnails/" + vids->Text(i, 0) + ".jpg");
  }
  for (std::string prefix : {"uploads/", "saved/", "routes/"}) {
    std::string token;
    do {
      auto page = ctx.s3->ListObjectsV2(prefix + user_id + "/", token);
      if (!page.ok()) return page.status();
      for (const auto& o : page->objects) keys.push_back(o.key);
      token = page->next_continuation_token;
    } while (!token.empty());
  }
  if (keys.empty()) return Status::Ok();
  auto failures = ctx.s3->DeleteObjects(keys);
  if (!failures.ok()) return failures.status();
  if (!failures->empty()) return Unavailable("storage refused to delete " + failures->front().key);
  return Status::Ok();
}

void RegisterUserRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("GET", "/v1/users/me", {}, [&ctx](http::Request& q) { return ShowUser(ctx, q.user_id); });
  r.Add("PATCH", "/v1/users/me", {.json_body = true}, [&ctx](http::Request& q) {
    http::Response err;
    auto body = JsonBody(q, &err);
    if (!body) return err;
    return UpdateUser(ctx, q.user_id, *body, false);
  });
  r.Add("DELETE", "/v1/users/me", {}, [&ctx](http::Request& q) { return DeleteUser(ctx, q.user_id, q.request_id); });

  r.Add("GET", "/v1/users/{id}", {}, [&ctx](http::Request& q) {
    const std::string& id = q.params["id"];
    // Someone else's id: 404, never revealing whether the account exists.
    if (id != q.user_id && q.role != "admin") return NotFoundUser();
    return ShowUser(ctx, id);
  });
  r.Add("PUT", "/v1/users/{id}", {.json_body = true}, [&ctx](http::Request& q) {
    if (q.role != "admin") return http::Error(403, "forbidden", "Administrators only");
    http::Response err;
    auto body = JsonBody(q, &err);
    if (!body) return err;
    return UpdateUser(ctx, q.params["id"], *body, true);
  });
  r.Add("DELETE", "/v1/users/{id}", {}, [&ctx](http::Request& q) {
    if (q.role != "admin") return http::Error(403, "forbidden", "Administrators only");
    return DeleteUser(ctx, q.params["id"], q.request_id);
  });
  r.Add("GET", "/v1/users", {}, [&ctx](http::Request& q) {
    if (q.role != "admin") return http::Error(403, "forbidden", "Administrators only");
    http::Response err;
    auto page = PageParams(q, &err);
    if (!page) return err;
    auto conn = ctx.reader().Acquire();
    if (!conn.ok()) return FromStatus(conn.status());
    auto rows = (*conn)->Exec(std::string("SELECT ") + store::kUserColumns +
                                  ", count(*) OVER () FROM users ORDER BY created_at, id LIMIT $1 OFFSET $2",
                              {P(page->per_page), P(page->offset())});
    if (!rows.ok()) return FromStatus(rows.status());
    nlohmann::json items = nlohmann::json::array();
    std::int64_t total = 0;
    for (int i = 0; i < rows->size(); ++i) {
      items.push_back(store::UserJson(store::ReadUser(*rows, i)));
      total = rows->Int(i, 9);
    }
    if (rows->empty()) {
      auto c = (*conn)->Exec("SELECT count(*) FROM users");
      if (c.ok()) total = c->Int(0, 0);
    }
    return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, total)}});
  });
}

}  // namespace ascension::api
