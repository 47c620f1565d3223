#include "store/records.hpp"

#include "domain/rules.hpp"

namespace ascension::store {

std::string Ts(std::string_view c) {
  return "to_char(" + std::string(c) + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

const char* const kUserColumns =
    "id, username, email, password_hash, role, subscription_tier, language, ghost_mode, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

const char* const kVideoColumns =
    "id, user_id, filename, content_type, object_key, status, size_bytes, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

#define ASC_ANALYSIS_COLUMNS                                                                   \
  "id, user_id, video_id, job_id, status, progress, coalesce(stage, ''), model, language, "    \
  "hints, error_code, error_message, processing_time_ms, attempts, requeues, priority, "       \
  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "            \
  "to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

const char* const kAnalysisColumns = ASC_ANALYSIS_COLUMNS;
const char* const kAnalysisColumnsFull = ASC_ANALYSIS_COLUMNS ", result_json";

User ReadUser(const pg::Rows& r, int i) {
  return User{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4),
              r.Text(i, 5), r.Text(i, 6), r.Bool(i, 7), r.Text(i, 8)};
}

Video ReadVideo(const pg::Rows& r, int i) {
  Video v{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4), r.Text(i, 5),
          std::nullopt, r.Text(i, 7)};
  if (!r.IsNull(i, 6)) v.size_bytes = r.Int(i, 6);
  return v;
}

Analysis ReadAnalysis(const pg::Rows& r, int i) {
  Analysis a;
  a.id = r.Text(i, 0);
  a.user_id = r.Text(i, 1);
  a.video_id = r.Text(i, 2);
  a.job_id = r.Text(i, 3);
  a.status = r.Text(i, 4);
  a.progress = static_cast<int>(r.Int(i, 5));
  a.stage = r.Text(i, 6);
  a.model = r.Text(i, 7);
  a.language = r.Text(i, 8);
  a.hints = r.OptText(i, 9);
  a.error_code = r.OptText(i, 10);
  a.error_message = r.OptText(i, 11);
  if (!r.IsNull(i, 12)) a.processing_time_ms = r.Int(i, 12);
  a.attempts = static_cast<int>(r.Int(i, 13));
  a.requeues = static_cast<int>(r.Int(i, 14));
  a.priority = static_cast<int>(r.Int(i, 15));
  a.created_at = r.Text(i, 16);
  a.completed_at = r.OptText(i, 17);
  if (r.Column("result_json") >= 0) a.result_json = r.OptText(i, r.Column("result_json"));
  return a;
}

nlohmann::json UserJson(const User& u, std::optional<int> quota_used) {
  nlohmann::json j = {{"id", u.id},
                      {"username", u.username},
                      {"email", u.email},
                      {"role", u.role},
                      {"subscription_tier", u.tier},
                      {"language", u.language},
                      {"ghost_mode", u.ghost_mode},
                      {"monthly_quota", domain::MonthlyQuota(u.tier)},
                      {"created_at", u.created_at}};
  if (quota_used) j["quota_used"] = *quota_used;
  return j;
}

nlohmann::json VideoJson(const Video& v) {
  return {{"id", v.id},
          {"video_id", v.id},
          {"filename", v.filename},
          {"content_type", v.content_type},
          {"status", v.status},
          {"size_bytes", v.size_bytes ? nlohmann::json(*v.size_bytes) : nlohmann::json(nullptr)},
          {"saved", v.status == "saved"},
          {"created_at", v.created_at}};
}

nlohmann::json AnalysisJson(const Analysis& a) {
  auto opt = [](const auto& o) { return o ? nlohmann::json(*o) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"id", a.id},
                      {"video_id", a.video_id},
                      {"job_id", a.job_id},
                      {"status", a.status},
                      {"progress", a.status == domain::kGeneratingHints ? 99 : a.progress},
                      {"stage", a.stage},
                      {"model", a.model},
                      {"result_json", opt(a.result_json)},
                      {"hints", opt(a.hints)},
                      {"processing_time_ms", opt(a.processing_time_ms)},
                      {"created_at", a.created_at},
                      {"completed_at", opt(a.completed_at)}};
  if (a.error_code) j["error"] = {{"code", *a.error_code}, {"message", a.error_message.value_or("")}};
  return j;
}

}  // namespace ascension::store
