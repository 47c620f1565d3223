// Pieces of SQL shared by the repositories: how instants cross the boundary (milliseconds since
// the epoch both ways, so no text date format is ever parsed) and the quota's counting rule.
#pragma once

#include <string>
#include <string_view>

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

// A scalar subquery: how many analyses user $user_param started since $since_param (a
// to_timestamp parameter) count against the monthly quota — every one charged (at creation) and
// not given back by a failure, whether or not it was deleted since (quota_charges).
std::string QuotaUsedSql(int user_param, int since_param);

// A round trip to the database (for /ready).
Status Ping(pg::Pool& pool);

}  // namespace ascension::store
