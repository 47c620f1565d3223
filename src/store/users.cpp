#include "store/users.hpp"

#include "common/crypto.hpp"
#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

const std::string kUserColumns =
    "id, username, email, password_hash, role, subscription_tier, language, ghost_mode, "
    "token_generation, " +
    Millis("created_at", "created_at");

Result<domain::User> ReadUser(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "users");
  domain::User u;
  u.id = ReadUuid(r, "id");
  u.username = r.Text("username");
  u.email = r.Text("email");
  u.password_hash = r.Text("password_hash");
  u.role = r.Text("role");
  u.subscription_tier = r.Text("subscription_tier");
  if (auto lang = r.OptText("language")) {
    u.language = domain::ParseLanguage(*lang);
    if (!u.language) r.Reject("language", "is not en or fr");
  }
  u.ghost_mode = r.Bool("ghost_mode");
  u.token_generation = r.Int("token_generation");
  u.created_at = ReadTime(r, "created_at");
  if (!r.ok()) return r.status();
  return u;
}

Result<std::optional<domain::User>> FirstUser(const Result<pg::Rows>& rows) {
  return ReadFirst(rows, ReadUser);
}

// A unique violation names its index: tell the caller which field was taken.
Status Taken(const Status& s) {
  if (s.kind() != ErrorKind::kAlreadyExists) return s;
  bool email = s.message().find("users_email_key") != std::string::npos;
  return Status(ErrorKind::kAlreadyExists, email ? "email taken" : "username taken",
                email ? "email_taken" : "username_taken");
}

pg::Param Lang(const std::optional<domain::Language>& l) {
  if (!l) return pg::Null();
  return std::string(domain::LanguageCode(*l));
}

}  // namespace

Result<domain::User> PgUserRepository::Create(const domain::User& u) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "INSERT INTO users (id, username, email, password_hash, role, subscription_tier, language, "
      "ghost_mode) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " +
          kUserColumns,
      {P(u.id), P(u.username), P(u.email), P(u.password_hash), P(u.role), P(u.subscription_tier),
       Lang(u.language), P(u.ghost_mode)});
  if (!rows.ok()) return Taken(rows.status());
  return ReadUser(*rows, 0);
}

Result<std::optional<domain::User>> PgUserRepository::FindById(const domain::Uuid& id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return FirstUser((*conn)->Exec("SELECT " + kUserColumns + " FROM users WHERE id = $1", {P(id)}));
}

Result<std::optional<domain::User>> PgUserRepository::FindByEmail(std::string_view email) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return FirstUser(
      (*conn)->Exec("SELECT " + kUserColumns + " FROM users WHERE lower(email) = $1", {P(email)}));
}

Result<std::optional<ports::UserWithQuota>> PgUserRepository::FindWithQuota(
    const domain::Uuid& id, domain::Time month_start) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  // One round trip: the account and this month's quota use.
  auto rows =
      (*conn)->Exec("SELECT " + kUserColumns + ", " + QuotaUsedSql(1, 2) +
                        " AS quota_used FROM users WHERE id = $1",
                    {P(id), P(month_start)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ports::UserWithQuota>();
  auto u = ReadUser(*rows, 0);
  if (!u.ok()) return u.status();
  pg::Row r(*rows, 0, "users");
  ports::UserWithQuota out{std::move(u).value(), static_cast<int>(r.Int("quota_used"))};
  if (!r.ok()) return r.status();
  return std::optional<ports::UserWithQuota>(std::move(out));
}

Result<std::optional<domain::User>> PgUserRepository::Update(const domain::Uuid& id,
                                                             const domain::UserChanges& c) {
  std::vector<pg::Param> params = {P(id)};
  std::string sets;
  auto add = [&](const char* column, pg::Param value) {
    params.push_back(std::move(value));
    sets += std::string(", ") + column + " = $" + std::to_string(params.size());
  };
  if (c.username) add("username", P(*c.username));
  if (c.email) add("email", P(*c.email));
  if (c.password_hash) add("password_hash", P(*c.password_hash));
  if (c.language) add("language", Lang(c.language));
  if (c.ghost_mode) add("ghost_mode", P(*c.ghost_mode));
  if (c.role) add("role", P(*c.role));
  if (c.subscription_tier) add("subscription_tier", P(*c.subscription_tier));
  if (c.revoke_access_tokens) sets += ", token_generation = token_generation + 1";
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "UPDATE users SET updated_at = now()" + sets + " WHERE id = $1 RETURNING " + kUserColumns,
      params);
  if (!rows.ok()) return Taken(rows.status());
  return FirstUser(rows);
}

