#include "store/analyses.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "common/crypto.hpp"
#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

// Every column of analyses but result_json, qualified with `t`.
std::string Columns(std::string_view t, bool with_result) {
  std::string a = std::string(t) + ".";
  std::string out = a + "id, " + a + "user_id, " + a + "video_id, " + a + "job_id, " + a + "status, " + a +
                    "progress, coalesce(" + a + "stage, '') AS stage, " + a + "model, " + a +
                    "language, " + a + "hints, " + a + "error_code, " + a + "error_message, " + a +
                    "processing_time_ms, " + a + "attempts, " + a + "requeues, " + a + "priority, " + a +
                    "dispatch, " + a + "object_etag, " + a + "object_size, " + a + "route_id, " +
                    Millis(a + "created_at", "created_at") + ", " +
                    Millis(a + "completed_at", "completed_at");
  if (with_result) out += ", " + a + "result_json";
  return out;
}

Result<domain::Analysis> ReadAnalysis(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "analyses");
  domain::Analysis a;
  a.id = ReadUuid(r, "id");
  a.user_id = ReadUuid(r, "user_id");
  a.video_id = ReadUuid(r, "video_id");
  a.job_id = ReadUuid(r, "job_id");
  a.status = r.Text("status");
  a.progress = static_cast<int>(r.Int("progress"));
  a.stage = r.Text("stage");
  a.model = r.Text("model");
  std::string lang = r.Text("language");
  // Rows written before the language was validated may hold anything: English, as then.
  a.language = domain::ParseLanguage(lang).value_or(domain::Language::kEn);
  a.hints = r.OptText("hints");
  a.error_code = r.OptText("error_code");
  a.error_message = r.OptText("error_message");
  a.processing_time_ms = r.OptInt("processing_time_ms");
  a.attempts = static_cast<int>(r.Int("attempts"));
  a.requeues = static_cast<int>(r.Int("requeues"));
  a.priority = static_cast<int>(r.Int("priority"));
  a.dispatch = static_cast<int>(r.Int("dispatch"));
  a.object_etag = r.OptText("object_etag");
  a.object_size = r.OptInt("object_size");
  a.route_id = ReadOptUuid(r, "route_id");
  a.created_at = ReadTime(r, "created_at");
  a.completed_at = ReadOptTime(r, "completed_at");
  if (rows.Column("result_json") >= 0) a.result_json = r.OptText("result_json");
  if (!r.ok()) return r.status();
  return a;
}

// The document gzipped at zlib's default level, as the API did per request before: level 9
// saves 10 % of the bytes of the sample's result at 6× the time (43 ms for its 273 KB), which a
// row filled lazily on an API thread would pay on its first read. nullopt on a zlib error.
std::optional<std::string> Gzip(std::string_view in, std::size_t chunk) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  chunk = std::clamp<std::size_t>(chunk, 1, std::numeric_limits<uInt>::max());
  std::string out;
  char buffer[64 * 1024];
  int rc = Z_OK;
  std::size_t fed = 0;
  while (rc == Z_OK) {
    if (z.avail_in == 0 && fed < in.size()) {
      const std::size_t n = std::min(chunk, in.size() - fed);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + fed));
      z.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = deflate(&z, fed == in.size() ? Z_FINISH : Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (rc == Z_BUF_ERROR) rc = Z_OK;  // no progress this call: more input or room comes next
  }
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

Status InsertOutbox(pg::Transaction& tx, const domain::Uuid& user, const ports::OutboxMessage& m) {
  return tx.Exec("INSERT INTO outbox (user_id, analysis_id, exchange, routing_key, body, priority) "
                 "VALUES ($1, $2, $3, $4, $5, $6)",
                 {P(user), m.analysis_id ? P(*m.analysis_id) : pg::Null(), P(m.exchange),
                  P(m.routing_key), P(m.body), P(m.priority)})
      .status();
}

}  // namespace

ResultEncodings EncodeResult(std::string_view document, std::size_t chunk) {
  return {"\"" + HexEncode(Sha256(document)).substr(0, 32) + "\"", Gzip(document, chunk)};
}

