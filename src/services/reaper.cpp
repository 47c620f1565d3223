#include "services/reaper.hpp"

#include "domain/failure.hpp"
#include "services/analyses.hpp"

namespace ascension::services {

Reaper::Reaper(ports::AnalysisRepository& analyses, const ports::Clock& clock,
               ReaperOptions options)
    : analyses_(analyses), clock_(clock), options_(std::move(options)) {}

Result<ReapReport> Reaper::RunOnce() {
  return Pass(options_.stuck_timeout, options_.pending_timeout, /*dry_run=*/false);
}

Result<ReapReport> Reaper::RequeueNow(std::chrono::seconds older_than, bool dry_run) {
  return Pass(options_.stuck_timeout, older_than, dry_run);
}

Result<ReapReport> Reaper::Pass(std::chrono::seconds stuck_after, std::chrono::seconds lost_after,
                                bool dry_run) {
  domain::Time now = clock_.Now();
  ReapReport report;
  auto stuck = analyses_.ReapStuck(
      now - stuck_after,
      [&](const domain::Analysis& a, const std::string& key) -> ports::StuckDecision {
        if (a.requeues >= options_.max_requeues) {
          auto code = domain::FailureCode::kProcessingTimeout;
          return ports::GiveUp{std::string(domain::FailureName(code)),
                               std::string(domain::UserMessage(code, a.language))};
        }
        return ports::Requeue{JobFor(a, options_.bucket, key, a.dispatch + 1, a.attempts + 1)};
      },
      dry_run);
  if (!stuck.ok()) return stuck.status();
  report.requeued_stuck = stuck->requeued;
  report.failed_stuck = stuck->failed;
  auto lost = analyses_.RequeueLost(
      now - lost_after,
      [&](const domain::Analysis& a, const std::string& key) {
        return JobFor(a, options_.bucket, key, a.dispatch + 1, a.attempts + 1);
      },
      dry_run);
  if (!lost.ok()) return lost.status();
  report.requeued_lost = *lost;
  return report;
}

}  // namespace ascension::services
