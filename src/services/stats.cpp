#include "services/stats.hpp"

#include "domain/rules.hpp"

namespace ascension::services {

Result<StatsPage> Stats::Of(const Principal& caller) {
  auto outcomes = history_.Outcomes(caller.user_id);
  if (!outcomes.ok()) return outcomes.status();
  const training::Date today = std::chrono::floor<std::chrono::days>(clock_.Now());
  std::vector<training::ScoredAnalysis> scored;
  StatsPage page;
  for (const ports::AnalysisOutcome& o : *outcomes) {
    ++page.analyses;
    if (o.status == domain::kCompleted) {
      ++page.completed;
      scored.push_back(o.scores);
    } else if (o.status == domain::kFailed) {
      ++page.failed;
    }
  }
  page.progress = training::ComputeProgress(scored, today);
  const training::Date first = page.progress.weeks.front().week_start;
  page.counts.resize(page.progress.weeks.size());
  for (const ports::AnalysisOutcome& o : *outcomes) {
    const training::Date day = std::chrono::floor<std::chrono::days>(o.created_at);
    if (day < first || day > today) continue;
    const auto w = static_cast<std::size_t>((training::WeekStart(day) - first).count() / 7);
    if (w >= page.counts.size()) continue;
    ++page.counts[w].analyses;
    if (o.status == domain::kCompleted) ++page.counts[w].completed;
  }
  return page;
}

}  // namespace ascension::services
