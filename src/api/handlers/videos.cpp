#include "api/handlers/handlers.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"
#include "domain/rules.hpp"
#include "store/records.hpp"

namespace ascension::api {
namespace {

using pg::P;

http::Response NotFoundVideo() { return http::Error(404, "not_found", "Video not found"); }

// The caller's video, or nullopt (someone else's id and a missing one look the same).
Result<std::optional<store::Video>> OwnVideo(pg::Connection& c, const std::string& id, const std::string& user) {
  if (!IsUuid(id)) return std::optional<store::Video>();
  auto r = c.Exec(std::string("SELECT ") + store::kVideoColumns + " FROM videos WHERE id = $1 AND user_id = $2",
                  {P(id), P(user)});
  if (!r.ok()) return r.status();
  if (r->empty()) return std::optional<store::Video>();
  return std::optional<store::Video>(store::ReadVideo(*r, 0));
}

http::Response UploadUrl(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto body = JsonBody(req, &err);
  if (!body) return err;
  auto filename = StringField(*body, "filename", true, &err);
  if (!filename) return err;
  if (filename->empty() || filename->size() > 255)
    return http::Error(422, "validation_failed", "filename must be 1 to 255 characters");
  if (auto uid = StringField(*body, "user_id", false, &err)) {
    if (*uid != req.user_id) return http::Error(403, "forbidden", "user_id must be your own id");
  } else if (err.status != 200) {
    return err;
  }
  domain::VideoType type = domain::VideoTypeForFilename(*filename);
  std::string video_id = NewUuid();
  std::string key = domain::UploadKey(req.user_id, video_id, type.extension);
  auto url = ctx.s3->PresignPut(key, type.content_type, ctx.config.presign_ttl, s3::Clock::now());
  if (!url.ok()) return FromStatus(url.status());
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto ins = (*conn)->Exec(
      "INSERT INTO videos (id, user_id, filename, content_type, object_key) VALUES ($1, $2, $3, $4, $5)",
      {P(video_id), P(req.user_id), P(*filename), P(type.content_type), P(key)});
  if (!ins.ok()) return FromStatus(ins.status());
  return http::Json(201, {{"video_id", video_id},
                          {"upload_url", url->url},
                          {"method", "PUT"},
                          {"headers", {{"Content-Type", type.content_type}}},
                          {"content_type", type.content_type},
                          {"object_key", key},
                          {"expires_in", ctx.config.presign_ttl.count()},
                          {"max_bytes", ctx.config.max_video_bytes}});
}

http::Response ListVideos(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto page = PageParams(req, &err);
  if (!page) return err;
  auto conn = ctx.reader().Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto rows = (*conn)->Exec(std::string("SELECT ") + store::kVideoColumns +
                                ", count(*) OVER () FROM videos WHERE user_id = $1 AND status <> 'expired' "
                                "ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
                            {P(req.user_id), P(page->per_page), P(page->offset())});
  if (!rows.ok()) return FromStatus(rows.status());
  nlohmann::json items = nlohmann::json::array();
  std::int64_t total = 0;
  for (int i = 0; i < rows->size(); ++i) {
    items.push_back(store::VideoJson(store::ReadVideo(*rows, i)));
    total = rows->Int(i, 8);
  }
  return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, total)}});
}

http::Response ShowVideo(ApiContext& ctx, http::Request& req) {
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto v = OwnVideo(**conn, req.params["id"], req.user_id);
  if (!v.ok()) return FromStatus(v.status());
  if (!*v || (*v)->status == "expired") return NotFoundVideo();
  nlohmann::json j = store::VideoJson(**v);
  auto head = ctx.s3->HeadObject((*v)->object_key);
  if (head.ok()) {
    if ((*v)->status == "awaiting_upload") {
      (void)(*conn)->Exec("UPDATE videos SET status = 'uploaded', size_bytes = $2 WHERE id = $1 AND status = 'awaiting_upload'",
                          {P((*v)->id), P(static_cast<std::int64_t>(head->size))});
      j["status"] = "uploaded";
    }
    j["size_bytes"] = head->size;
    auto url = ctx.s3->PresignGet((*v)->object_key, ctx.config.presign_ttl, s3::Clock::now());
    if (!url.ok()) return FromStatus(url.status());
    j["playback_url"] = url->url;
    j["playback_expires_in"] = ctx.config.presign_ttl.count();
  } else if (head.status().kind() == ErrorKind::kNotFound) {
    j["playback_url"] = nullptr;
  } else {
    return FromStatus(head.status());
  }
  return http::Json(200, j);
}

http::Response SaveVideo(ApiContext& ctx, http::Request& req) {
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto v = OwnVideo(**conn, req.params["id"], req.user_id);
  if (!v.ok()) return FromStatus(v.status());
  if (!*v || (*v)->status == "expired") return NotFoundVideo();
  if ((*v)->status == "saved") return http::Json(200, store::VideoJson(**v));
  auto head = ctx.s3->HeadObject((*v)->object_key);
  if (!head.ok()) {
    if (head.status().kind() == ErrorKind::kNotFound)
      return http::Error(409, "video_not_uploaded", "The video has not been uploaded yet");
    return FromStatus(head.status());
  }
  std::string ext = domain::VideoTypeForFilename((*v)->object_key).extension;
  std::string saved = domain::SavedKey(req.user_id, (*v)->id, ext);
  if (Status s = ctx.s3->CopyObject((*v)->object_key, saved); !s.ok()) return FromStatus(s);
  auto upd = (*conn)->Exec(
      std::string("UPDATE videos SET status = 'saved', saved_at = now(), object_key = $2, size_bytes = $3 "
                  "WHERE id = $1 RETURNING ") + store::kVideoColumns,
      {P((*v)->id), P(saved), P(static_cast<std::int64_t>(head->size))});
  if (!upd.ok()) return FromStatus(upd.status());
  // The upload copy would expire anyway; removing it now keeps one copy.
  (void)ctx.s3->DeleteObject((*v)->object_key);
  return http::Json(200, store::VideoJson(store::ReadVideo(*upd, 0)));
}

http::Response DeleteVideo(ApiContext& ctx, http::Request& req) {
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto v = OwnVideo(**conn, req.params["id"], req.user_id);
  if (!v.ok()) return FromStatus(v.status());
  if (!*v) return NotFoundVideo();
  std::vector<std::string> keys = {(*v)->object_key, "thumbnails/" + (*v)->id + ".jpg"};
  auto failed = ctx.s3->DeleteObjects(keys);
  if (!failed.ok()) return FromStatus(failed.status());
  auto del = (*conn)->Exec("DELETE FROM videos WHERE id = $1 AND user_id = $2", {P((*v)->id), P(req.user_id)});
  if (!del.ok()) return FromStatus(del.status());
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void RegisterVideoRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/videos/upload-url", {.json_body = true}, [&ctx](http::Request& q) { return UploadUrl(ctx, q); });
  r.Add("GET", "/v1/videos", {}, [&ctx](http::Request& q) { return ListVideos(ctx, q); });
  r.Add("GET", "/v1/videos/{id}", {}, [&ctx](http::Request& q) { return ShowVideo(ctx, q); });
  r.Add("POST", "/v1/videos/{id}/save", {}, [&ctx](http::Request& q) { return SaveVideo(ctx, q); });
  r.Add("DELETE", "/v1/videos/{id}", {}, [&ctx](http::Request& q) { return DeleteVideo(ctx, q); });
}

}  // namespace ascension::api
