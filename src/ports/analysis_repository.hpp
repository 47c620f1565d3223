// Analyses in storage: creation under the monthly quota with the job's outbox message (API), the
// transitions a worker makes, and the recovery of jobs that were lost (reaper, admin requeue).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.hpp"
#include "domain/analysis.hpp"
#include "domain/page.hpp"
#include "ports/outbox.hpp"

namespace ascension::ports {

// Builds the outbox message that queues an analysis's job. For a re-queue, `object_key` is the
// video's current key and the message must carry dispatch = analysis.dispatch + 1.
using JobFor = std::function<OutboxMessage(const domain::Analysis&, const std::string& object_key)>;

// What the reaper decides for one analysis stuck in processing.
struct Requeue {
  OutboxMessage job;
};
struct GiveUp {
  std::string error_code;
  std::string error_message;
};
using StuckDecision = std::variant<Requeue, GiveUp>;

// A completed analysis's result document as GET /v1/analyses/{id}/result serves it, in the
// representation asked for (FindResult).
struct StoredResult {
  std::string status;               // the analysis's status
  std::optional<std::string> etag;  // the document's quoted strong ETag; absent: no result
  bool not_modified = false;        // the ETag is the If-None-Match given: body is empty
  bool gzip = false;                // body is the document gzipped (else the document itself)
  std::string body;
};

struct RecoveryCounts {
  int requeued = 0;
  int failed = 0;
};

class AnalysisRepository {
 public:
  virtual ~AnalysisRepository() = default;

  // ---- API ----
  // Atomically: locks the user's account; when fewer than `quota` of the user's analyses created
  // since `month_start` count against the quota (every one that did not fail), inserts
  // `analysis` (with the video's `object_key`) and its job's outbox message `job(analysis,
  // object_key)`. Otherwise kResourceExhausted and nothing is written. Concurrent calls for one
  // user are serialized, so the quota cannot be exceeded.
  virtual Result<domain::Analysis> CreateUnderQuota(const domain::Analysis& analysis,
                                                    const std::string& object_key,
                                                    domain::Time month_start, int quota,
                                                    const JobFor& job) = 0;
  virtual Result<int> QuotaUsed(const domain::Uuid& user_id, domain::Time month_start) = 0;
  // The user's analysis; result_json is read only `with_result`.
  virtual Result<std::optional<domain::Analysis>> FindOwned(const domain::Uuid& id,
                                                            const domain::Uuid& user_id,
                                                            bool with_result) = 0;
  // The user's analyses (without result_json), newest first, of one status when given.
  virtual Result<domain::PageOf<domain::Analysis>> ListOwned(
      const domain::Uuid& user_id, const std::optional<std::string>& status,
      const domain::Page& page) = 0;
  virtual Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) = 0;
  // The user's analysis's result document and its ETag, read (not computed) when the repository
  // keeps them encoded: nothing but the ETag when it equals `if_none_match`, else the gzip copy
  // when `accept_gzip` and one is kept, else the document. No etag when it has no result.
  virtual Result<std::optional<StoredResult>> FindResult(
      const domain::Uuid& id, const domain::Uuid& user_id, bool accept_gzip,
      const std::optional<std::string>& if_none_match) = 0;

  // ---- worker ----
  // Marks the analysis processing for a new attempt (attempts + 1) and returns it. nullopt when
  // it does not exist, is already completed or failed (a duplicate delivery), or when `dispatch`
  // is given and differs from the analysis's (a stale copy of a re-queued job).
  virtual Result<std::optional<domain::Analysis>> StartProcessing(const domain::Uuid& id,
                                                                  std::optional<int> dispatch) = 0;
  // Progress of a processing analysis; stage "generating_hints" moves it to that status.
  virtual Status UpdateProgress(const domain::Uuid& id, int progress, const std::string& stage) = 0;
  // → completed with the result, unless already completed.
  virtual Status Complete(const domain::Uuid& id, const std::string& result_json,
                          const std::string& hints, std::int64_t processing_time_ms) = 0;
  // → failed with the code and the user message, unless already completed.
  virtual Status Fail(const domain::Uuid& id, const std::string& error_code,
                      const std::string& error_message) = 0;

  // ---- recovery ----
  // Atomically, for each analysis in processing or generating_hints not updated since
  // `stuck_before` (rows locked with SKIP LOCKED): applies `decide` — a GiveUp fails it, a
  // Requeue returns it to pending (requeues + 1, dispatch + 1) with the job's outbox message.
  // With `dry_run` nothing is written; the counts are what would have happened.
  virtual Result<RecoveryCounts> ReapStuck(
      domain::Time stuck_before,
      const std::function<StuckDecision(const domain::Analysis&, const std::string& object_key)>&
          decide,
      bool dry_run) = 0;
  // Atomically, for each pending analysis whose job was handed to the broker before
  // `sent_before` and never taken (no unsent outbox message, none sent since; a broker that lost
  // its data): dispatch + 1 and a new outbox message `job(analysis, object_key)`. With `dry_run`
  // nothing is written; the count is what would have been re-queued.
  virtual Result<int> RequeueLost(domain::Time sent_before, const JobFor& job, bool dry_run) = 0;
};

}  // namespace ascension::ports
