#include "store/videos.hpp"

#include "store/sql.hpp"

namespace ascension::store {
namespace {

using pg::P;
using store::P;

const std::string kVideoColumns =
    "id, user_id, filename, content_type, object_key, status, size_bytes, " +
    Millis("created_at", "created_at");

Result<domain::Video> ReadVideo(const pg::Rows& rows, int i) {
  pg::Row r(rows, i, "videos");
  domain::Video v;
  v.id = ReadUuid(r, "id");
  v.user_id = ReadUuid(r, "user_id");
  v.filename = r.Text("filename");
  v.content_type = r.Text("content_type");
  v.object_key = r.Text("object_key");
  v.status = r.Text("status");
  v.size_bytes = r.OptInt("size_bytes");
  v.created_at = ReadTime(r, "created_at");
  if (!r.ok()) return r.status();
  return v;
}

Result<std::vector<domain::Video>> ReadVideos(const pg::Rows& rows) {
  return ReadAll(rows, ReadVideo);
}

// '{id1,id2}' for "= ANY($n::uuid[])".
std::string UuidArray(std::span<const domain::Uuid> ids) {
  std::string out = "{";
  for (const auto& id : ids) out += (out.size() > 1 ? "," : "") + id.str();
  return out + "}";
}

}  // namespace

Result<domain::Video> PgVideoRepository::Create(const domain::Video& v) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "INSERT INTO videos (id, user_id, filename, content_type, object_key) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING " +
          kVideoColumns,
      {P(v.id), P(v.user_id), P(v.filename), P(v.content_type), P(v.object_key)});
  if (!rows.ok()) return rows.status();
  return ReadVideo(*rows, 0);
}

Result<std::optional<domain::Video>> PgVideoRepository::FindOwned(const domain::Uuid& id,
                                                                  const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT " + kVideoColumns + " FROM videos WHERE id = $1 AND user_id = $2", {P(id), P(user)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<domain::Video>();
  auto v = ReadVideo(*rows, 0);
  if (!v.ok()) return v.status();
  return std::optional<domain::Video>(std::move(v).value());
}

Result<domain::PageOf<domain::Video>> PgVideoRepository::ListOwned(const domain::Uuid& user,
                                                                   const domain::Page& page) {
  auto conn = reader_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows =
      (*conn)->Exec("SELECT " + kVideoColumns +
                        ", count(*) OVER () AS total FROM videos WHERE user_id = $1 "
                        "AND status <> 'expired' ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
                    {P(user), P(page.per_page), P(page.offset())});
  if (!rows.ok()) return rows.status();
  domain::PageOf<domain::Video> out;
  auto items = ReadVideos(*rows);
  if (!items.ok()) return items.status();
  out.items = std::move(items).value();
  if (!rows->empty()) {
    pg::Row r(*rows, 0, "videos");
    out.total = r.Int("total");
    if (!r.ok()) return r.status();
  }
  return out;
}

Result<bool> PgVideoRepository::MarkUploaded(const domain::Uuid& id, std::int64_t size) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "UPDATE videos SET status = 'uploaded', size_bytes = $2 "
      "WHERE id = $1 AND status = 'awaiting_upload' RETURNING id",
      {P(id), P(size)});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Result<std::vector<ports::VideoRepository::KeyOwner>> PgVideoRepository::FindByObjectKeys(
    std::span<const std::string> keys) {
  std::vector<KeyOwner> out;
  if (keys.empty()) return out;
  // A text[] literal: each key quoted, with quotes and backslashes escaped.
  std::string array = "{";
  for (const auto& k : keys) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (char c : k) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  array += '}';
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "SELECT object_key, id, status FROM videos WHERE object_key = ANY($1::text[])", {P(array)});
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < rows->size(); ++i) {
    pg::Row r(*rows, i, "videos");
    KeyOwner o;
    o.object_key = r.Text("object_key");
    o.id = ReadUuid(r, "id");
    o.status = r.Text("status");
    if (!r.ok()) return r.status();
    out.push_back(std::move(o));
  }
  return out;
}

Result<domain::Video> PgVideoRepository::MarkSaved(const domain::Uuid& id, const std::string& key,
                                                   std::int64_t size) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec(
      "UPDATE videos SET status = 'saved', saved_at = now(), object_key = $2, size_bytes = $3 "
      "WHERE id = $1 RETURNING " +
          kVideoColumns,
      {P(id), P(key), P(size)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("Video not found");
  return ReadVideo(*rows, 0);
}

Result<bool> PgVideoRepository::DeleteOwned(const domain::Uuid& id, const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Exec("DELETE FROM videos WHERE id = $1 AND user_id = $2", {P(id), P(user)});
  if (!r.ok()) return r.status();
  return r->affected() > 0;
}

Result<std::vector<domain::Uuid>> PgVideoRepository::IdsOfUser(const domain::Uuid& user) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT id FROM videos WHERE user_id = $1", {P(user)});
  if (!rows.ok()) return rows.status();
  std::vector<domain::Uuid> out;
  for (int i = 0; i < rows->size(); ++i) {
    pg::Row r(*rows, i, "videos");
    out.push_back(ReadUuid(r, "id"));
    if (!r.ok()) return r.status();
  }
  return out;
}

Result<std::vector<domain::Video>> PgVideoRepository::FindExpiring(
    domain::Time before, const std::optional<Cursor>& after, int limit) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows =
      (*conn)->Exec("SELECT " + kVideoColumns +
                        " FROM videos WHERE status IN ('awaiting_upload', 'uploaded') "
                        "AND created_at < to_timestamp($1::float8 / 1000) "
                        "AND ($2::int8 IS NULL OR (floor(extract(epoch FROM created_at) * "
                        "1000)::int8, id) > ($2, $3::uuid)) "
                        "ORDER BY floor(extract(epoch FROM created_at) * 1000)::int8, id LIMIT $4",
                    {P(before), after ? P(domain::ToUnixMillis(after->created_at)) : pg::Null(),
                     after ? P(after->id) : pg::Null(), P(limit)});
  if (!rows.ok()) return rows.status();
  return ReadVideos(*rows);
}

Result<int> PgVideoRepository::MarkExpired(std::span<const domain::Uuid> ids) {
  if (ids.empty()) return 0;
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto r = (*conn)->Exec(
      "UPDATE videos SET status = 'expired', expired_at = now() "
      "WHERE id = ANY($1::uuid[]) AND status IN ('awaiting_upload', 'uploaded')",
      {P(UuidArray(ids))});
  if (!r.ok()) return r.status();
  return static_cast<int>(r->affected());
}

}  // namespace ascension::store
