#include "api/views.hpp"

#include "domain/rules.hpp"

namespace ascension::api {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json UserJson(const domain::User& u, domain::Language default_language,
                        std::optional<int> quota_used) {
  nlohmann::json j = {{"id", u.id.str()},
                      {"username", u.username},
                      {"email", u.email},
                      {"role", u.role},
                      {"subscription_tier", u.subscription_tier},
                      {"language", domain::LanguageCode(u.language.value_or(default_language))},
                      {"ghost_mode", u.ghost_mode},
                      {"monthly_quota", domain::MonthlyQuota(u.subscription_tier)},
                      {"created_at", domain::FormatTime(u.created_at)}};
  if (quota_used) j["quota_used"] = *quota_used;
  return j;
}

nlohmann::json SessionJson(const services::Session& s, domain::Language default_language) {
  return {{"access_token", s.access_token}, {"refresh_token", s.refresh_token},
          {"token_type", "Bearer"},         {"expires_in", s.expires_in.count()},
          {"user_id", s.user.id.str()},     {"user", UserJson(s.user, default_language)}};
}

nlohmann::json VideoJson(const domain::Video& v) {
  return {{"id", v.id.str()},
          {"video_id", v.id.str()},
          {"filename", v.filename},
          {"content_type", v.content_type},
          {"status", v.status},
          {"size_bytes", OrNull(v.size_bytes)},
          {"saved", v.status == domain::kSaved},
          {"created_at", domain::FormatTime(v.created_at)}};
}

nlohmann::json UploadTicketJson(const services::UploadTicket& t, std::chrono::seconds ttl,
                                std::int64_t max_bytes) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : t.url.headers) headers[name] = value;
  return {{"video_id", t.video.id.str()},
          {"upload_url", t.url.url},
          {"method", "PUT"},
          {"headers", headers},
          {"content_type", t.video.content_type},
          {"object_key", t.video.object_key},
          {"expires_in", ttl.count()},
          {"max_bytes", max_bytes}};
}

nlohmann::json PlaybackJson(const services::Playback& p, std::chrono::seconds ttl) {
  nlohmann::json j = VideoJson(p.video);
  if (p.url) {
    j["playback_url"] = p.url->url;
    j["playback_expires_in"] = ttl.count();
  } else {
    j["playback_url"] = nullptr;
  }
  return j;
}

nlohmann::json AnalysisJson(const domain::Analysis& a) {
  std::optional<std::string> completed;
  if (a.completed_at) completed = domain::FormatTime(*a.completed_at);
  nlohmann::json j = {{"id", a.id.str()},
                      {"video_id", a.video_id.str()},
                      {"job_id", a.job_id.str()},
                      {"status", a.status},
                      {"progress", a.status == "generating_hints" ? 99 : a.progress},
                      {"stage", a.stage},
                      {"model", a.model},
                      {"route_id", a.route_id ? nlohmann::json(a.route_id->str()) : nlohmann::json()},
                      {"result_json", OrNull(a.result_json)},
                      {"hints", OrNull(a.hints)},
                      {"processing_time_ms", OrNull(a.processing_time_ms)},
                      {"created_at", domain::FormatTime(a.created_at)},
                      {"completed_at", OrNull(completed)}};
  if (a.error_code)
    j["error"] = {{"code", *a.error_code}, {"message", a.error_message.value_or("")}};
  return j;
}

}  // namespace ascension::api
