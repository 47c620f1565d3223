#include <zlib.h>

#include "api/handlers/handlers.hpp"
#include "api/respond.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"
#include "domain/rules.hpp"
#include "store/analyses.hpp"
#include "store/records.hpp"

namespace ascension::api {
namespace {

using pg::P;

http::Response NotFoundAnalysis() { return http::Error(404, "not_found", "Analysis not found"); }

std::optional<std::string> Gzip(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

// The language for hints: an explicit Accept-Language of en or fr, else the profile's.
std::string PickLanguage(const http::Request& req, const std::string& profile) {
  if (auto h = req.Header("accept-language")) {
    std::string v = domain::Lowercase(h->substr(0, 2));
    if (domain::IsLanguage(v)) return v;
  }
  return profile;
}

http::Response StartAnalysis(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto video_id = f.String("video_id", true);
  auto m = f.String("model");
  if (!f.ok()) return f.error();
  std::string model = "heavy";
  if (m) {
    if (*m != "lite" && *m != "full" && *m != "heavy")
      return http::Error(422, "validation_failed", "model must be lite, full or heavy");
    model = *m;
  }
  if (!IsUuid(*video_id)) return http::Error(404, "not_found", "Video not found");

  std::string key, status, profile_lang;
  {
    auto conn = ctx.db->Acquire();
    if (!conn.ok()) return FromStatus(conn.status());
    auto v = (*conn)->Exec(
        "SELECT v.object_key, v.status, u.language FROM videos v JOIN users u ON u.id = v.user_id "
        "WHERE v.id = $1 AND v.user_id = $2",
        {P(*video_id), P(req.user_id)});
    if (!v.ok()) return FromStatus(v.status());
    if (v->empty()) return http::Error(404, "not_found", "Video not found");
    key = v->Text(0, 0);
    status = v->Text(0, 1);
    profile_lang = v->IsNull(0, 2) ? std::string(domain::LanguageCode(ctx.default_language)) : v->Text(0, 2);
  }
  if (status == "expired") return http::Error(409, "video_expired", "The video has expired, please upload it again");
  auto head = ctx.s3->HeadObject(key);
  if (!head.ok()) {
    if (head.status().kind() == ErrorKind::kNotFound)
      return http::Error(409, "video_not_uploaded", "The video has not been uploaded yet");
    return FromStatus(head.status());
  }
  if (!head->directives.empty()) {
    // Tags, metadata, a redirect... that the upload URL did not sign: the object is not used.
    log::Warn("upload carried unsigned directives", {{"key", key}, {"directive", head->directives.front()},
                                                      {"user_id", req.user_id}, {"request_id", req.request_id}});
    (void)ctx.s3->DeleteObject(key);
    return http::Error(422, "upload_rejected", "The upload carried storage directives it was not given; upload the video again");
  }
  if (head->size == 0) return http::Error(422, "video_empty", "The uploaded video is empty");
  if (static_cast<std::int64_t>(head->size) > ctx.config.max_video_bytes) {
    return http::Error(413, "video_too_large",
                       "The video is larger than the limit of " +
                           std::to_string(ctx.config.max_video_bytes / (1024 * 1024)) + " MB");
  }
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  if (status == "awaiting_upload") {
    (void)(*conn)->Exec("UPDATE videos SET status = 'uploaded', size_bytes = $2 WHERE id = $1 AND status = 'awaiting_upload'",
                        {P(*video_id), P(static_cast<std::int64_t>(head->size))});
  }
  store::NewAnalysis n{req.user_id, *video_id, model, PickLanguage(req, profile_lang),
                       "s3://" + ctx.config.common.s3_bucket + "/" + key};
  auto a = store::CreateAnalysis(**conn, n);
  if (!a.ok()) {
    if (a.status().kind() == ErrorKind::kResourceExhausted)
      return http::Error(403, "quota_exceeded", a.status().message());
    return FromStatus(a.status());
  }
  log::Info("analysis requested", {{"analysis_id", a->id}, {"job_id", a->job_id},
                                   {"user_id", req.user_id}, {"request_id", req.request_id}});
  return http::Json(202, {{"analysis_id", a->id}, {"id", a->id}, {"job_id", a->job_id},
                          {"video_id", a->video_id}, {"status", "pending"}, {"model", a->model}});
}

Result<std::optional<store::Analysis>> OwnAnalysis(pg::Connection& c, const std::string& id,
                                                   const std::string& user, bool full) {
  if (!IsUuid(id)) return std::optional<store::Analysis>();
  auto r = c.Exec(std::string("SELECT ") + (full ? store::kAnalysisColumnsFull : store::kAnalysisColumns) +
                      " FROM analyses WHERE id = $1 AND user_id = $2",
                  {P(id), P(user)});
  if (!r.ok()) return r.status();
  if (r->empty()) return std::optional<store::Analysis>();
  return std::optional<store::Analysis>(store::ReadAnalysis(*r, 0));
}

http::Response ShowAnalysis(ApiContext& ctx, http::Request& req) {
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto a = OwnAnalysis(**conn, req.params["id"], req.user_id, true);
  if (!a.ok()) return FromStatus(a.status());
  if (!*a) return NotFoundAnalysis();
  return http::Json(200, store::AnalysisJson(**a));
}

http::Response AnalysisResult(ApiContext& ctx, http::Request& req) {
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto a = OwnAnalysis(**conn, req.params["id"], req.user_id, true);
  if (!a.ok()) return FromStatus(a.status());
  if (!*a) return NotFoundAnalysis();
  if ((*a)->status != domain::kCompleted || !(*a)->result_json)
    return http::Error(409, "result_not_ready", "The analysis has no result yet (status " + (*a)->status + ")");
  std::string etag = "\"" + HexEncode(Sha256(*(*a)->result_json)).substr(0, 32) + "\"";
  if (auto inm = req.Header("if-none-match"); inm && *inm == etag) {
    http::Response res;
    res.status = 304;
    return res.With("ETag", etag);
  }
  http::Response res;
  res.status = 200;
  res.With("ETag", etag).With("Cache-Control", "private, max-age=0, must-revalidate").With("Vary", "Accept-Encoding");
  auto ae = req.Header("accept-encoding");
  if (ae && ae->find("gzip") != std::string_view::npos) {
    if (auto z = Gzip(*(*a)->result_json)) {
      res.body = std::move(*z);
      return res.With("Content-Encoding", "gzip");
    }
  }
  res.body = std::move(*(*a)->result_json);
  return res;
}

http::Response ListAnalyses(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto page = PageParams(req, &err);
  if (!page) return err;
  std::string status = req.query.count("status") ? req.query["status"] : "";
  if (!status.empty() && !domain::IsAnalysisStatus(status))
    return http::Error(422, "validation_failed", "status has an unknown value");
  auto conn = ctx.reader().Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto rows = (*conn)->Exec(std::string("SELECT ") + store::kAnalysisColumns +
                                ", count(*) OVER () FROM analyses WHERE user_id = $1 AND ($2 = '' OR status = $2) "
                                "ORDER BY created_at DESC, id LIMIT $3 OFFSET $4",
                            {P(req.user_id), P(status), P(page->per_page), P(page->offset())});
  if (!rows.ok()) return FromStatus(rows.status());
  nlohmann::json items = nlohmann::json::array();
  std::int64_t total = 0;
  for (int i = 0; i < rows->size(); ++i) {
    auto j = store::AnalysisJson(store::ReadAnalysis(*rows, i));
    j.erase("result_json");  // history stays light; fetch one analysis for its result
    items.push_back(std::move(j));
    total = rows->Int(i, 18);
  }
  return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, total)}});
}

