// The postgres adapter's statement table against the stack's real PostgreSQL: a SQL text is
// prepared once per connection and then only executed (pg_prepared_statements of that session
// shows it once, with the executions' results right for each run's parameters); errors keep the
// kinds they had with unnamed statements; a statement whose table changed under it, or that the
// session lost, is prepared again; a failed prepare (bad SQL, an aborted transaction) caches
// nothing; the table stays bounded; Reset() starts a new session with an empty table. And one rule
// of the migrated schema: every foreign key has an index.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/postgres/connection.hpp"
#include "stack/stack_env.hpp"

namespace ascension::pg {
namespace {

class PgStatementsIT : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = testsuite::StackEnv::Load();
    ASSERT_TRUE(env_.ok()) << env_.error();
    auto c = Connection::Open(env_.Get("DATABASE_URL"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(*c);
  }

  // How many statements this session has prepared whose text is `sql`.
  std::int64_t ServerPrepared(const std::string& sql) {
    auto r =
        conn_->Exec("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", {P(sql)});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->Int(0, 0) : -1;
  }

  testsuite::StackEnv env_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(PgStatementsIT, ATextIsPreparedOnceAndRunWithEachRunsParameters) {
  const std::string sql = "SELECT $1::int8 * 2 AS doubled, $2::text AS label";
  const std::size_t before = conn_->prepared_statements();
  for (int i = 0; i < 10; ++i) {
    auto r = conn_->Exec(sql, {P(std::int64_t{i}), i % 2 ? Null() : P("even")});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->Int(0, 0), 2 * i);
    EXPECT_EQ(r->OptText(0, 1), i % 2 ? std::nullopt : std::optional<std::string>("even"));
  }
  EXPECT_EQ(ServerPrepared(sql), 1);
  // This statement, and the one counting them.
  EXPECT_EQ(conn_->prepared_statements(), before + 2);
}

TEST_F(PgStatementsIT, ErrorsKeepTheirKindsAndAFailedPrepareCachesNothing) {
  ASSERT_TRUE(
      conn_->Exec("CREATE TEMP TABLE stmt_t (id int PRIMARY KEY, n int CHECK (n > 0))").ok());
  const std::string insert = "INSERT INTO stmt_t (id, n) VALUES ($1::int, $2::int)";
  ASSERT_TRUE(conn_->Exec(insert, {P(1), P(1)}).ok());
  auto duplicate = conn_->Exec(insert, {P(1), P(2)});
  EXPECT_EQ(duplicate.status().kind(), ErrorKind::kAlreadyExists) << duplicate.status().ToString();
  auto check = conn_->Exec(insert, {P(2), P(-1)});
  EXPECT_EQ(check.status().kind(), ErrorKind::kFailedPrecondition) << check.status().ToString();
  auto bad_text = conn_->Exec(insert, {P(3), P("three")});
  EXPECT_EQ(bad_text.status().kind(), ErrorKind::kInvalidArgument) << bad_text.status().ToString();
  EXPECT_EQ(ServerPrepared(insert), 1);

  const std::size_t before = conn_->prepared_statements();
  auto syntax = conn_->Exec("SELEC nothing FROM stmt_t WHERE id = $1", {P(1)});
  EXPECT_FALSE(syntax.ok());
  EXPECT_EQ(conn_->prepared_statements(), before);

  // Inside an aborted transaction the prepare itself fails: nothing is cached, and after the
  // rollback the same text prepares and runs.
  const std::string count = "SELECT count(*) FROM stmt_t WHERE n >= $1::int";
  ASSERT_TRUE(conn_->Exec("BEGIN").ok());
  EXPECT_FALSE(conn_->Exec(insert, {P(1), P(1)}).ok());
  EXPECT_FALSE(conn_->Exec(count, {P(0)}).ok());
  ASSERT_TRUE(conn_->Exec("ROLLBACK").ok());
  EXPECT_EQ(ServerPrepared(count), 0);
  auto counted = conn_->Exec(count, {P(0)});
  ASSERT_TRUE(counted.ok()) << counted.status().ToString();
  EXPECT_EQ(counted->Int(0, 0), 1);
  EXPECT_EQ(ServerPrepared(count), 1);
}

TEST_F(PgStatementsIT, AStatementWhoseTableChangedOrThatTheSessionLostIsPreparedAgain) {
  ASSERT_TRUE(conn_->Exec("CREATE TEMP TABLE stmt_alter (a int)").ok());
  ASSERT_TRUE(conn_->Exec("INSERT INTO stmt_alter VALUES (7)").ok());
  const std::string all = "SELECT * FROM stmt_alter";
  auto one = conn_->Exec(all);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(PQnfields(one->raw()), 1);
  // A migration adds a column: the prepared SELECT * would now return another row type.
  ASSERT_TRUE(conn_->Exec("ALTER TABLE stmt_alter ADD COLUMN b int DEFAULT 8").ok());
  auto two = conn_->Exec(all);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(PQnfields(two->raw()), 2);
  EXPECT_EQ(two->Int(0, 1), 8);
  auto again = conn_->Exec(all);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ServerPrepared(all), 1);

  // Someone deallocates every statement of the session: each runs again, prepared afresh.
  ASSERT_TRUE(conn_->Exec("DEALLOCATE ALL").ok());
  auto after = conn_->Exec(all);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->Int(0, 0), 7);
  EXPECT_EQ(ServerPrepared(all), 0) << "run unnamed once";
  ASSERT_TRUE(conn_->Exec(all).ok());
  EXPECT_EQ(ServerPrepared(all), 1);
}

TEST_F(PgStatementsIT, TheTableIsBoundedAndResetEmptiesIt) {
  const std::size_t room = Connection::kMaxPreparedStatements - conn_->prepared_statements();
  for (std::size_t i = 0; i < room + 20; ++i) {
    auto r = conn_->Exec("SELECT " + std::to_string(i) + " + $1::int", {P(1)});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->Int(0, 0), static_cast<std::int64_t>(i) + 1);
  }
  EXPECT_EQ(conn_->prepared_statements(), Connection::kMaxPreparedStatements);
  auto server = conn_->Exec("SELECT count(*) FROM pg_prepared_statements");
  ASSERT_TRUE(server.ok());
  EXPECT_LE(server->Int(0, 0), static_cast<std::int64_t>(Connection::kMaxPreparedStatements));

  ASSERT_TRUE(conn_->Reset());
  EXPECT_EQ(conn_->prepared_statements(), 0u);
  auto fresh = conn_->Exec("SELECT 1 + $1::int", {P(1)});
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(fresh->Int(0, 0), 2);
}

// The migrated schema: every foreign key has an index whose leading columns are its own, so a
// delete of the referenced row (an account's erasure, the sweeper) cascades through an index
// instead of scanning the referencing table once per deleted row (migration 0044).
TEST_F(PgStatementsIT, EveryForeignKeyOfTheSchemaHasAnIndex) {
  auto r = conn_->Exec(
      "SELECT c.conrelid::regclass::text || ' (' || c.conname || ')' FROM pg_constraint c "
      "JOIN pg_namespace n ON n.oid = c.connamespace "
      "WHERE c.contype = 'f' AND n.nspname = current_schema() AND NOT EXISTS ("
      "  SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid"
      "  AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey"
      "  AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey) "
      "ORDER BY 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string missing;
  for (int i = 0; i < r->size(); ++i) missing += r->Text(i, 0) + "\n";
  EXPECT_EQ(missing, "") << "foreign keys without an index on their columns";
}

}  // namespace
}  // namespace ascension::pg
