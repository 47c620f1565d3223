#include "store/legacy_import.hpp"

#include <set>

#include "adapters/postgres/row.hpp"
#include "store/sql.hpp"

namespace ascension::store {
namespace {

// One item of a SELECT list over a legacy table: `expr` (with `{}` standing for the column)
// when the table has the column, else `fallback`; named `alias`.
struct Item {
  const char* column;
  const char* expr;
  const char* fallback;  // nullptr: the column is required
};

std::string Expand(const std::string& expr, const std::string& column) {
  std::string out;
  for (std::size_t i = 0; i < expr.size(); ++i) {
    if (expr.compare(i, 2, "{}") == 0) {
      out += "\"" + column + "\"";
      ++i;
    } else {
      out += expr[i];
    }
  }
  return out;
}

pg::Param OptTime(domain::Time t) {
  if (t == domain::Time{}) return pg::Null();
  return P(t);
}

}  // namespace

Result<pg::Rows> PgLegacySource::Read(const std::string& sql,
                                      const std::vector<pg::Param>& params) {
  if (!db_->healthy() && !db_->Reset())
    return Unavailable("the original system's database is unreachable");
  return db_->Exec(sql, params);
}

namespace {

// The SELECT list for `table` from the columns it has; kFailedPrecondition naming a required
// column that is missing.
Result<std::string> SelectList(pg::Connection& db, const std::string& table,
                               const std::vector<Item>& items) {
  auto cols = db.Exec(
      "SELECT column_name::text FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = $1",
      {pg::P(table)});
  if (!cols.ok()) return cols.status();
  std::set<std::string> have;
  for (int i = 0; i < cols->size(); ++i) have.insert(cols->Text(i, 0));
  if (have.empty()) {
    return Status(ErrorKind::kFailedPrecondition,
                  "the original system's database has no table " + table);
  }
  std::string list;
  for (const auto& it : items) {
    std::string e;
    if (have.count(it.column)) {
      e = Expand(it.expr, it.column);
    } else if (it.fallback != nullptr) {
      e = it.fallback;
    } else {
      return Status(ErrorKind::kFailedPrecondition,
                    "the original system's table " + table + " has no column " + it.column);
    }
    if (!list.empty()) list += ", ";
    list += e + " AS " + it.column;
  }
  return list;
}

const std::vector<Item> kUserItems = {
    {"id", "{}::text", nullptr},
    {"email", "coalesce({}::text, '')", nullptr},
    {"username", "coalesce({}::text, '')", "''"},
    {"password_hash", "coalesce({}::text, '')", nullptr},
    {"role", "coalesce({}::text, 'user')", "'user'"},
    {"created_at", "floor(extract(epoch FROM {}::timestamptz) * 1000)::int8", "NULL::int8"},
};
const std::vector<Item> kVideoItems = {
    {"id", "{}::text", nullptr},
    {"user_id", "{}::text", nullptr},
    {"object_key", "coalesce({}::text, '')", nullptr},
    {"bucket", "coalesce({}::text, '')", "''"},
    {"filename", "coalesce({}::text, '')", "''"},
    {"status", "coalesce({}::text, '')", "''"},
    {"created_at", "floor(extract(epoch FROM {}::timestamptz) * 1000)::int8", "NULL::int8"},
};
const std::vector<Item> kAnalysisItems = {
    {"id", "{}::text", nullptr},
    {"video_id", "{}::text", nullptr},
    {"job_id", "coalesce({}::text, '')", "''"},
    {"status", "coalesce({}::text, '')", nullptr},
    {"result_json", "{}::text", "NULL::text"},
    {"hints", "{}::text", "NULL::text"},
    {"processing_time_ms", "round({}::numeric)::int8", "NULL::int8"},
    {"progress", "round({}::numeric)::int8", "NULL::int8"},
    {"created_at", "floor(extract(epoch FROM {}::timestamptz) * 1000)::int8", "NULL::int8"},
    {"completed_at", "floor(extract(epoch FROM {}::timestamptz) * 1000)::int8", "NULL::int8"},
};

// The legacy rows, read like this system's own (analyses.cpp): one reader per table, by
// column name, over the SELECT lists above.
Result<ports::LegacyUser> ReadLegacyUser(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "legacy users");
  ports::LegacyUser u;
  u.id = r.Text("id");
  u.email = r.Text("email");
  u.username = r.Text("username");
  u.password_hash = r.Text("password_hash");
  u.role = r.Text("role");
  u.created_at = ReadOptTime(r, "created_at");
  if (!r.ok()) return r.status();
  return u;
}

Result<ports::LegacyVideo> ReadLegacyVideo(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "legacy videos");
  ports::LegacyVideo v;
  v.id = r.Text("id");
  v.user_id = r.Text("user_id");
  v.object_key = r.Text("object_key");
  v.bucket = r.Text("bucket");
  v.filename = r.Text("filename");
  v.status = r.Text("status");
  v.created_at = ReadOptTime(r, "created_at");
  if (!r.ok()) return r.status();
  return v;
}

Result<ports::LegacyAnalysis> ReadLegacyAnalysis(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "legacy analyses");
  ports::LegacyAnalysis a;
  a.id = r.Text("id");
  a.video_id = r.Text("video_id");
  a.job_id = r.Text("job_id");
  a.status = r.Text("status");
  a.result_json = r.OptText("result_json");
  a.hints = r.OptText("hints");
  a.processing_time_ms = r.OptInt("processing_time_ms");
  a.progress = r.OptInt("progress");
  a.created_at = ReadOptTime(r, "created_at");
  a.completed_at = ReadOptTime(r, "completed_at");
  if (!r.ok()) return r.status();
  return a;
}

}  // namespace

