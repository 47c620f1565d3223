#include "store/ghosts.hpp"

#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

const std::string kGhostColumns =
    "route_id, user_id, status, requested_fingerprint, fingerprint, document, error_code, "
    "error_message, job_id, dispatch, attempts, " +
    Millis("requested_at", "requested_at") + ", " + Millis("computed_at", "computed_at") + ", " +
    Millis("updated_at", "updated_at");

Result<domain::StoredGhost> ReadGhost(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "route_ghosts");
  domain::StoredGhost g;
  g.route_id = ReadUuid(r, "route_id");
  g.user_id = ReadUuid(r, "user_id");
  ReadParsed(r, "status", domain::ParseGhostStatus, g.status, "is not a ghost status");
  g.requested_fingerprint = r.Text("requested_fingerprint");
  g.fingerprint = r.Text("fingerprint");
  g.document = r.Text("document");
  g.error_code = r.OptText("error_code");
  g.error_message = r.OptText("error_message");
  g.job_id = ReadUuid(r, "job_id");
  g.dispatch = static_cast<int>(r.Int("dispatch"));
  g.attempts = static_cast<int>(r.Int("attempts"));
  g.requested_at = ReadTime(r, "requested_at");
  g.computed_at = ReadOptTime(r, "computed_at");
  g.updated_at = ReadTime(r, "updated_at");
  if (!r.ok()) return r.status();
  return g;
}

Result<std::optional<domain::StoredGhost>> OptGhost(const Result<pg::Rows>& rows) {
  return ReadFirst(rows, ReadGhost);
}

}  // namespace

Result<std::optional<domain::StoredGhost>> PgGhostRepository::Find(const domain::Uuid& route_id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return OptGhost((*conn)->Exec(
      "SELECT " + kGhostColumns + " FROM route_ghosts WHERE route_id = $1", {P(route_id)}));
}

Result<domain::StoredGhost> PgGhostRepository::Request(
    const domain::StoredGhost& wanted,
    const std::function<bool(const std::optional<domain::StoredGhost>&)>& queue,
    const ports::GhostJobFor& job) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  // The route row is locked first, so that two first requests of one ghost are serialized too.
  auto route = tx.Exec("SELECT id FROM routes WHERE id = $1 FOR UPDATE", {P(wanted.route_id)});
  if (!route.ok()) return route.status();
  if (route->empty()) return NotFound("route " + wanted.route_id.str() + " is gone");
  auto current = OptGhost(
      tx.Exec("SELECT " + kGhostColumns + " FROM route_ghosts WHERE route_id = $1 FOR UPDATE",
              {P(wanted.route_id)}));
  if (!current.ok()) return current.status();
  if (!queue(*current)) return std::move(**current);

  const std::vector<pg::Param> params = {P(wanted.route_id), P(wanted.user_id),
                                         P(wanted.requested_fingerprint), P(wanted.job_id),
                                         P(wanted.requested_at)};
  auto stored = OptGhost(
      tx.Exec("INSERT INTO route_ghosts (route_id, user_id, status, requested_fingerprint, "
              "job_id, dispatch, attempts, requested_at) "
              "VALUES ($1, $2, 'computing', $3, $4, 1, 0, to_timestamp($5::float8 / 1000)) "
              "ON CONFLICT (route_id) DO UPDATE SET status = 'computing', "
              "requested_fingerprint = EXCLUDED.requested_fingerprint, job_id = EXCLUDED.job_id, "
              "dispatch = route_ghosts.dispatch + 1, attempts = 0, "
              "requested_at = EXCLUDED.requested_at, error_code = NULL, error_message = NULL, "
              "updated_at = now() "
              "RETURNING " +
                  kGhostColumns,
              params));
  if (!stored.ok()) return stored.status();
  if (!*stored) return Internal("the ghost row was not written");
  const ports::OutboxMessage m = job(**stored);
  if (Status s =
          tx.Exec("INSERT INTO outbox (user_id, exchange, routing_key, body, priority) "
                  "VALUES ($1, $2, $3, $4, $5)",
                  {P(wanted.user_id), P(m.exchange), P(m.routing_key), P(m.body), P(m.priority)})
              .status();
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return std::move(**stored);
}

Result<std::optional<domain::StoredGhost>> PgGhostRepository::StartComputing(
    const domain::Uuid& route_id, int dispatch) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return OptGhost(
      (*conn)->Exec("UPDATE route_ghosts SET attempts = attempts + 1, updated_at = now() "
                    "WHERE route_id = $1 AND dispatch = $2 AND status = 'computing' RETURNING " +
                        kGhostColumns,
                    {P(route_id), P(dispatch)}));
}

Result<bool> PgGhostRepository::Complete(const domain::Uuid& route_id, int dispatch,
                                         const std::string& fingerprint,
                                         const std::string& document) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "UPDATE route_ghosts SET status = 'ready', fingerprint = $3, document = $4, "
      "computed_at = now(), updated_at = now() "
      "WHERE route_id = $1 AND dispatch = $2 AND status = 'computing' RETURNING route_id",
      {P(route_id), P(dispatch), P(fingerprint), P(document)});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Status PgGhostRepository::Fail(const domain::Uuid& route_id, int dispatch,
                               const std::string& error_code, const std::string& error_message) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec(
          "UPDATE route_ghosts SET status = 'failed', error_code = $3, error_message = $4, "
          "updated_at = now() WHERE route_id = $1 AND dispatch = $2 AND status = 'computing'",
          {P(route_id), P(dispatch), P(error_code), P(error_message)})
      .status();
}

}  // namespace ascension::store
