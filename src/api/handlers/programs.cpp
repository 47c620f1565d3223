// /v1/programs: training programs (F10) and their journal.
#include "api/handlers/handlers.hpp"
#include "api/training_views.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::api {
namespace {

http::Response NotFoundProgram() {
  return http::Error(404, "not_found", "Program not found");
}

// The texts' language: an explicit Accept-Language of fr or en, else the climber's choice, else
// DEFAULT_LANGUAGE.
domain::Language LanguageOf(ApiContext& ctx, const http::Request& q) {
  if (auto h = q.Header("accept-language")) {
    if (auto l = domain::ParseLanguage(Lowercase(h->substr(0, 2)))) return *l;
  }
  const auto caller = Caller(q);
  auto user = ctx.accounts->Profile(caller, caller.user_id);
  if (user.ok() && user->user.language) return *user->user.language;
  return ctx.default_language;
}

}  // namespace

void RegisterProgramRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("POST", "/v1/programs", {.json_body = true}, [&ctx](http::Request& q) {
    http::Response err;
    auto order = ReadProgramOrder(q.json, &err);
    if (!order) return err;
    auto p = ctx.programs->Create(Caller(q), *order);
    if (!p.ok()) return FromStatus(p.status());
    return http::Json(201, ProgramJson(*p, LanguageOf(ctx, q)));
  });
  r.Add("GET", "/v1/programs/current", {}, [&ctx](http::Request& q) {
    auto p = ctx.programs->Current(Caller(q));
    if (!p.ok()) return FromStatus(p.status());
    return http::Json(200, ProgramJson(*p, LanguageOf(ctx, q)));
  });
  r.Add("POST", "/v1/programs/{id}/sessions", {.json_body = true}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundProgram();
    http::Response err;
    auto entry = ReadSessionEntry(q.json, &err);
    if (!entry) return err;
    auto s = ctx.programs->LogSession(Caller(q), *id, *entry);
    if (!s.ok()) return FromStatus(s.status());
    return http::Json(201, LoggedSessionJson(*s));
  });
  r.Add("GET", "/v1/programs/{id}/sessions", {}, [&ctx](http::Request& q) {
    auto id = IdParam(q);
    if (!id) return NotFoundProgram();
    http::Response err;
    auto page = PageParams(q, &err);
    if (!page) return err;
    auto sessions = ctx.programs->Sessions(Caller(q), *id, *page);
    if (!sessions.ok()) return FromStatus(sessions.status());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& s : sessions->items) items.push_back(LoggedSessionJson(s));
    return http::Json(
        200, {{"items", std::move(items)}, {"pagination", PageJson(*page, sessions->total)}});
  });
}

}  // namespace ascension::api
