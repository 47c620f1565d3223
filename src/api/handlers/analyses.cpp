// /v1/analyses*: start one, read one (the app's shape), its result document (ETag, gzip), the
// history and deletion.
#include "api/handlers/handlers.hpp"
#include "api/handlers/web.hpp"
#include "api/respond.hpp"
#include "api/views.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::api {
namespace {

http::Response NotFoundAnalysis() { return http::Error(404, "not_found", "Analysis not found"); }

// An explicit Accept-Language of en or fr (its first tag); nullopt otherwise.
std::optional<domain::Language> AcceptLanguage(const http::Request& req) {
  auto h = req.Header("accept-language");
  if (!h) return std::nullopt;
  return domain::ParseLanguage(Lowercase(h->substr(0, 2)));
}

http::Response Start(ApiContext& ctx, http::Request& req) {
  Fields f(req.json);
  auto video_id = f.String("video_id", true);
  auto model = f.String("model");
  auto route_id = f.String("route_id");
  if (!f.ok()) return f.error();
  auto video = domain::Uuid::Parse(*video_id);
  if (!video) return http::Error(404, "not_found", "Video not found");
  std::optional<domain::Uuid> route;
  if (route_id) {
    route = domain::Uuid::Parse(*route_id);
    if (!route) return http::Error(404, "route_not_found", "Route not found");
  }
  auto a = ctx.analyses->Start(Caller(req),
                               {*video, model.value_or("heavy"), AcceptLanguage(req), route});
  if (!a.ok()) return FromStatus(a.status());
  ctx.metrics.analyses_started().Increment();
  return http::Json(202, {{"analysis_id", a->id.str()},
                          {"id", a->id.str()},
                          {"job_id", a->job_id.str()},
                          {"video_id", a->video_id.str()},
                          {"status", "pending"},
                          {"model", a->model},
                          {"route_id", a->route_id ? nlohmann::json(a->route_id->str())
                                                   : nlohmann::json(nullptr)}});
}

// The result document with the ETag and gzip copy stored beside it when it was stored
// (migration 0042): nothing is hashed or compressed per request.
http::Response Result(ApiContext& ctx, http::Request& req) {
  auto id = IdParam(req);
  if (!id) return NotFoundAnalysis();
  auto ae = req.Header("accept-encoding");
  const bool gzip = ae && AcceptsGzip(*ae);  // "gzip;q=0" refuses it
  std::optional<std::string> inm;
  if (auto h = req.Header("if-none-match")) inm = std::string(*h);
  auto doc = ctx.analyses->ServeResult(Caller(req), *id, gzip, inm);
  if (!doc.ok()) return FromStatus(doc.status());
  http::Response res;
  if (doc->not_modified) {
    res.status = 304;
    return res.With("ETag", *doc->etag);
  }
  res.With("ETag", *doc->etag)
      .With("Cache-Control", "private, max-age=0, must-revalidate")
      .With("Vary", "Accept-Encoding");
  res.body = std::move(doc->body);
  if (doc->gzip) res.With("Content-Encoding", "gzip");
  return res;
}

// One analysis in the app's shape. Its result document (several MB for a long climb) is written
// into the body once, escaped as it is copied (http::AppendJsonString), rather than copied into a
// json value and then dumped from it: "result_json" comes last in the object.
http::Response ShowAnalysis(domain::Analysis a) {
  std::optional<std::string> result = std::move(a.result_json);
  a.result_json.reset();
  nlohmann::json j = AnalysisJson(a);
  if (!result) return http::Json(200, j);
  j.erase("result_json");
  http::Response res;
  res.status = 200;
  res.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.body.reserve(res.body.size() + result->size() + result->size() / 8 + 32);
  res.body.pop_back();  // the object's closing brace
  res.body.append(res.body.size() > 1 ? ",\"result_json\":" : "\"result_json\":");
  http::AppendJsonString(&res.body, *result);
  res.body.push_back('}');
  return res;
}

http::Response List(ApiContext& ctx, http::Request& req) {
  http::Response err;
  auto page = PageParams(req, &err);
  if (!page) return err;
  std::optional<std::string> status;
  if (auto it = req.query.find("status"); it != req.query.end() && !it->second.empty()) status = it->second;
  auto analyses = ctx.analyses->List(Caller(req), status, *page);
  if (!analyses.ok()) return FromStatus(analyses.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : analyses->items) {
    auto j = AnalysisJson(a);
    j.erase("result_json");  // history stays light; fetch one analysis for its result
    items.push_back(std::move(j));
  }
  return http::Json(200, {{"items", items}, {"pagination", PageJson(*page, analyses->total)}});
}

}  // namespace

void RegisterAnalysisRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/analyses", {.json_body = true}, [&ctx](http::Request& q) { return Start(ctx, q); });
  r.Add("GET", "/v1/analyses", {}, [&ctx](http::Request& q) { return List(ctx, q); });
  r.Add("GET", "/v1/analyses/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundAnalysis();
    auto a = ctx.analyses->Show(Caller(q), *id);
    if (!a.ok()) return FromStatus(a.status());
    return ShowAnalysis(std::move(*a));
  });
  r.Add("GET", "/v1/analyses/{id}/result", {}, [&ctx](http::Request& q) { return Result(ctx, q); });
  r.Add("DELETE", "/v1/analyses/{id}", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundAnalysis();
    Status s = ctx.analyses->Delete(Caller(q), *id);
    return s.ok() ? NoContent() : FromStatus(s);
  });
}

}  // namespace ascension::api
