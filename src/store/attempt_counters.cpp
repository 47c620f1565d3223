#include "store/attempt_counters.hpp"

#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

const std::string kColumns = "key, count, " + Millis("window_start", "window_start") + ", " +
                             Millis("locked_until", "locked_until");

Result<ports::AttemptCounter> ReadCounter(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "attempt_counters");
  ports::AttemptCounter c;
  c.key = r.Text("key");
  c.count = static_cast<int>(r.Int("count"));
  c.window_start = ReadTime(r, "window_start");
  c.locked_until = ReadOptTime(r, "locked_until");
  if (!r.ok()) return r.status();
  return c;
}

}  // namespace

Result<std::vector<ports::AttemptCounter>> PgAttemptCounterRepository::Find(
    const std::vector<std::string>& keys) {
  std::vector<ports::AttemptCounter> out;
  if (keys.empty()) return out;
  std::string in;
  std::vector<pg::Param> params;
  for (const auto& k : keys) {
    params.push_back(P(k));
    in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT " + kColumns + " FROM attempt_counters WHERE key IN (" + in + ")", params);
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < rows->size(); ++i) {
    auto c = ReadCounter(*rows, i);
    if (!c.ok()) return c.status();
    out.push_back(std::move(c).value());
  }
  return out;
}

Result<ports::AttemptCounter> PgAttemptCounterRepository::Count(const std::string& key,
                                                                domain::Time now,
                                                                domain::Time window_start_before) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  // One statement: concurrent attempts on other instances are each counted once.
  auto rows = (*conn)->Exec(
      "INSERT INTO attempt_counters AS c (key, count, window_start) "
      "VALUES ($1, 1, to_timestamp($2::float8 / 1000)) "
      "ON CONFLICT (key) DO UPDATE SET "
      "count = CASE WHEN c.window_start < to_timestamp($3::float8 / 1000) THEN 1 "
      "ELSE c.count + 1 END, "
      "window_start = CASE WHEN c.window_start < to_timestamp($3::float8 / 1000) "
      "THEN to_timestamp($2::float8 / 1000) ELSE c.window_start END "
      "RETURNING " +
          kColumns,
      {P(key), P(now), P(window_start_before)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Internal("attempt_counters: the upsert returned no row");
  return ReadCounter(*rows, 0);
}

Status PgAttemptCounterRepository::Lock(const std::string& key, domain::Time until) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE attempt_counters SET locked_until = GREATEST(COALESCE(locked_until, "
          "to_timestamp($2::float8 / 1000)), to_timestamp($2::float8 / 1000)) WHERE key = $1",
          {P(key), P(until)})
      .status();
}

Result<bool> PgAttemptCounterRepository::Remove(const std::string& key) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("DELETE FROM attempt_counters WHERE key = $1 RETURNING key", {P(key)});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<int> PgAttemptCounterRepository::Prune(domain::Time before, domain::Time now) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "DELETE FROM attempt_counters WHERE window_start < to_timestamp($1::float8 / 1000) "
      "AND (locked_until IS NULL OR locked_until <= to_timestamp($2::float8 / 1000)) "
      "RETURNING key",
      {P(before), P(now)});
  if (!rows.ok()) return rows.status();
  return rows->size();
}

}  // namespace ascension::store
