// Schema migrations: numbered SQL files from schemas/postgresql, compiled into the binary,
// applied in order, each inside its own transaction, and recorded in schema_migrations.
// A session-level advisory lock serializes concurrent runners (two API instances starting
// together): the second waits, then finds nothing left to do.
#pragma once

#include <string>
#include <vector>

#include "adapters/postgres/connection.hpp"

namespace ascension::pg {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations embedded at build time, sorted by version.
const std::vector<Migration>& EmbeddedMigrations();

// Applies every migration not yet recorded. Returns the versions applied by this call.
Result<std::vector<int>> Migrate(Connection& conn, const std::vector<Migration>& migrations);

}  // namespace ascension::pg
