// /v1/videos*: presigned upload URLs, listing, playback, saving, deletion.
#include "api/handlers/handlers.hpp"
#include "api/respond.hpp"
#include "api/views.hpp"

namespace ascension::api {
namespace {

http::Response NotFoundVideo() {
  return http::Error(404, "not_found", "Video not found");
}

http::Response UploadUrl(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto filename = f.String("filename", true);
  auto user_id = f.String("user_id");
  if (!f.ok()) return f.error();
  std::optional<std::int64_t> size;
  if (auto it = req.json.find("size_bytes"); it != req.json.end() && !it->is_null()) {
    // Integers only (JSON numbers that are whole and fit in 63 bits).
    if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<std::uint64_t>() > (1ull << 62)))
      return http::Error(422, "validation_failed", "size_bytes must be a positive integer");
    size = it->get<std::int64_t>();
  }
  auto ticket = ctx.videos->RequestUpload(Caller(req), *filename, user_id, size);
  if (!ticket.ok()) return FromStatus(ticket.status());
  nlohmann::json body =
      UploadTicketJson(*ticket, ctx.videos->presign_ttl(), ctx.config.max_video_bytes);
  // The worker's duration limit, for the checks a client makes before uploading.
  body["max_seconds"] = ctx.config.max_video_seconds;
  return http::Json(201, body);
}

}  // namespace

void RegisterVideoRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/videos/upload-url", {.json_body = true},
        [&ctx](http::Request& q) { return UploadUrl(ctx, q); });
  r.Add("GET", "/v1/videos", {}, [&ctx](http::Request& q) {
    http::Response err;
    auto page = PageParams(q, &err);
    if (!page) return err;
    auto videos = ctx.videos->List(Caller(q), *page);
    if (!videos.ok()) return FromStatus(videos.status());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& v : videos->items) items.push_back(VideoJson(v));
    return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, videos->total)}});
  });
  r.Add("GET", "/v1/videos/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundVideo();
    auto playback = ctx.videos->Show(Caller(q), *id);
    if (!playback.ok()) return FromStatus(playback.status());
    return http::Json(200, PlaybackJson(*playback, ctx.videos->presign_ttl()));
  });
  r.Add("POST", "/v1/videos/{id}/save", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundVideo();
    auto saved = ctx.videos->Save(Caller(q), *id);
    if (!saved.ok()) return FromStatus(saved.status());
    return http::Json(200, VideoJson(*saved));
  });
  r.Add("DELETE", "/v1/videos/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundVideo();
    Status s = ctx.videos->Delete(Caller(q), *id);
    return s.ok() ? NoContent() : FromStatus(s);
  });
}

}  // namespace ascension::api