Result<domain::Analysis> PgAnalysisRepository::CreateUnderQuota(const domain::Analysis& a,
                                                                const std::string& object_key,
                                                                domain::Time month_start, int quota,
                                                                const ports::JobFor& job) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  // The row lock serializes concurrent requests of one user, so the count below cannot race.
  auto user = tx.Exec("SELECT id FROM users WHERE id = $1 FOR UPDATE", {P(a.user_id)});
  if (!user.ok()) return user.status();
  if (user->empty()) return NotFound("User not found");
  auto used = tx.Exec("SELECT " + QuotaUsedSql(1, 2) + " AS used",
                      {P(a.user_id), P(month_start)});
  if (!used.ok()) return used.status();
  pg::Row r(*used, 0, "analyses");
  std::int64_t n = r.Int("used");
  if (!r.ok()) return r.status();
  if (n >= quota) return ResourceExhausted("monthly quota reached");
  auto ins = tx.Exec(
      "INSERT INTO analyses (id, user_id, video_id, job_id, model, language, priority, created_at, "
      "updated_at, object_etag, object_size, route_id) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "to_timestamp($8::float8 / 1000), now(), $9, $10::int8, $11::uuid) RETURNING " + Columns("analyses", false),
      {P(a.id), P(a.user_id), P(a.video_id), P(a.job_id), P(a.model),
       P(std::string(domain::LanguageCode(a.language))), P(a.priority), P(a.created_at),
       a.object_etag ? P(*a.object_etag) : pg::Null(),
       a.object_size ? P(*a.object_size) : pg::Null(),
       a.route_id ? P(*a.route_id) : pg::Null()});
  if (!ins.ok()) return ins.status();
  auto stored = ReadAnalysis(*ins, 0);
  if (!stored.ok()) return stored.status();
  // The charge outlives the analysis: deleting it (or its video) does not give the slot back.
  auto charge = tx.Exec(
      "INSERT INTO quota_charges (analysis_id, user_id, charged_at) "
      "VALUES ($1, $2, to_timestamp($3::float8 / 1000))",
      {P(a.id), P(a.user_id), P(a.created_at)});
  if (!charge.ok()) return charge.status();
  if (Status s = InsertOutbox(tx, a.user_id, job(*stored, object_key)); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return stored;
}

Result<int> PgAnalysisRepository::QuotaUsed(const domain::Uuid& user, domain::Time month_start) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT " + QuotaUsedSql(1, 2) + " AS used",
                            {P(user), P(month_start)});
  if (!rows.ok()) return rows.status();
  pg::Row r(*rows, 0, "analyses");
  int n = static_cast<int>(r.Int("used"));
  if (!r.ok()) return r.status();
  return n;
}

Result<std::optional<domain::Analysis>> PgAnalysisRepository::FindOwned(const domain::Uuid& id,
                                                                        const domain::Uuid& user,
                                                                        bool with_result) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return ReadFirst((*conn)->Exec(
      "SELECT " + Columns("a", with_result) + " FROM analyses a WHERE a.id = $1 AND a.user_id = $2",
      {P(id), P(user)}), ReadAnalysis);
}