http::Response DeleteAnalysis(ApiContext& ctx, http::Request& req) {
  if (!IsUuid(req.params["id"])) return NotFoundAnalysis();
  auto conn = ctx.db->Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  auto r = (*conn)->Exec("DELETE FROM analyses WHERE id = $1 AND user_id = $2", {P(req.params["id"]), P(req.user_id)});
  if (!r.ok()) return FromStatus(r.status());
  if (r->affected() == 0) return NotFoundAnalysis();
  http::Response res;
  res.status = 204;
  return res;
}

}  // namespace

void RegisterAnalysisRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/analyses", {.json_body = true}, [&ctx](http::Request& q) { return StartAnalysis(ctx, q); });
  r.Add("GET", "/v1/analyses", {}, [&ctx](http::Request& q) { return ListAnalyses(ctx, q); });
  r.Add("GET", "/v1/analyses/{id}", {}, [&ctx](http::Request& q) { return ShowAnalysis(ctx, q); });
  r.Add("GET", "/v1/analyses/{id}/result", {}, [&ctx](http::Request& q) { return AnalysisResult(ctx, q); });
  r.Add("DELETE", "/v1/analyses/{id}", {}, [&ctx](http::Request& q) { return DeleteAnalysis(ctx, q); });
}

}  // namespace ascension::api
