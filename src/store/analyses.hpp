// Analyses and their jobs in PostgreSQL: creation under the monthly quota with its outbox row
// (API side), and the state transitions a worker makes (processing → generating_hints →
// completed | failed), plus the reaper that re-queues analyses a dead worker left behind.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/connection.hpp"
#include "store/records.hpp"

namespace ascension::store {

// The body published on vision.skeleton for one job (DESIGN.md).
std::string JobMessage(const Analysis& a, const std::string& video_url, int attempt);

struct NewAnalysis {
  std::string user_id;
  std::string video_id;
  std::string model;
  std::string language;
  std::string video_url;  // s3://bucket/key
};

// In one transaction: locks the user's row, counts this month's analyses that did not fail,
// refuses with kResourceExhausted when the tier's quota is reached, then inserts the analysis
// and its outbox row. Concurrent calls for one user are serialized by the row lock, so the
// quota can never be exceeded.
Result<Analysis> CreateAnalysis(pg::Connection& c, const NewAnalysis& n);

// Analyses counted against the quota this calendar month (UTC).
Result<int> QuotaUsed(pg::Connection& c, const std::string& user_id);

// Marks the analysis `processing` for a new attempt. nullopt when it is already completed or
// failed (a duplicate delivery: ack and skip) or does not exist.
Result<std::optional<Analysis>> StartProcessing(pg::Connection& c, const std::string& analysis_id);
Status UpdateProgress(pg::Connection& c, const std::string& analysis_id, int progress,
                      const std::string& stage);
Status Complete(pg::Connection& c, const std::string& analysis_id, const std::string& result_json,
                const std::string& hints, std::int64_t processing_time_ms);
Status Fail(pg::Connection& c, const std::string& analysis_id, const std::string& code,
            const std::string& message);

// Re-queues (through the outbox) analyses stuck in processing for longer than `timeout`,
// at most `max_requeues` times each; beyond that they fail with code "processing_timeout".
// Returns how many were re-queued. Safe to run from several processes at once.
Result<int> RequeueStuck(pg::Connection& c, std::chrono::seconds timeout, int max_requeues,
                         const std::string& bucket);

}  // namespace ascension::store