Result<std::optional<ports::StoredResult>> PgAnalysisRepository::FindResult(
    const domain::Uuid& id, const domain::Uuid& user, bool accept_gzip,
    const std::optional<std::string>& if_none_match) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  // Only what is served crosses the wire: the ETag alone when it matches, else the gzip copy
  // (as hex: results are read as text) or the document. A row without its encodings yet (stored
  // before migration 0042, or its result_json changed since) sends its document to be encoded.
  auto rows = (*conn)->Exec(
      "SELECT a.status, a.status = 'completed' AND a.result_json IS NOT NULL AS has_result, "
      "a.result_etag, a.xmin::text AS row_version, "
      "CASE WHEN a.status = 'completed' AND a.result_etag IS DISTINCT FROM $3::text AND $4::boolean "
      "  THEN encode(a.result_gzip, 'hex') END AS result_gzip, "
      "CASE WHEN a.status = 'completed' AND (a.result_etag IS NULL OR (a.result_etag IS DISTINCT "
      "  FROM $3::text AND NOT ($4::boolean AND a.result_gzip IS NOT NULL))) "
      "  THEN a.result_json END AS result_json "
      "FROM analyses a WHERE a.id = $1 AND a.user_id = $2",
      {P(id), P(user), if_none_match ? P(*if_none_match) : pg::Null(), P(accept_gzip)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ports::StoredResult>();
  pg::Row r(*rows, 0, "analyses");
  ports::StoredResult out;
  out.status = r.Text("status");
  bool has_result = r.Bool("has_result");
  out.etag = r.OptText("result_etag");
  std::string version = r.Text("row_version");
  std::optional<std::string> gzip_hex = r.OptText("result_gzip");
  std::optional<std::string> document = r.OptText("result_json");
  if (!r.ok()) return r.status();
  if (!has_result) {
    out.etag.reset();
    return std::optional<ports::StoredResult>(std::move(out));
  }
  if (!out.etag) {
    if (!document) return DataLoss("analyses: a completed result without its document");
    // Encoded once here, stored unless the row changed since it was read (its xmin).
    ResultEncodings enc = EncodeResult(*document);
    auto fill = (*conn)->Exec(
        "UPDATE analyses SET result_etag = $2, result_gzip = decode($3, 'hex') "
        "WHERE id = $1 AND xmin::text = $4 AND result_etag IS NULL",
        {P(id), P(enc.etag), enc.gzip ? P(HexEncode(*enc.gzip)) : pg::Null(), P(version)});
    if (!fill.ok()) return fill.status();
    out.etag = enc.etag;
    if (if_none_match && *if_none_match == enc.etag) {
      out.not_modified = true;
    } else if (accept_gzip && enc.gzip) {
      out.gzip = true;
      out.body = std::move(*enc.gzip);
    } else {
      out.body = std::move(*document);
    }
    return std::optional<ports::StoredResult>(std::move(out));
  }
  if (if_none_match && *if_none_match == *out.etag) {
    out.not_modified = true;
  } else if (gzip_hex) {
    auto bytes = HexDecode(*gzip_hex);  // encode(result_gzip, 'hex')
    if (!bytes) return DataLoss("analyses: result_gzip is not hex");
    out.gzip = true;
    out.body = std::move(*bytes);
  } else {
    if (!document) return DataLoss("analyses: a completed result without its document");
    out.body = std::move(*document);
  }
  return std::optional<ports::StoredResult>(std::move(out));
}

Result<domain::PageOf<domain::Analysis>> PgAnalysisRepository::ListOwned(
    const domain::Uuid& user, const std::optional<std::string>& status, const domain::Page& page) {
  auto conn = reader_.Acquire();
  if (!conn.ok()) return conn.status();
  // The total is counted by a subquery run once, from the index alone (migration 0043): a
  // count(*) OVER () here would fetch every one of the climber's rows to count them.
  auto rows = (*conn)->Exec("SELECT " + Columns("a", false) +
                                ", (SELECT count(*) FROM analyses c WHERE c.user_id = $1 "
                                "AND ($2::text IS NULL OR c.status = $2)) AS total "
                                "FROM analyses a WHERE a.user_id = $1 "
                                "AND ($2::text IS NULL OR a.status = $2) "
                                "ORDER BY a.created_at DESC, a.id LIMIT $3 OFFSET $4",
                            {P(user), status ? P(*status) : pg::Null(), P(page.per_page), P(page.offset())});
  if (!rows.ok()) return rows.status();
  domain::PageOf<domain::Analysis> out;
  for (int i = 0; i < rows->size(); ++i) {
    auto a = ReadAnalysis(*rows, i);
    if (!a.ok()) return a.status();
    out.items.push_back(std::move(a).value());
    pg::Row r(*rows, i, "analyses");
    out.total = r.Int("total");
    if (!r.ok()) return r.status();
  }
  return out;
}

Result<bool> PgAnalysisRepository::DeleteOwned(const domain::Uuid& id, const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Exec("DELETE FROM analyses WHERE id = $1 AND user_id = $2", {P(id), P(user)});
  if (!r.ok()) return r.status();
  return r->affected() > 0;
}

Result<std::optional<domain::Analysis>> PgAnalysisRepository::StartProcessing(
    const domain::Uuid& id, std::optional<int> dispatch) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return ReadFirst((*conn)->Exec(
      "UPDATE analyses a SET status = 'processing', progress = 0, stage = 'starting', "
      "attempts = attempts + 1, started_at = now(), updated_at = now() "
      "WHERE a.id = $1 AND a.status IN ('pending', 'processing', 'generating_hints') "
      "AND ($2::int IS NULL OR a.dispatch = $2) RETURNING " + Columns("a", false),
      {P(id), dispatch ? P(*dispatch) : pg::Null()}), ReadAnalysis);
}