Result<std::vector<ports::LegacyUser>> PgLegacySource::Users() {
  auto list = SelectList(*db_, "users", kUserItems);
  if (!list.ok()) return list.status();
  return ReadAll(Read("SELECT " + *list + " FROM users ORDER BY 6 NULLS LAST, 1", {}),
                 ReadLegacyUser);
}

Result<std::vector<ports::LegacyVideo>> PgLegacySource::VideosOf(const std::string& user_id) {
  auto list = SelectList(*db_, "videos", kVideoItems);
  if (!list.ok()) return list.status();
  return ReadAll(
      Read("SELECT " + *list + " FROM videos WHERE user_id::text = $1 ORDER BY 7 NULLS LAST, 1",
           {pg::P(user_id)}),
      ReadLegacyVideo);
}

Result<std::vector<ports::LegacyAnalysis>> PgLegacySource::AnalysesOf(const std::string& video_id) {
  auto list = SelectList(*db_, "analyses", kAnalysisItems);
  if (!list.ok()) return list.status();
  return ReadAll(
      Read("SELECT " + *list + " FROM analyses WHERE video_id::text = $1 ORDER BY 9 NULLS LAST, 1",
           {pg::P(video_id)}),
      ReadLegacyAnalysis);
}

Result<std::optional<domain::Uuid>> PgImportTarget::IdWhere(const std::string& condition,
                                                            std::string_view value) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT id FROM users WHERE " + condition + " LIMIT 1", {pg::P(value)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<domain::Uuid>();
  pg::Row r(*rows, 0, "users");
  domain::Uuid id = ReadUuid(r, "id");
  if (!r.ok()) return r.status();
  return std::optional<domain::Uuid>(id);
}

Result<std::optional<domain::Uuid>> PgImportTarget::AccountWithEmail(std::string_view email) {
  return IdWhere("lower(email) = lower($1)", email);
}

Result<std::optional<domain::Uuid>> PgImportTarget::AccountWithUsername(std::string_view username) {
  return IdWhere("lower(username) = lower($1)", username);
}

Result<ports::BatchOutcome> PgImportTarget::Write(const ports::ImportBatch& b, bool dry_run) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  ports::BatchOutcome out;
  const domain::User& u = b.user;
  auto user = tx.Exec(
      "INSERT INTO users (id, username, email, password_hash, role, subscription_tier, language, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, "
      "coalesce(to_timestamp($7::float8 / 1000), now()), coalesce(to_timestamp($7::float8 / 1000), "
      "now())) "
      "ON CONFLICT (id) DO NOTHING",
      {P(u.id), pg::P(u.username), pg::P(u.email), pg::P(u.password_hash), pg::P(u.role),
       pg::P(u.subscription_tier), OptTime(u.created_at)});
  if (!user.ok()) return user.status();
  out.user_inserted = user->affected() == 1;
  for (const auto& v : b.videos) {
    auto r = tx.Exec(
        "INSERT INTO videos (id, user_id, filename, content_type, object_key, status, size_bytes, "
        "created_at, saved_at, expired_at) VALUES ($1, $2, $3, $4, $5, $6, $7::int8, "
        "coalesce(to_timestamp($8::float8 / 1000), now()), "
        "CASE WHEN $6 = 'saved' THEN coalesce(to_timestamp($8::float8 / 1000), now()) END, "
        "CASE WHEN $6 = 'expired' THEN now() END) ON CONFLICT (id) DO NOTHING",
        {P(v.id), P(u.id), pg::P(v.filename), pg::P(v.content_type), pg::P(v.object_key),
         pg::P(v.status),
         v.size_bytes ? pg::P(static_cast<std::int64_t>(*v.size_bytes)) : pg::Null(),
         OptTime(v.created_at)});
    if (!r.ok()) return r.status();
    out.videos_inserted += static_cast<int>(r->affected());
  }
  for (const auto& a : b.analyses) {
    auto opt = [](const std::optional<std::string>& s) { return s ? pg::P(*s) : pg::Null(); };
    auto r = tx.Exec(
        "INSERT INTO analyses (id, user_id, video_id, job_id, status, progress, language, "
        "result_json, hints, error_code, error_message, processing_time_ms, created_at, "
        "updated_at, "
        "completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::int4, "
        "coalesce(to_timestamp($13::float8 / 1000), now()), "
        "coalesce(to_timestamp($14::float8 / 1000), to_timestamp($13::float8 / 1000), now()), "
        "to_timestamp($14::float8 / 1000)) ON CONFLICT (id) DO NOTHING",
        {P(a.id), P(u.id), P(a.video_id), P(a.job_id), pg::P(a.status), pg::P(a.progress),
         pg::P(a.language), opt(a.result_json), opt(a.hints), opt(a.error_code),
         opt(a.error_message), a.processing_time_ms ? pg::P(*a.processing_time_ms) : pg::Null(),
         OptTime(a.created_at), a.completed_at ? OptTime(*a.completed_at) : pg::Null()});
    if (!r.ok()) return r.status();
    out.analyses_inserted += static_cast<int>(r->affected());
  }
  if (dry_run) return out;  // the transaction rolls back
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

}  // namespace ascension::store
