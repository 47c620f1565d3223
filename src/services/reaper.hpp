// The reaper: recovers analyses whose job was lost.
//  - Stuck: in processing (or generating_hints) with no progress for `stuck_timeout` (a worker
//    died or hung): back to pending through the outbox, at most `max_requeues` times, then
//    failed with processing_timeout.
//  - Lost: pending, and every job message of it handed to the broker more than
//    `pending_timeout` ago (the broker lost its data): re-published through the outbox.
// Each re-queue increments the analysis's dispatch number and the new message carries it, so a
// surviving older copy is skipped by the worker: the analysis is processed once.
#pragma once

#include <chrono>
#include <string>

#include "ports/analysis_repository.hpp"
#include "ports/clock.hpp"

namespace ascension::services {

struct ReaperOptions {
  std::chrono::seconds stuck_timeout{15 * 60};
  int max_requeues = 3;
  std::chrono::seconds pending_timeout{30 * 60};
  std::string bucket;
};

struct ReapReport {
  int requeued_stuck = 0;
  int failed_stuck = 0;
  int requeued_lost = 0;
  int total_requeued() const { return requeued_stuck + requeued_lost; }
};

class Reaper {
 public:
  Reaper(ports::AnalysisRepository& analyses, const ports::Clock& clock, ReaperOptions options);

  // One pass with the configured timeouts.
  Result<ReapReport> RunOnce();
  // On demand (ascension-admin requeue, after the broker lost its data): pending analyses whose
  // job reached the broker more than `older_than` ago, and analyses stuck in processing for
  // stuck_timeout (a worker that still holds a job finishes it by itself). With `dry_run`
  // nothing changes; the report says what would.
  Result<ReapReport> RequeueNow(std::chrono::seconds older_than, bool dry_run);

 private:
  Result<ReapReport> Pass(std::chrono::seconds stuck_after, std::chrono::seconds lost_after,
                          bool dry_run);

  ports::AnalysisRepository& analyses_;
  const ports::Clock& clock_;
  ReaperOptions options_;
};

}  // namespace ascension::services