Status PgAnalysisRepository::UpdateProgress(const domain::Uuid& id, int progress,
                                            const std::string& stage) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  std::string status = stage == "generating_hints" ? "generating_hints" : "processing";
  return (*conn)
      ->Exec("UPDATE analyses SET progress = $2, stage = $3, status = $4, updated_at = now() "
             "WHERE id = $1 AND status IN ('processing', 'generating_hints')",
             {P(id), P(progress), P(stage), P(status)})
      .status();
}

Status PgAnalysisRepository::Complete(const domain::Uuid& id, const std::string& result_json,
                                      const std::string& hints, std::int64_t ms) {
  // The ETag and the gzip copy the API serves are computed here, once (migration 0042).
  ResultEncodings enc = EncodeResult(result_json);
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec("UPDATE analyses SET status = 'completed', progress = 100, stage = 'completed', "
             "result_json = $2, hints = $3, processing_time_ms = $4, error_code = NULL, "
             "error_message = NULL, completed_at = now(), updated_at = now(), "
             "result_etag = $5, result_gzip = decode($6, 'hex') "
             "WHERE id = $1 AND status <> 'completed'",
             {P(id), P(result_json), P(hints), P(ms), P(enc.etag),
              enc.gzip ? P(HexEncode(*enc.gzip)) : pg::Null()})
      .status();
}

Status PgAnalysisRepository::Fail(const domain::Uuid& id, const std::string& code,
                                  const std::string& message) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec("WITH failed AS (UPDATE analyses SET status = 'failed', stage = 'failed', "
             "error_code = $2, error_message = $3, completed_at = now(), updated_at = now() "
             "WHERE id = $1 AND status <> 'completed' RETURNING id) "
             // A failed analysis was not delivered: its quota slot is given back.
             "DELETE FROM quota_charges WHERE analysis_id IN (SELECT id FROM failed)",
             {P(id), P(code), P(message)})
      .status();
}

Result<ports::RecoveryCounts> PgAnalysisRepository::ReapStuck(
    domain::Time stuck_before,
    const std::function<ports::StuckDecision(const domain::Analysis&, const std::string&)>& decide,
    bool dry_run) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto rows = tx.Exec("SELECT " + Columns("a", false) +
                          ", v.object_key FROM analyses a JOIN videos v ON v.id = a.video_id "
                          "WHERE a.status IN ('processing', 'generating_hints') "
                          "AND a.updated_at < to_timestamp($1::float8 / 1000) "
                          "ORDER BY a.updated_at LIMIT 500 FOR UPDATE OF a SKIP LOCKED",
                      {P(stuck_before)});
  if (!rows.ok()) return rows.status();
  ports::RecoveryCounts counts;
  for (int i = 0; i < rows->size(); ++i) {
    auto a = ReadAnalysis(*rows, i);
    if (!a.ok()) return a.status();
    pg::Row r(*rows, i, "videos");
    std::string key = r.Text("object_key");
    if (!r.ok()) return r.status();
    auto decision = decide(*a, key);
    if (auto* give_up = std::get_if<ports::GiveUp>(&decision)) {
      ++counts.failed;
      auto up = tx.Exec("WITH failed AS (UPDATE analyses SET status = 'failed', stage = 'failed', "
                        "error_code = $2, error_message = $3, completed_at = now(), "
                        "updated_at = now() WHERE id = $1 RETURNING id) "
                        "DELETE FROM quota_charges WHERE analysis_id IN (SELECT id FROM failed)",
                        {P(a->id), P(give_up->error_code), P(give_up->error_message)});
      if (!up.ok()) return up.status();
    } else {
      ++counts.requeued;
      auto up = tx.Exec("UPDATE analyses SET status = 'pending', stage = 'requeued', "
                        "requeues = requeues + 1, dispatch = dispatch + 1, updated_at = now() WHERE id = $1",
                        {P(a->id)});
      if (!up.ok()) return up.status();
      if (Status s = InsertOutbox(tx, a->user_id, std::get<ports::Requeue>(decision).job); !s.ok()) return s;
    }
  }
  if (dry_run) return counts;  // the transaction rolls back
  if (Status s = tx.Commit(); !s.ok()) return s;
  return counts;
}

