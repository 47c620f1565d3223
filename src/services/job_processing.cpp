#include "services/job_processing.hpp"

#include <fstream>

#include "common/log.hpp"
#include "common/temp_file.hpp"
#include "domain/failure.hpp"

namespace ascension::services {
namespace {

using Steady = std::chrono::steady_clock;
using domain::FailureCode;

std::string Name(FailureCode c) {
  return std::string(domain::FailureName(c));
}

}  // namespace

JobProcessing::JobProcessing(ports::AnalysisRepository& analyses,
                             ports::ProfileRepository& profiles, ClimbOnRoute& climbs,
                             const ports::ObjectStore& objects,
                             ports::PoseEstimator& poses, ports::EventPublisher& events,
                             DocumentBuilder build_document, const ports::Clock& clock,
                             const std::atomic<bool>& stopping, JobProcessingOptions options)
    : analyses_(analyses),
      profiles_(profiles),
      climbs_(climbs),
      objects_(objects),
      poses_(poses),
      events_(events),
      build_document_(std::move(build_document)),
      clock_(clock),
      stopping_(stopping),
      options_(std::move(options)) {}

void JobProcessing::Publish(const domain::JobEvent& e) {
  Status s = events_.Publish(e);
  if (!s.ok()) {
    log::Warn("event publish failed",
              {{"routing_key", domain::EventRoutingKey(e)}, {"error", s.message()}});
  }
}

domain::ClimberProfile JobProcessing::ProfileOf(const domain::Analysis& analysis) {
  auto profile = profiles_.Find(analysis.user_id);
  if (profile.ok()) return std::move(*profile);
  log::Warn("climber profile unreadable, coaching with the defaults",
            {{"analysis_id", analysis.id.str()},
             {"user_id", analysis.user_id.str()},
             {"error", profile.status().message()}});
  return {};
}

Verdict JobProcessing::Handle(const Delivery& delivery) {
  auto started = clock_.Now();
  auto finish = [&](Verdict v) {
    v.seconds = std::chrono::duration<double>(clock_.Now() - started).count();
    return v;
  };
  auto parsed = domain::DecodeJob(delivery.body);
  std::optional<domain::Uuid> analysis_id, job_id, user_id;
  if (parsed.ok()) {
    analysis_id = domain::Uuid::Parse(parsed->analysis_id);
    job_id = domain::Uuid::Parse(parsed->job_id);
    user_id = domain::Uuid::Parse(parsed->user_id);
  }
  if (!parsed.ok() || !analysis_id || !job_id || !user_id) {
    std::string why = !parsed.ok()   ? parsed.status().message()
                      : !analysis_id ? "job field analysis_id is not a UUID"
                      : !job_id      ? "job field job_id is not a UUID"
                                     : "job field user_id is not a UUID";
    log::Error("malformed job dead-lettered", {{"error", why}});
    // When the message still names an analysis, it fails rather than stay pending for ever.
    if (!parsed.ok()) {
      auto loose = nlohmann::json::parse(delivery.body, nullptr, false);
      if (loose.is_object() && loose.contains("analysis_id") && loose["analysis_id"].is_string())
        analysis_id = domain::Uuid::Parse(loose["analysis_id"].get<std::string>());
    }
    if (analysis_id) {
      (void)analyses_.Fail(
          *analysis_id, Name(FailureCode::kInvalidJob),
          std::string(domain::UserMessage(FailureCode::kInvalidJob, options_.default_language)));
    }
    return finish({Verdict::Action::kDeadLetter, "", {}, "invalid"});
  }
  const domain::JobMessage& job = *parsed;
  domain::Language language =
      job.language ? domain::ParseLanguage(*job.language).value_or(options_.default_language)
                   : options_.default_language;

  auto fail_for_good = [&](const std::string& code) {
    auto fc = domain::ParseFailureCode(code).value_or(FailureCode::kInternal);
    std::string message(domain::UserMessage(fc, language));
    Status s = analyses_.Fail(*analysis_id, code, message);
    if (!s.ok())
      log::Warn("cannot record the failure",
                {{"analysis_id", job.analysis_id}, {"error", s.message()}});
    domain::JobEvent e;
    e.kind = domain::EventKind::kFailed;
    e.job_id = job.job_id;
    e.analysis_id = job.analysis_id;
    e.user_id = job.user_id;
    e.error_code = code;
    e.message = message;
    Publish(e);
  };
  auto transient = [&](const std::string& code, const std::string& message) {
    if (job.attempt >= options_.max_attempts) {
      log::Error("job failed after retries, dead-lettered", {{"analysis_id", job.analysis_id},
                                                             {"error_code", code},
                                                             {"error", message},
                                                             {"attempt", job.attempt}});
      fail_for_good(code);
      return finish({Verdict::Action::kDeadLetter, "", {}, "dead_lettered"});
    }
    auto retry = domain::WithAttempt(delivery.body, job.attempt + 1);
    auto delay = std::chrono::milliseconds(1000LL << std::min(job.attempt, 10));
    log::Warn("transient failure, retrying", {{"analysis_id", job.analysis_id},
                                              {"attempt", job.attempt},
                                              {"error", message},
                                              {"backoff_ms", delay.count()}});
    return finish({Verdict::Action::kRetry, retry.ok() ? *retry : delivery.body, delay, "retried"});
  };

  auto analysis = analyses_.StartProcessing(*analysis_id, job.dispatch);
  if (!analysis.ok())
    return transient(Name(FailureCode::kDatabaseUnavailable), analysis.status().message());
  if (!*analysis) {
    log::Info("job already finished or superseded, skipped",
              {{"analysis_id", job.analysis_id}, {"redelivered", delivery.redelivered}});
    return finish({Verdict::Action::kAck, "", {}, "skipped"});
  }
  auto failure = Run(job, **analysis, delivery);
  if (!failure) return finish({Verdict::Action::kAck, "", {}, "completed"});
  if (failure->code == "cancelled") {
    log::Info("shutting down, job returned to the queue", {{"analysis_id", job.analysis_id}});
    return finish({Verdict::Action::kRequeue, "", {}, "interrupted"});
  }
  auto code = domain::ParseFailureCode(failure->code).value_or(FailureCode::kInternal);
  if (domain::IsPermanent(code)) {
    log::Warn("analysis failed", {{"analysis_id", job.analysis_id},
                                  {"error_code", Name(code)},
                                  {"error", failure->message}});
    fail_for_good(Name(code));
    return finish({Verdict::Action::kAck, "", {}, "failed"});
  }
  return transient(Name(code), failure->message);
}

std::optional<JobProcessing::Failure> JobProcessing::Run(const domain::JobMessage& job,
                                                         const domain::Analysis& analysis,
                                                         const Delivery& delivery) {
  auto started = clock_.Now();
  domain::JobEvent progress_event;
  progress_event.job_id = job.job_id;
  progress_event.analysis_id = job.analysis_id;
  progress_event.user_id = job.user_id;
  auto progress = [&](int value, const std::string& stage) {
    if (Status s = analyses_.UpdateProgress(analysis.id, value, stage); !s.ok())
      log::Warn("progress not stored", {{"analysis_id", job.analysis_id}, {"error", s.message()}});
    progress_event.progress = value;
    progress_event.stage = stage;
    Publish(progress_event);
  };
  progress(1, "downloading");

  TempFile video(options_.tmp_dir / ("ascension-" + domain::Uuid::Random().str() + ".video"));
  // The row, not the message, says which version was accepted (a message is not trusted).
  ports::DownloadCondition condition{analysis.object_etag.value_or(""), options_.max_video_bytes};
  if (analysis.object_size && *analysis.object_size >= 0)
    condition.max_bytes = std::min<std::uint64_t>(condition.max_bytes.value_or(UINT64_MAX),
                                                  static_cast<std::uint64_t>(*analysis.object_size));
  if (Status s = objects_.Download(job.ObjectKey(), video.path(), condition); !s.ok()) {
    FailureCode code = s.kind() == ErrorKind::kNotFound   ? FailureCode::kVideoNotFound
                       : s.code() == "object_changed"     ? FailureCode::kVideoChanged
                       : s.code() == "object_too_large"   ? FailureCode::kVideoTooLarge
                                                          : FailureCode::kStorageUnavailable;
    return Failure{Name(code), s.message()};
  }

  auto last_report = clock_.Now() - options_.progress_interval;
  auto last_keepalive = clock_.Now();
  std::optional<domain::Time> stop_deadline;
  bool cancelled = false;
  auto on_progress = [&](double fraction) {
    auto now = clock_.Now();
    if (delivery.keep_alive && now - last_keepalive >= options_.keep_alive_interval) {
      delivery.keep_alive();
      last_keepalive = now;
    }
    if (stopping_.load()) {
      // Finish within the grace period, or give the job back.
      if (!stop_deadline) stop_deadline = now + options_.shutdown_grace;
      if (now > *stop_deadline) {
        cancelled = true;
        return false;
      }
    }
    if (now - last_report >= options_.progress_interval) {
      last_report = now;
      progress(2 + static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 93.0), "pose_estimation");
    }
    return true;
  };
  auto poses = poses_.Estimate(video.path(), job.model.empty() ? options_.default_model : job.model,
                               on_progress);
  if (!poses.ok()) {
    if (cancelled) return Failure{"cancelled", poses.status().message()};
    std::string code = poses.status().code();
    if (code.empty() || code == "cancelled") code = Name(FailureCode::kInternal);
    return Failure{code, poses.status().message()};
  }

  progress(96, "generating_hints");
  AnalysisDocument doc = build_document_(*poses, analysis.language, ProfileOf(analysis));
  climbs_.Attach(analysis, doc.result, doc.hints);
  auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - started).count();
  if (Status s = analyses_.Complete(
          analysis.id, doc.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          doc.hints, elapsed_ms);
      !s.ok()) {
    return Failure{Name(FailureCode::kDatabaseUnavailable), s.message()};
  }
  climbs_.AfterComplete(analysis, doc.result);
  domain::JobEvent done = progress_event;
  done.kind = domain::EventKind::kCompleted;
  done.processing_time_ms = elapsed_ms;
  Publish(done);
  log::Info("analysis completed", {{"analysis_id", job.analysis_id},
                                   {"job_id", job.job_id},
                                   {"frames", poses->frames.size()},
                                   {"ms", elapsed_ms}});
  return std::nullopt;
}

}  // namespace ascension::services
