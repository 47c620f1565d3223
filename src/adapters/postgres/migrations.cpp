#include "adapters/postgres/migrations.hpp"

#include <set>

#include "common/log.hpp"

namespace ascension::pg {
namespace {

// Arbitrary but fixed: identifies "ascension schema migration" among advisory locks.
constexpr const char* kLockKey = "727166470001";

}  // namespace

Result<std::vector<int>> Migrate(Connection& conn, const std::vector<Migration>& migrations) {
  auto lock = conn.Exec(std::string("SELECT pg_advisory_lock(") + kLockKey + ")");
  if (!lock.ok()) return lock.status();
  struct Unlock {
    Connection& c;
    ~Unlock() { (void)c.Exec(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")"); }
  } unlock{conn};

  auto created = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version integer PRIMARY KEY, name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  if (!created.ok()) return created.status();
  auto done = conn.Exec("SELECT version FROM schema_migrations");
  if (!done.ok()) return done.status();
  std::set<int> applied;
  for (int i = 0; i < done->size(); ++i) applied.insert(static_cast<int>(done->Int(i, 0)));

  std::vector<int> now_applied;
  for (const auto& m : migrations) {
    if (applied.count(m.version)) continue;
    Transaction tx(conn);
    if (!tx.begin_status().ok()) return tx.begin_status();
    if (Status s = conn.ExecScript(m.sql); !s.ok())
      return Status(s.kind(), "migration " + std::to_string(m.version) + " (" + m.name + "): " + s.message());
    auto rec = tx.Exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                       {P(m.version), P(m.name)});
    if (!rec.ok()) return rec.status();
    if (Status s = tx.Commit(); !s.ok()) return s;
    log::Info("migration applied", {{"version", m.version}, {"name", m.name}});
    now_applied.push_back(m.version);
  }
  return now_applied;
}

}  // namespace ascension::pg