Result<int> PgAnalysisRepository::RequeueLost(domain::Time sent_before, const ports::JobFor& job,
                                              bool dry_run) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  // Pending, not touched since, and every outbox message of it (if any: rows older than the
  // analysis_id column have none) handed to the broker before `sent_before`.
  auto rows = tx.Exec(
      "SELECT " + Columns("a", false) +
          ", v.object_key FROM analyses a JOIN videos v ON v.id = a.video_id "
          "WHERE a.status = 'pending' AND a.updated_at < to_timestamp($1::float8 / 1000) "
          "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.analysis_id = a.id "
          "  AND (o.sent_at IS NULL OR o.sent_at >= to_timestamp($1::float8 / 1000))) "
          "ORDER BY a.created_at LIMIT 500 FOR UPDATE OF a SKIP LOCKED",
      {P(sent_before)});
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < rows->size(); ++i) {
    auto a = ReadAnalysis(*rows, i);
    if (!a.ok()) return a.status();
    pg::Row r(*rows, i, "videos");
    std::string key = r.Text("object_key");
    if (!r.ok()) return r.status();
    auto up = tx.Exec("UPDATE analyses SET stage = 'requeued', dispatch = dispatch + 1, "
                      "updated_at = now() WHERE id = $1",
                      {P(a->id)});
    if (!up.ok()) return up.status();
    if (Status s = InsertOutbox(tx, a->user_id, job(*a, key)); !s.ok()) return s;
  }
  if (dry_run) return rows->size();  // the transaction rolls back
  if (Status s = tx.Commit(); !s.ok()) return s;
  return rows->size();
}

// ---- outbox ----

Result<int> PgOutboxRepository::Relay(int batch,
                                      const std::function<Status(const ports::OutboxMessage&)>& publish) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  pg::Transaction tx(**conn);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto rows = tx.Exec(
      "SELECT id, exchange, routing_key, body, priority, analysis_id FROM outbox WHERE sent_at IS NULL "
      "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
      {P(batch)});
  if (!rows.ok()) return rows.status();
  int sent = 0;
  Status first_error;
  for (int i = 0; i < rows->size(); ++i) {
    pg::Row r(*rows, i, "outbox");
    ports::OutboxMessage m;
    m.id = r.Int("id");
    m.exchange = r.Text("exchange");
    m.routing_key = r.Text("routing_key");
    m.body = r.Text("body");
    m.priority = static_cast<int>(r.Int("priority"));
    m.analysis_id = ReadOptUuid(r, "analysis_id");
    if (!r.ok()) return r.status();
    Status s = publish(m);
    if (!s.ok()) {
      (void)tx.Exec("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                    {P(m.id), P(s.message())});
      first_error = s;
      break;
    }
    auto mark = tx.Exec("UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1", {P(m.id)});
    if (!mark.ok()) return mark.status();
    ++sent;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  if (sent == 0 && !first_error.ok()) return first_error;
  return sent;
}

Result<int> PgOutboxRepository::Backlog() {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT count(*) AS backlog FROM outbox WHERE sent_at IS NULL");
  if (!rows.ok()) return rows.status();
  pg::Row r(*rows, 0, "outbox");
  int n = static_cast<int>(r.Int("backlog"));
  if (!r.ok()) return r.status();
  return n;
}

}  // namespace ascension::store
