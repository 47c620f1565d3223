#include "store/programs.hpp"

#include <nlohmann/json.hpp>

#include "store/sql.hpp"
#include "training/program_codec.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

const std::string kProgramColumns = "id, user_id, version, document::text AS document, " +
                                    Millis("created_at", "created_at") + ", " +
                                    Millis("updated_at", "updated_at");

const std::string kSessionColumns =
    "id, program_id, to_char(done_on, 'YYYY-MM-DD') AS done_on, drills_done::text AS drills_done, "
    "perceived_effort, notes, " +
    Millis("created_at", "created_at");

Result<ports::StoredProgram> ReadProgram(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "programs");
  ports::StoredProgram p;
  p.id = ReadUuid(r, "id");
  p.user_id = ReadUuid(r, "user_id");
  p.version = static_cast<int>(r.Int("version"));
  p.created_at = ReadTime(r, "created_at");
  p.updated_at = ReadTime(r, "updated_at");
  const std::string document = r.Text("document");
  if (!r.ok()) return r.status();
  auto program = training::DecodeProgram(document);
  if (!program.ok()) return DataLoss("programs " + p.id.str() + ": " + program.status().message());
  p.program = std::move(program).value();
  return p;
}

Result<std::optional<ports::StoredProgram>> FirstProgram(const Result<pg::Rows>& rows) {
  return ReadFirst(rows, ReadProgram);
}

Result<ports::LoggedSession> ReadSession(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "program_sessions");
  ports::LoggedSession s;
  s.id = ReadUuid(r, "id");
  s.program_id = ReadUuid(r, "program_id");
  s.created_at = ReadTime(r, "created_at");
  const std::string day = r.Text("done_on");
  const std::string drills = r.Text("drills_done");
  const std::int64_t effort = r.Int("perceived_effort");
  s.session.notes = r.Text("notes");
  if (!r.ok()) return r.status();
  const auto date = training::ParseDate(day);
  if (!date) r.Reject("done_on", "is not a date");
  s.session.date = date.value_or(training::Date{});
  if (effort < 1 || effort > 10) r.Reject("perceived_effort", "is not between 1 and 10");
  s.session.perceived_effort = static_cast<int>(effort);
  const auto list = nlohmann::json::parse(drills, nullptr, false);
  if (!list.is_array()) {
    r.Reject("drills_done", "is not an array");
  } else {
    for (const auto& d : list) {
      if (!d.is_string()) {
        r.Reject("drills_done", "holds something other than drill ids");
        break;
      }
      s.session.drills_done.push_back(d.get<std::string>());
    }
  }
  if (!r.ok()) return r.status();
  return s;
}

Result<std::vector<ports::LoggedSession>> ReadSessions(const pg::Rows& rows) {
  return ReadAll(rows, ReadSession);
}

}  // namespace

Result<ports::StoredProgram> PgProgramRepository::CreateActive(const domain::Uuid& id,
                                                               const domain::Uuid& user_id,
                                                               const training::Program& program) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  // Two creations for one climber are serialized on the account's row.
  auto user = tx.Exec("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", {P(user_id)});
  if (!user.ok()) return user.status();
  if (user->empty()) return NotFound("no such account");
  auto replaced = tx.Exec(
      "UPDATE programs SET status = 'replaced', updated_at = now() "
      "WHERE user_id = $1 AND status = 'active'",
      {P(user_id)});
  if (!replaced.ok()) return replaced.status();
  auto rows =
      tx.Exec("INSERT INTO programs (id, user_id, document) VALUES ($1, $2, $3::jsonb) RETURNING " +
                  kProgramColumns,
              {P(id), P(user_id), P(training::EncodeProgram(program))});
  if (!rows.ok()) return rows.status();
  auto stored = ReadProgram(*rows, 0);
  if (!stored.ok()) return stored.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return stored;
}

Result<std::optional<ports::StoredProgram>> PgProgramRepository::FindActive(
    const domain::Uuid& user_id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return FirstProgram((*conn)->Exec(
      "SELECT " + kProgramColumns + " FROM programs WHERE user_id = $1 AND status = 'active'",
      {P(user_id)}));
}

Result<std::optional<ports::StoredProgram>> PgProgramRepository::FindOwned(
    const domain::Uuid& id, const domain::Uuid& user_id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return FirstProgram(
      (*conn)->Exec("SELECT " + kProgramColumns + " FROM programs WHERE id = $1 AND user_id = $2",
                    {P(id), P(user_id)}));
}

Result<std::optional<ports::StoredProgram>> PgProgramRepository::Update(
    const domain::Uuid& id, int version, const training::Program& program) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return FirstProgram((*conn)->Exec(
      "UPDATE programs SET document = $3::jsonb, version = version + 1, updated_at = now() "
      "WHERE id = $1 AND version = $2 RETURNING " +
          kProgramColumns,
      {P(id), P(version), P(training::EncodeProgram(program))}));
}

Result<ports::LoggedSession> PgProgramRepository::AddSession(const domain::Uuid& id,
                                                             const domain::Uuid& program_id,
                                                             const domain::Uuid& user_id,
                                                             const training::DoneSession& session) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  nlohmann::json drills = nlohmann::json::array();
  for (const std::string& d : session.drills_done) drills.push_back(d);
  auto rows = (*conn)->Exec(
      "INSERT INTO program_sessions (id, program_id, user_id, done_on, drills_done, "
      "perceived_effort, notes) VALUES ($1, $2, $3, $4::date, $5::jsonb, $6, $7) RETURNING " +
          kSessionColumns,
      {P(id), P(program_id), P(user_id), P(training::FormatDate(session.date)), P(drills.dump()),
       P(session.perceived_effort), P(session.notes)});
  if (!rows.ok()) {
    // The program (or the account) was deleted meanwhile.
    if (rows.status().kind() == ErrorKind::kFailedPrecondition) return NotFound("no such program");
    return rows.status();
  }
  return ReadSession(*rows, 0);
}

Result<domain::PageOf<ports::LoggedSession>> PgProgramRepository::Sessions(
    const domain::Uuid& program_id, const domain::Page& page) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT " + kSessionColumns +
                                ", count(*) OVER () AS total FROM program_sessions "
                                "WHERE program_id = $1 ORDER BY done_on, created_at, id "
                                "LIMIT $2 OFFSET $3",
                            {P(program_id), P(page.per_page), P(page.offset())});
  if (!rows.ok()) return rows.status();
  auto items = ReadSessions(*rows);
  if (!items.ok()) return items.status();
  domain::PageOf<ports::LoggedSession> out;
  out.items = std::move(items).value();
  if (!rows->empty()) {
    pg::Row r(*rows, 0, "program_sessions");
    out.total = r.Int("total");
    if (!r.ok()) return r.status();
  }
  return out;
}

Result<std::vector<training::DoneSession>> PgProgramRepository::Journal(
    const domain::Uuid& program_id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT " + kSessionColumns +
                                " FROM program_sessions WHERE program_id = $1 "
                                "ORDER BY done_on, created_at, id",
                            {P(program_id)});
  if (!rows.ok()) return rows.status();
  auto sessions = ReadSessions(*rows);
  if (!sessions.ok()) return sessions.status();
  std::vector<training::DoneSession> out;
  for (auto& s : *sessions) out.push_back(std::move(s.session));
  return out;
}

}  // namespace ascension::store
