// Processing one job message (the worker's rules, independent of the broker):
//  - a message that cannot be read is rejected to the dead-letter queue at once, with a log line
//    naming the field, and its analysis (when its id can be read) fails with invalid_job;
//  - a job whose analysis is completed, failed, gone, or re-queued since (a stale dispatch
//    number) is acknowledged and skipped: redelivery is idempotent;
//  - otherwise the analysis is marked processing, the video downloaded to a temporary file
//    (always removed) — exactly the version recorded when the analysis was accepted (If-Match on
//    its ETag: a replaced object fails it with video_changed) and no more than max_video_bytes
//    (refused from the announced length, or as the bytes arrive: video_too_large) —, the pose
//    estimated with progress (stored and published at most every
//    500 ms), the owner's climber profile read, the result document built for that climber and
//    stored, and a completed event published; an analysis of a climb on a route gets the route
//    section (route.holds_used) and, for a premium owner with a ready ghost, the ghost section
//    and its advice (services/route_section.hpp); a route or ghost that cannot be used gives a
//    section naming why, never a failed analysis (a route that was being detected is read again
//    once the analysis is stored: if it became ready meanwhile, the stored result gains
//    route.holds_used, ClimbOnRoute::AfterComplete); a profile that cannot be read (a malformed row,
//    the database away) never fails the analysis: it is logged and the coaching uses the
//    defaults of an unknown adult climber;
//  - a permanent failure (FailureCode) fails the analysis at once with its code and message;
//  - a transient failure is retried through the retry queue with a backoff of 2^attempt s,
//    JOB_MAX_ATTEMPTS times, then the analysis fails and the message is dead-lettered;
//  - a stop request (SIGTERM) lets the job finish within the grace period, or gives it back to
//    the queue.
// The caller (the consumer adapter) turns the Verdict into acks, rejects and publishes.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "domain/language.hpp"
#include "domain/messages.hpp"
#include "domain/pose.hpp"
#include "domain/profile.hpp"
#include "ports/analysis_repository.hpp"
#include "ports/clock.hpp"
#include "ports/job_bus.hpp"
#include "ports/object_store.hpp"
#include "ports/pose_estimator.hpp"
#include "ports/profile_repository.hpp"
#include "services/delivery.hpp"
#include "services/route_section.hpp"

namespace ascension::services {

// The stored form of an analysis: the result document and the Markdown hints.
struct AnalysisDocument {
  nlohmann::json result;
  std::string hints;
};
// Builds the document from the poses (the coaching: biomechanics and advice) in a language, for
// the climber of `profile` (empty: an unknown adult climber).
using DocumentBuilder =
    std::function<AnalysisDocument(const domain::PoseSequence& poses, domain::Language language,
                                   const domain::ClimberProfile& profile)>;

struct JobProcessingOptions {
  int max_attempts = 3;
  std::chrono::seconds shutdown_grace{30};
  std::filesystem::path tmp_dir = "/tmp";
  domain::Language default_language = domain::Language::kFr;
  std::string default_model = "heavy";  // for jobs that name none
  std::chrono::milliseconds progress_interval{500};
  std::chrono::milliseconds keep_alive_interval{5000};
  std::uint64_t max_video_bytes = 500ULL * 1024 * 1024;  // MAX_VIDEO_BYTES: no larger download
};

class JobProcessing {
 public:
  JobProcessing(ports::AnalysisRepository& analyses, ports::ProfileRepository& profiles,
                ClimbOnRoute& climbs, const ports::ObjectStore& objects, ports::PoseEstimator& poses,
                ports::EventPublisher& events, DocumentBuilder build_document,
                const ports::Clock& clock, const std::atomic<bool>& stopping,
                JobProcessingOptions options);

  Verdict Handle(const Delivery& delivery);

 private:
  struct Failure {
    std::string code;     // a FailureCode name, or "cancelled"
    std::string message;  // for the log
  };
  // Returns nullopt on completion, else why it did not complete.
  std::optional<Failure> Run(const domain::JobMessage& job, const domain::Analysis& analysis,
                             const Delivery& delivery);
  void Publish(const domain::JobEvent& e);
  // The owner's profile, or the empty profile (logged) when it cannot be read.
  domain::ClimberProfile ProfileOf(const domain::Analysis& analysis);

  ports::AnalysisRepository& analyses_;
  ports::ProfileRepository& profiles_;
  ClimbOnRoute& climbs_;
  const ports::ObjectStore& objects_;
  ports::PoseEstimator& poses_;
  ports::EventPublisher& events_;
  DocumentBuilder build_document_;
  const ports::Clock& clock_;
  const std::atomic<bool>& stopping_;
  JobProcessingOptions options_;
};

}  // namespace ascension::services
