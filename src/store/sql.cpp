#include "store/sql.hpp"

namespace ascension::store {

std::string Millis(std::string_view column, std::string_view alias) {
  return "floor(extract(epoch FROM " + std::string(column) + ") * 1000)::int8 AS " +
         std::string(alias);
}

pg::Param P(domain::Time t) {
  return std::to_string(domain::ToUnixMillis(t));
}

domain::Uuid ReadUuid(pg::Row& r, const char* column) {
  return ReadOptUuid(r, column).value_or(domain::Uuid());
}

std::optional<domain::Uuid> ReadOptUuid(pg::Row& r, const char* column) {
  auto text = r.OptText(column);
  if (!text) return std::nullopt;
  auto id = domain::Uuid::Parse(*text);
  if (!id) r.Reject(column, "is not a UUID");
  return id;
}

domain::Time ReadTime(pg::Row& r, const char* column) {
  return domain::FromUnixMillis(r.Int(column));
}

std::optional<domain::Time> ReadOptTime(pg::Row& r, const char* column) {
  auto ms = r.OptInt(column);
  if (!ms) return std::nullopt;
  return domain::FromUnixMillis(*ms);
}

std::string QuotaUsedSql(int user_param, int since_param) {
  return "(SELECT count(*) FROM quota_charges q WHERE q.user_id = $" + std::to_string(user_param) +
         " AND q.charged_at >= to_timestamp($" + std::to_string(since_param) + "::float8 / 1000))";
}

Status Ping(pg::Pool& pool) {
  auto conn = pool.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec("SELECT 1").status();
}

}  // namespace ascension::store
