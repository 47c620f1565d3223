#include "api/handlers/handlers.hpp"

namespace ascension::api {
namespace {

using pg::P;

// Progress over time for the caller: analyses per ISO week (last 12 weeks, oldest first), average
// scores per week and overall, and the trend of each score = mean of the last 4 weeks minus the
// mean of the 4 weeks before (null when either window has no completed analysis).
http::Response Stats(ApiContext& ctx, http::Request& req) {
  auto conn = ctx.reader().Acquire();
  if (!conn.ok()) return FromStatus(conn.status());
  static const char* kScores[] = {"efficiency", "fluidity", "stability"};
  auto rows = (*conn)->Exec(
      "WITH weeks AS ("
      "  SELECT generate_series(date_trunc('week', now() AT TIME ZONE 'UTC') - interval '11 weeks',"
      "                         date_trunc('week', now() AT TIME ZONE 'UTC'), interval '1 week') AS week),"
      " a AS ("
      "  SELECT date_trunc('week', created_at AT TIME ZONE 'UTC') AS week, status,"
      "         (result_json::jsonb #>> '{biomechanics,summary,scores,efficiency}')::float8 AS efficiency,"
      "         (result_json::jsonb #>> '{biomechanics,summary,scores,fluidity}')::float8 AS fluidity,"
      "         (result_json::jsonb #>> '{biomechanics,summary,scores,stability}')::float8 AS stability"
      "  FROM analyses WHERE user_id = $1"
      "    AND created_at >= date_trunc('week', now() AT TIME ZONE 'UTC') - interval '11 weeks')"
      " SELECT to_char(w.week, 'YYYY-MM-DD'), count(a.status), count(a.status) FILTER (WHERE a.status = 'completed'),"
      "        avg(a.efficiency), avg(a.fluidity), avg(a.stability)"
      " FROM weeks w LEFT JOIN a ON a.week = w.week GROUP BY w.week ORDER BY w.week",
      {P(req.user_id)});
  if (!rows.ok()) return FromStatus(rows.status());
  nlohmann::json weeks = nlohmann::json::array();
  // Sums for the two 4-week windows and the whole period.
  double sum[3][3] = {};
  int n[3][3] = {};
  for (int i = 0; i < rows->size(); ++i) {
    nlohmann::json scores = nlohmann::json::object();
    for (int s = 0; s < 3; ++s) {
      if (rows->IsNull(i, 3 + s)) {
        scores[kScores[s]] = nullptr;
        continue;
      }
      double v = rows->Double(i, 3 + s);
      scores[kScores[s]] = std::round(v * 10) / 10;
      int window = i >= rows->size() - 4 ? 0 : (i >= rows->size() - 8 ? 1 : -1);
      if (window >= 0) {
        sum[window][s] += v;
        ++n[window][s];
      }
      sum[2][s] += v;
      ++n[2][s];
    }
    weeks.push_back({{"week_start", rows->Text(i, 0)},
                     {"analyses", rows->Int(i, 1)},
                     {"completed", rows->Int(i, 2)},
                     {"average_scores", scores}});
  }
  nlohmann::json average = nlohmann::json::object(), trend = nlohmann::json::object();
  for (int s = 0; s < 3; ++s) {
    average[kScores[s]] = n[2][s] ? nlohmann::json(std::round(sum[2][s] / n[2][s] * 10) / 10) : nlohmann::json(nullptr);
    trend[kScores[s]] = (n[0][s] && n[1][s])
                            ? nlohmann::json(std::round((sum[0][s] / n[0][s] - sum[1][s] / n[1][s]) * 10) / 10)
                            : nlohmann::json(nullptr);
  }
  auto totals = (*conn)->Exec(
      "SELECT count(*), count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed') "
      "FROM analyses WHERE user_id = $1",
      {P(req.user_id)});
  if (!totals.ok()) return FromStatus(totals.status());
  return http::Json(200, {{"weeks", weeks},
                          {"average_scores", average},
                          {"trend", trend},
                          {"totals", {{"analyses", totals->Int(0, 0)},
                                      {"completed", totals->Int(0, 1)},
                                      {"failed", totals->Int(0, 2)}}}});
}

}  // namespace

void RegisterStatsRoutes(http::Router& r, ApiContext& ctx) {
  r.Add("GET", "/v1/users/me/stats", {}, [&ctx](http::Request& q) { return Stats(ctx, q); });
}

}  // namespace ascension::api
