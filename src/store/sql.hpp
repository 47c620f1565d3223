// Pieces of SQL shared by the repositories: how instants cross the boundary (milliseconds since
// the epoch both ways, so no text date format is ever parsed) and the quota's counting rule.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "adapters/postgres/connection.hpp"
#include "adapters/postgres/pool.hpp"
#include "adapters/postgres/row.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::store {

// SELECT-list item: the timestamptz `column` as int8 milliseconds named `alias`.
std::string Millis(std::string_view column, std::string_view alias);
// A parameter for "to_timestamp($n::float8 / 1000)".
pg::Param P(domain::Time t);
inline pg::Param P(const domain::Uuid& id) {
  return id.str();
}

// Reads a uuid column into a Uuid (an unparseable value is a row error).
domain::Uuid ReadUuid(pg::Row& r, const char* column);
std::optional<domain::Uuid> ReadOptUuid(pg::Row& r, const char* column);
domain::Time ReadTime(pg::Row& r, const char* column);
std::optional<domain::Time> ReadOptTime(pg::Row& r, const char* column);

// A text column parsed by `parse(text) -> std::optional<V>` into `out`; a value it refuses is a
// row error naming the column (`why`: "is not a route status"). A missing or NULL column is
// the row's own error, and `out` is left as it was.
template <typename V, typename Parse>
void ReadParsed(pg::Row& r, const char* column, Parse parse, V& out, const char* why) {
  const std::string text = r.Text(column);
  if (!r.ok()) return;
  if (auto v = parse(text)) {
    out = std::move(*v);
  } else {
    r.Reject(column, why);
  }
}

// Reading rows with a row reader `read(rows, i) -> Result<T>` (one per table, next to its
// SELECT list): every row, stopping at the first row error, or the first row if there is one.
template <typename Read>
using RowValue = std::remove_cvref_t<
    decltype(std::declval<Read>()(std::declval<const pg::Rows&>(), 0).value())>;

template <typename Read>
Result<std::vector<RowValue<Read>>> ReadAll(const pg::Rows& rows, Read read) {
  std::vector<RowValue<Read>> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto v = read(rows, i);
    if (!v.ok()) return v.status();
    out.push_back(std::move(v).value());
  }
  return out;
}
template <typename Read>
Result<std::vector<RowValue<Read>>> ReadAll(const Result<pg::Rows>& rows, Read read) {
  if (!rows.ok()) return rows.status();
  return ReadAll(*rows, read);
}

template <typename Read>
Result<std::optional<RowValue<Read>>> ReadFirst(const Result<pg::Rows>& rows, Read read) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<RowValue<Read>>();
  auto v = read(*rows, 0);
  if (!v.ok()) return v.status();
  return std::optional<RowValue<Read>>(std::move(v).value());
}

// A scalar subquery: how many analyses user $user_param started since $since_param (a
// to_timestamp parameter) count against the monthly quota — every one charged (at creation) and
// not given back by a failure, whether or not it was deleted since (quota_charges).
std::string QuotaUsedSql(int user_param, int since_param);

// A round trip to the database (for /ready).
Status Ping(pg::Pool& pool);

}  // namespace ascension::store
