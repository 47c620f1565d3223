// A thin RAII layer over libpq: one Connection owns one PGconn; Rows owns one PGresult.
// Every statement is sent with parameters ($1, $2, ...) in text format, never spliced into SQL.
// Each connection keeps a statement table: the first time a SQL text runs on it, it is prepared
// (PQprepare, a named server-side statement), and every later run of the same text on that
// connection only executes it (PQexecPrepared: no parse, no plan when PostgreSQL's plan cache
// keeps a generic plan). The table is bounded (kMaxPreparedStatements; texts beyond it run
// unnamed, as before), forgotten on Reset(), and a statement the server no longer has or whose
// result columns changed under it (a migration altered the table) is dropped and run unnamed.
// Errors become Status values: unique violations kAlreadyExists, foreign-key and check
// violations kFailedPrecondition, connection problems and serialization failures kUnavailable,
// anything else kInternal.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.hpp"

namespace ascension::pg {

// A statement parameter: text or SQL NULL.
using Param = std::optional<std::string>;

inline Param P(std::string_view s) { return std::string(s); }
inline Param P(const char* s) { return std::string(s); }
inline Param P(const std::string& s) { return s; }
inline Param P(std::int64_t v) { return std::to_string(v); }
inline Param P(int v) { return std::to_string(v); }
inline Param P(bool v) { return std::string(v ? "true" : "false"); }
inline Param Null() { return std::nullopt; }

// The rows a statement returned. Cells are read as text.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r, &PQclear) {}

  int size() const { return PQntuples(r_.get()); }
  bool empty() const { return size() == 0; }
  // Number of rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string Text(int row, int col) const;
  std::optional<std::string> OptText(int row, int col) const;
  std::int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const;
  double Double(int row, int col) const;
  // Column index by name; -1 if absent.
  int Column(const char* name) const { return PQfnumber(r_.get(), name); }
  // The type OID of a column (see row.hpp for reading cells by name with their type checked).
  Oid Type(int col) const { return PQftype(r_.get(), col); }
  // The libpq result itself (the adapter reads its status and error fields).
  PGresult* raw() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class Connection {
 public:
  // How many distinct SQL texts one connection prepares (the repositories have about 200).
  static constexpr std::size_t kMaxPreparedStatements = 512;

  // Connects (with a connect timeout) and checks the server answers.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);

  Result<Rows> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Runs several statements with no parameters (migrations).
  Status ExecScript(std::string_view sql);

  // True when the socket is believed healthy.
  bool healthy() const { return PQstatus(conn_.get()) == CONNECTION_OK; }
  // For a connection that sat idle: false when the server sent anything meanwhile (we never
  // LISTEN, so that can only be the notice and close of a restart or pg_terminate_backend) or the
  // socket is broken. Does not block. A pool uses it never to hand out a connection the server
  // already closed.
  bool StillUsable() const;
  // Tries to re-establish a broken connection (a new session: the statement table is emptied).
  bool Reset();

  // How many statements this connection has prepared (for tests and metrics).
  std::size_t prepared_statements() const { return statements_.size(); }

 private:
  explicit Connection(PGconn* c) : conn_(c, &PQfinish) {}
  // The name of `sql`'s prepared statement, preparing it first if needed; nullptr when it runs
  // unnamed (the table is full) — or a failure of the prepare itself (then `*failed` is set).
  const std::string* PreparedName(const std::string& sql, int params, Status* failed);
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> statement name
  std::uint64_t next_statement_ = 0;
};

// Begins on construction; rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Status& begin_status() const { return begin_; }
  Result<Rows> Exec(std::string_view sql, const std::vector<Param>& params = {}) {
    return c_.Exec(sql, params);
  }
  Status Commit();

 private:
  Connection& c_;
  Status begin_;
  bool done_ = false;
};

}  // namespace ascension::pg
