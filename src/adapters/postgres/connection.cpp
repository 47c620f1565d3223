#include "adapters/postgres/connection.hpp"

#include <poll.h>

#include <cstdlib>
#include <cstring>

namespace ascension::pg {
namespace {

Status StatusFromResult(PGconn* conn, PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (PQstatus(conn) != CONNECTION_OK) return Unavailable("postgres connection lost: " + msg);
  if (state == nullptr) return Unavailable("postgres: " + msg);
  std::string s(state);
  // A refusal of the data itself: the message (the server's DETAIL quotes the row, e.g. a
  // password hash) is for the store and the log only. The code "database" tells the API to
  // answer in its own words (api::FromStatus); a store that knows better maps it first.
  if (s == "23505") return Status(ErrorKind::kAlreadyExists, msg, "database");
  if (s == "23503" || s == "23514" || s == "23502")
    return Status(ErrorKind::kFailedPrecondition, msg, "database");
  if (s == "40001" || s == "40P01" || s.rfind("08", 0) == 0 || s == "57P01" || s == "57P03")
    return Unavailable("postgres: " + msg);
  if (s == "22P02") return Status(ErrorKind::kInvalidArgument, msg, "database");
  return Internal("postgres " + s + ": " + msg);
}

}  // namespace

std::int64_t Rows::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

std::string Rows::Text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col), PQgetlength(r_.get(), row, col));
}

std::optional<std::string> Rows::OptText(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

std::int64_t Rows::Int(int row, int col) const {
  return IsNull(row, col) ? 0 : std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10);
}

bool Rows::Bool(int row, int col) const {
  const char* v = PQgetvalue(r_.get(), row, col);
  return v && v[0] == 't';
}

double Rows::Double(int row, int col) const {
  return IsNull(row, col) ? 0.0 : std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  // connect_timeout bounds the wait when the server is down; keywords given after the URL
  // override nothing the URL sets explicitly.
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* vals[] = {url.c_str(), "5", "ascension", nullptr};
  PGconn* raw = PQconnectdbParams(keys, vals, /*expand_dbname=*/1);
  std::unique_ptr<Connection> c(new Connection(raw));
  if (raw == nullptr) return Unavailable("postgres: out of memory");
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(raw);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Unavailable("postgres unreachable: " + msg);
  }
  return c;
}

const std::string* Connection::PreparedName(const std::string& sql, int params, Status* failed) {
  if (auto it = statements_.find(sql); it != statements_.end()) return &it->second;
  if (statements_.size() >= kMaxPreparedStatements) return nullptr;
  std::string name = "asc_" + std::to_string(next_statement_++);
  Rows prepared(PQprepare(conn_.get(), name.c_str(), sql.c_str(), params, nullptr));
  PGresult* r = prepared.raw();
  if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) {
    *failed = StatusFromResult(conn_.get(), r);
    return nullptr;
  }
  return &statements_.emplace(sql, std::move(name)).first->second;
}

Result<Rows> Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  std::string q(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const int n = static_cast<int>(values.size());
  Status prepare_failed;
  if (const std::string* name = PreparedName(q, n, &prepare_failed)) {
    Rows rows(PQexecPrepared(conn_.get(), name->c_str(), n, values.data(), nullptr, nullptr, 0));
    PGresult* r = rows.raw();
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return rows;
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view code = state ? state : "";
    // 26000: the server has no such statement (someone ran DEALLOCATE/DISCARD on this session);
    // 0A000: "cached plan must not change result type" (the table changed under it). Either way
    // the statement leaves the table (the next run prepares it afresh). Outside a transaction it
    // is run once unnamed now; inside one the transaction is already aborted, so the error is the
    // caller's, as for any abort (the stale statement then stays on the server, unused, until
    // the session ends: its name is never reused).
    const bool stale = code == "26000" || code == "0A000";
    if (!stale || PQstatus(conn_.get()) != CONNECTION_OK) return StatusFromResult(conn_.get(), r);
    const std::string stale_name = *name;
    statements_.erase(q);
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) return StatusFromResult(conn_.get(), r);
    if (code == "0A000") PQclear(PQexec(conn_.get(), ("DEALLOCATE " + stale_name).c_str()));
  } else if (!prepare_failed.ok()) {
    return prepare_failed;
  }
  PGresult* r =
      PQexecParams(conn_.get(), q.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
  Rows rows(r);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return rows;
  return StatusFromResult(conn_.get(), r);
}

Status Connection::ExecScript(std::string_view sql) {
  std::string q(sql);
  // PQexec runs every statement in the string and returns the last result; the first error
  // stops the script and is the one reported.
  PGresult* r = PQexec(conn_.get(), q.c_str());
  Rows rows(r);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return Status::Ok();
  return StatusFromResult(conn_.get(), r);
}

bool Connection::StillUsable() const {
  if (!healthy()) return false;
  pollfd p{PQsocket(conn_.get()), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

bool Connection::Reset() {
  PQreset(conn_.get());
  statements_.clear();
  return healthy();
}

Transaction::Transaction(Connection& c) : c_(c) {
  auto r = c_.Exec("BEGIN");
  begin_ = r.status();
}

Transaction::~Transaction() {
  if (!done_ && begin_.ok()) (void)c_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (!begin_.ok()) return begin_;
  auto r = c_.Exec("COMMIT");
  done_ = true;
  return r.status();
}

}  // namespace ascension::pg
