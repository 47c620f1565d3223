#include "store/score_history.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "domain/rules.hpp"
#include "store/sql.hpp"

namespace ascension::store {
namespace {

using store::P;

// A score of the stored section: a finite number in 0..100, else unset (a result written by an
// older worker, or by hand, does not make the page fail).
std::optional<double> Score(const nlohmann::json& scores, std::string_view name) {
  auto it = scores.find(name);
  if (it == scores.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < 0 || v > 100) return std::nullopt;
  return v;
}

}  // namespace

Result<std::vector<ports::AnalysisOutcome>> PgScoreHistory::Outcomes(const domain::Uuid& user_id) {
  auto conn = db_.Acquire();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->Exec("SELECT id, status, scores::text AS scores, " +
                                Millis("created_at", "created_at") +
                                " FROM analyses WHERE user_id = $1 ORDER BY created_at, id",
                            {P(user_id)});
  if (!rows.ok()) return rows.status();
  std::vector<ports::AnalysisOutcome> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    pg::Row r(*rows, i, "analyses");
    ports::AnalysisOutcome o;
    o.scores.analysis_id = ReadUuid(r, "id").str();
    o.status = r.Text("status");
    o.created_at = ReadTime(r, "created_at");
    const auto scores = r.OptText("scores");
    if (!r.ok()) return r.status();
    if (!domain::IsAnalysisStatus(o.status)) r.Reject("status", "is not an analysis state");
    o.scores.date = std::chrono::floor<std::chrono::days>(o.created_at);
    if (scores && o.status == domain::kCompleted) {
      const auto j = nlohmann::json::parse(*scores, nullptr, false);
      if (!j.is_object()) {
        r.Reject("scores", "is not an object");
      } else {
        o.scores.global = Score(j, "global");
        for (domain::Indicator ind : domain::kIndicators) {
          o.scores.indicators.Set(ind, Score(j, domain::IndicatorName(ind)));
        }
      }
    }
    if (!r.ok()) return r.status();
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace ascension::store
