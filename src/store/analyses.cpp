#include "store/analyses.hpp"

#include "adapters/amqp/topology.hpp"
#include "common/crypto.hpp"
#include "domain/rules.hpp"

namespace ascension::store {

using pg::P;

std::string JobMessage(const Analysis& a, const std::string& video_url, int attempt) {
  return nlohmann::json{{"job_id", a.job_id},     {"analysis_id", a.id}, {"user_id", a.user_id},
                        {"video_url", video_url}, {"model", a.model},    {"language", a.language},
                        {"attempt", attempt},     {"created_at", a.created_at}}
      .dump();
}

Result<int> QuotaUsed(pg::Connection& c, const std::string& user_id) {
  auto r = c.Exec(
      "SELECT count(*) FROM analyses WHERE user_id = $1 AND status <> 'failed' "
      "AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
      {P(user_id)});
  if (!r.ok()) return r.status();
  return static_cast<int>(r->Int(0, 0));
}

Result<Analysis> CreateAnalysis(pg::Connection& c, const NewAnalysis& n) {
  pg::Transaction tx(c);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto user = tx.Exec("SELECT subscription_tier FROM users WHERE id = $1 FOR UPDATE", {P(n.user_id)});
  if (!user.ok()) return user.status();
  if (user->empty()) return NotFound("user not found");
  std::string tier = user->Text(0, 0);
  auto used = QuotaUsed(c, n.user_id);
  if (!used.ok()) return used.status();
  int quota = domain::MonthlyQuota(tier);
  if (*used >= quota) {
    return ResourceExhausted("Monthly analysis quota reached (" + std::to_string(quota) + " for the " +
                             tier + " plan)");
  }
  std::string id = NewUuid();
  std::string job_id = NewUuid();
  int priority = domain::JobPriority(tier);
  auto ins = tx.Exec(std::string("INSERT INTO analyses (id, user_id, video_id, job_id, model, language, priority) "
                                 "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ") + kAnalysisColumns,
                     {P(id), P(n.user_id), P(n.video_id), P(job_id), P(n.model), P(n.language), P(priority)});
  if (!ins.ok()) return ins.status();
  Analysis a = ReadAnalysis(*ins, 0);
  auto out = tx.Exec(
      "INSERT INTO outbox (user_id, exchange, routing_key, body, priority) VALUES ($1, '', $2, $3, $4)",
      {P(n.user_id), P(std::string(amqp::topology::kJobQueue)), P(JobMessage(a, n.video_url, 1)), P(priority)});
  if (!out.ok()) return out.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return a;
}

Result<std::optional<Analysis>> StartProcessing(pg::Connection& c, const std::string& id) {
  auto r = c.Exec(std::string("UPDATE analyses SET status = 'processing', progress = 0, stage = 'starting', "
                              "attempts = attempts + 1, started_at = now(), updated_at = now() "
                              "WHERE id = $1 AND status IN ('pending', 'processing', 'generating_hints') "
                              "RETURNING ") + kAnalysisColumns,
                  {P(id)});
  if (!r.ok()) return r.status();
  if (r->empty()) return std::optional<Analysis>();
  return std::optional<Analysis>(ReadAnalysis(*r, 0));
}

Status UpdateProgress(pg::Connection& c, const std::string& id, int progress, const std::string& stage) {
  std::string status = stage == "generating_hints" ? "generating_hints" : "processing";
  return c.Exec("UPDATE analyses SET progress = $2, stage = $3, status = $4, updated_at = now() "
                "WHERE id = $1 AND status IN ('processing', 'generating_hints')",
                {P(id), P(progress), P(stage), P(status)})
      .status();
}

Status Complete(pg::Connection& c, const std::string& id, const std::string& result_json,
                const std::string& hints, std::int64_t ms) {
  return c.Exec("UPDATE analyses SET status = 'completed', progress = 100, stage = 'completed', "
                "result_json = $2, hints = $3, processing_time_ms = $4, error_code = NULL, "
                "error_message = NULL, completed_at = now(), updated_at = now() "
                "WHERE id = $1 AND status <> 'completed'",
                {P(id), P(result_json), P(hints), P(ms)})
      .status();
}

Status Fail(pg::Connection& c, const std::string& id, const std::string& code, const std::string& message) {
  return c.Exec("UPDATE analyses SET status = 'failed', stage = 'failed', error_code = $2, "
                "error_message = $3, completed_at = now(), updated_at = now() "
                "WHERE id = $1 AND status <> 'completed'",
                {P(id), P(code), P(message)})
      .status();
}

Result<int> RequeueStuck(pg::Connection& c, std::chrono::seconds timeout, int max_requeues,
                         const std::string& bucket) {
  pg::Transaction tx(c);
  if (!tx.begin_status().ok()) return tx.begin_status();
  std::string secs = std::to_string(timeout.count());
  auto failed = tx.Exec(
      "UPDATE analyses SET status = 'failed', stage = 'failed', error_code = 'processing_timeout', "
      "error_message = 'The analysis did not finish in time, please try again', "
      "completed_at = now(), updated_at = now() "
      "WHERE status IN ('processing', 'generating_hints') "
      "AND updated_at < now() - make_interval(secs => $1) AND requeues >= $2",
      {P(secs), P(max_requeues)});
  if (!failed.ok()) return failed.status();
  auto stuck = tx.Exec(
      std::string("UPDATE analyses a SET status = 'pending', stage = 'requeued', requeues = requeues + 1, "
                  "updated_at = now() FROM videos v WHERE v.id = a.video_id "
                  "AND a.status IN ('processing', 'generating_hints') "
                  "AND a.updated_at < now() - make_interval(secs => $1) AND a.requeues < $2 "
                  "RETURNING a.id, a.user_id, a.video_id, a.job_id, a.status, a.progress, coalesce(a.stage, ''), "
                  "a.model, a.language, a.hints, a.error_code, a.error_message, a.processing_time_ms, "
                  "a.attempts, a.requeues, a.priority, ") +
          Ts("a.created_at") + ", " + Ts("a.completed_at") + ", v.object_key",
      {P(secs), P(max_requeues)});
  if (!stuck.ok()) return stuck.status();
  for (int i = 0; i < stuck->size(); ++i) {
    Analysis a = ReadAnalysis(*stuck, i);
    std::string url = "s3://" + bucket + "/" + stuck->Text(i, 18);
    auto out = tx.Exec(
        "INSERT INTO outbox (user_id, exchange, routing_key, body, priority) VALUES ($1, '', $2, $3, $4)",
        {P(a.user_id), P(std::string(amqp::topology::kJobQueue)), P(JobMessage(a, url, a.attempts + 1)),
         P(a.priority)});
    if (!out.ok()) return out.status();
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return stuck->size();
}

}  // namespace ascension::store