Result<bool> PgUserRepository::Delete(const domain::Uuid& id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Exec("DELETE FROM users WHERE id = $1", {P(id)});
  if (!r.ok()) return r.status();
  return r->affected() > 0;
}

Result<domain::PageOf<domain::User>> PgUserRepository::List(const domain::Page& page) {
  auto conn = reader_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT " + kUserColumns +
                                ", count(*) OVER () AS total FROM users ORDER BY created_at, id "
                                "LIMIT $1 OFFSET $2",
                            {P(page.per_page), P(page.offset())});
  if (!rows.ok()) return rows.status();
  domain::PageOf<domain::User> out;
  for (int i = 0; i < rows->size(); ++i) {
    auto u = ReadUser(*rows, i);
    if (!u.ok()) return u.status();
    out.items.push_back(std::move(u).value());
    pg::Row r(*rows, i, "users");
    out.total = r.Int("total");
    if (!r.ok()) return r.status();
  }
  if (rows->empty()) {
    // A page past the end still reports the total.
    auto count = (*conn)->Exec("SELECT count(*) AS total FROM users");
    if (!count.ok()) return count.status();
    pg::Row r(*count, 0, "users");
    out.total = r.Int("total");
    if (!r.ok()) return r.status();
  }
  return out;
}

// ---- refresh tokens ----

namespace {

// The hash crosses the boundary as hex text, decoded by the server into bytea.
std::string Hex(std::string_view hash) {
  return HexEncode(hash);
}

}  // namespace

Status PgTokenRepository::Insert(const domain::Uuid& user, const domain::Uuid& family,
                                 std::string_view hash, domain::Time expires_at) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) "
          "VALUES ($1, $2, decode($3, 'hex'), to_timestamp($4::float8 / 1000))",
          {P(user), P(family), P(Hex(hash)), P(expires_at)})
      .status();
}

Result<ports::TokenRotation> PgTokenRepository::Rotate(std::string_view hash,
                                                       std::string_view next_hash, domain::Time now,
                                                       domain::Time next_expires_at) {
  using Outcome = ports::TokenRotation::Outcome;
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto rows = tx.Exec(
      "SELECT id, user_id, family_id, (used_at IS NOT NULL OR revoked_at IS NOT NULL) AS spent, "
      "(expires_at < to_timestamp($2::float8 / 1000)) AS expired "
      "FROM refresh_tokens WHERE token_hash = decode($1, 'hex') FOR UPDATE",
      {P(Hex(hash)), P(now)});
  if (!rows.ok()) return rows.status();
  ports::TokenRotation out;
  if (rows->empty()) return out;
  pg::Row r(*rows, 0, "refresh_tokens");
  auto id = ReadUuid(r, "id");
  out.user_id = ReadUuid(r, "user_id");
  out.family_id = ReadUuid(r, "family_id");
  bool spent = r.Bool("spent");
  bool expired = r.Bool("expired");
  if (!r.ok()) return r.status();
  if (spent) {
    out.outcome = Outcome::kSpent;
    return out;
  }
  if (expired) {
    out.outcome = Outcome::kExpired;
    return out;
  }
  auto used = tx.Exec("UPDATE refresh_tokens SET used_at = now() WHERE id = $1", {P(id)});
  if (!used.ok()) return used.status();
  auto next = tx.Exec(
      "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) "
      "VALUES ($1, $2, decode($3, 'hex'), to_timestamp($4::float8 / 1000))",
      {P(out.user_id), P(out.family_id), P(Hex(next_hash)), P(next_expires_at)});
  if (!next.ok()) return next.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  out.outcome = Outcome::kRotated;
  return out;
}

Status PgTokenRepository::RevokeFamily(const domain::Uuid& family) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS "
          "NULL",
          {P(family)})
      .status();
}

Status PgTokenRepository::RevokeFamilyOf(std::string_view hash, const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = "
          "(SELECT family_id FROM refresh_tokens WHERE token_hash = decode($1, 'hex') AND user_id "
          "= $2)",
          {P(Hex(hash)), P(user)})
      .status();
}

Status PgTokenRepository::RevokeAll(const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
          {P(user)})
      .status();
}

}  // namespace ascension::store
