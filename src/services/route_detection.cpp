#include "services/route_detection.hpp"

#include <unistd.h>

#include <algorithm>
#include <system_error>

#include "common/log.hpp"
#include "common/temp_file.hpp"
#include "domain/failure.hpp"
#include "domain/result_frames.hpp"
#include "services/route_section.hpp"

namespace ascension::services {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The FailureCode name a detector or storage failure carries, else the transient fallback.
std::string CodeOf(const Status& s, const char* fallback) {
  if (s.code() == "cancelled") return s.code();
  if (!s.code().empty() && domain::ParseFailureCode(s.code())) return s.code();
  return fallback;
}

bool IsPermanentCode(const std::string& code) {
  auto c = domain::ParseFailureCode(code);
  return c && domain::IsPermanent(*c);
}

}  // namespace

RouteDetection::RouteDetection(ports::RouteRepository& routes, const ports::ObjectStore& objects,
                               ports::HoldDetector& detector, ports::RouteEventPublisher& events,
                               const ports::Clock& clock, const std::atomic<bool>& stopping,
                               RouteDetectionOptions options)
    : routes_(routes),
      objects_(objects),
      detector_(detector),
      events_(events),
      clock_(clock),
      stopping_(stopping),
      options_(std::move(options)) {}

void RouteDetection::FillAnalyses(const domain::Route& route) {
  auto filled = FillHoldsUsed(routes_, route);
  if (!filled.ok()) {
    log::Warn("holds used not filled into the route's analyses",
              {{"route_id", route.id.str()}, {"error", filled.status().message()}});
    return;
  }
  if (filled->filled + filled->conflicts + filled->unreadable > 0) {
    log::Info("holds used filled into the route's analyses", {{"route_id", route.id.str()},
                                                             {"filled", filled->filled},
                                                             {"conflicts", filled->conflicts},
                                                             {"unreadable", filled->unreadable}});
  }
}

void RouteDetection::Publish(const domain::RouteEvent& e) {
  if (Status s = events_.Publish(e); !s.ok()) {
    log::Warn("route event publish failed", {{"route_id", e.route_id}, {"error", s.message()}});
  }
}

RouteVerdict RouteDetection::Handle(const RouteDelivery& delivery) {
  const auto started = SteadyClock::now();
  RouteVerdict v;
  auto done = [&](RouteVerdict::Action action, const char* outcome) {
    v.action = action;
    v.outcome = outcome;
    v.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    return v;
  };
  auto job = domain::DecodeHoldsJob(delivery.body);
  if (!job.ok()) {
    log::Error("malformed holds job dead-lettered", {{"error", job.status().message()}});
    v.error_code = "invalid_job";
    return done(RouteVerdict::Action::kDeadLetter, "invalid");
  }
  const auto id = domain::Uuid::Parse(job->route_id);
  if (!id || !domain::Uuid::Parse(job->user_id)) {
    log::Error("malformed holds job dead-lettered",
               {{"error", "holds job field route_id or user_id is not a UUID"}});
    v.error_code = "invalid_job";
    return done(RouteVerdict::Action::kDeadLetter, "invalid");
  }

  domain::RouteEvent base;
  base.job_id = job->job_id;
  base.route_id = id->str();
  base.user_id = job->user_id;
  auto fail_route = [&](const std::string& code) {
    const std::string message(domain::RouteFailureMessage(code, options_.language));
    if (Status s = routes_.FailDetection(*id, job->dispatch, code, message); !s.ok()) {
      log::Warn("cannot mark the route failed", {{"route_id", id->str()}, {"error", s.message()}});
    }
    domain::RouteEvent e = base;
    e.kind = domain::RouteEventKind::kFailed;
    e.error_code = code;
    e.message = message;
    Publish(e);
  };
  auto retry_or_give_up = [&](const std::string& code, const std::string& message) {
    v.error_code = code;
    if (job->attempt >= options_.max_attempts) {
      log::Error("holds job failed after retries, dead-lettered",
                 {{"route_id", id->str()}, {"error_code", code}, {"error", message}});
      fail_route(code);
      return done(RouteVerdict::Action::kDeadLetter, "dead_lettered");
    }
    auto body = domain::WithAttempt(delivery.body, job->attempt + 1);
    if (!body.ok()) {  // cannot happen: the body decoded above
      fail_route(code);
      return done(RouteVerdict::Action::kDeadLetter, "dead_lettered");
    }
    v.retry_body = std::move(body).value();
    v.retry_delay = std::chrono::milliseconds(1000LL << std::min(job->attempt, 10));
    log::Warn("transient failure of a holds job, retrying",
              {{"route_id", id->str()},
               {"attempt", job->attempt},
               {"error", message},
               {"backoff_ms", v.retry_delay.count()}});
    return done(RouteVerdict::Action::kRetry, "retried");
  };

  auto route = routes_.StartDetection(*id, job->dispatch);
  if (!route.ok()) return retry_or_give_up("database_unavailable", route.status().message());
  if (!*route) {
    log::Info("holds job for a route not awaiting it, skipped",
              {{"route_id", id->str()}, {"dispatch", job->dispatch}});
    // A copy of the job that completed the route (redelivered: the worker stopped between the
    // commit and the ack) also completes what followed the commit.
    if (auto user = domain::Uuid::Parse(job->user_id)) {
      auto now = routes_.FindOwned(*id, *user);
      if (now.ok() && *now && (*now)->status == domain::RouteStatus::kReady &&
          (*now)->dispatch == job->dispatch) {
        FillAnalyses(**now);
      }
    }
    return done(RouteVerdict::Action::kAck, "skipped");
  }
  int holds = 0;
  auto failure = Run(*job, **route, delivery, &holds);
  if (!failure) {
    v.holds = holds;
    return done(RouteVerdict::Action::kAck, "detected");
  }
  if (failure->code == "cancelled") {
    log::Info("shutting down, holds job returned to the queue", {{"route_id", id->str()}});
    return done(RouteVerdict::Action::kRequeue, "interrupted");
  }
  if (IsPermanentCode(failure->code)) {
    log::Warn(
        "route detection failed",
        {{"route_id", id->str()}, {"error_code", failure->code}, {"error", failure->message}});
    v.error_code = failure->code;
    fail_route(failure->code);
    return done(RouteVerdict::Action::kAck, "failed");
  }
  return retry_or_give_up(failure->code, failure->message);
}

std::optional<RouteDetection::Failure> RouteDetection::Run(const domain::HoldsJobMessage& job,
                                                           const domain::Route& route,
                                                           const RouteDelivery& delivery,
                                                           int* hold_count) {
  domain::RouteEvent base;
  base.job_id = job.job_id;
  base.route_id = route.id.str();
  base.user_id = route.user_id.str();
  auto last_report = SteadyClock::now() - options_.progress_interval;
  auto last_keep_alive = SteadyClock::now();
  auto progress = [&](int percent, const std::string& stage, bool force) {
    const auto now = SteadyClock::now();
    if (now - last_keep_alive >= options_.keep_alive_interval && delivery.keep_alive) {
      delivery.keep_alive();
      last_keep_alive = now;
    }
    if (!force && now - last_report < options_.progress_interval) return;
    last_report = now;
    (void)routes_.UpdateProgress(route.id, route.dispatch, percent, stage);
    domain::RouteEvent e = base;
    e.kind = domain::RouteEventKind::kProgress;
    e.progress = percent;
    e.stage = stage;
    Publish(e);
  };
  const std::string stem =
      "ascension-" + std::to_string(getpid()) + "-holds-" + route.id.str() + "-" + job.job_id;
  progress(2, "downloading", true);

  Result<ports::DetectedHolds> detected = Internal("not run");
  if (route.source == domain::RouteSource::kPhoto) {
    TempFile photo(options_.tmp_dir / (stem + ".image"));
    ports::DownloadCondition condition;
    condition.max_bytes = static_cast<std::uint64_t>(options_.max_photo_bytes);
    if (Status s = objects_.Download(route.image_key, photo.path(), condition); !s.ok()) {
      if (s.kind() == ErrorKind::kNotFound) return Failure{"photo_not_found", s.message()};
      if (s.code() == "object_too_large") return Failure{"image_too_large", s.message()};
      return Failure{"storage_unavailable", s.message()};
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(photo.path(), ec);
    if (ec) return Failure{"internal", "cannot read the downloaded photo: " + ec.message()};
    if (size == 0) return Failure{"empty_file", "the photo has no bytes"};
    if (size > static_cast<std::uintmax_t>(options_.max_photo_bytes)) {
      return Failure{"image_too_large", std::to_string(size) + " bytes"};
    }
    progress(30, "detecting", true);
    detected = detector_.FromPhoto(photo.path());
  } else {
    if (!route.analysis_id) return Failure{"analysis_not_found", "the route has no analysis"};
    auto source = routes_.FindAnalysisSource(*route.analysis_id, route.user_id);
    if (!source.ok()) return Failure{"database_unavailable", source.status().message()};
    if (!*source) return Failure{"analysis_not_found", "the analysis or its video is gone"};
    auto poses = domain::PosesFromResult((*source)->result_json);
    if (!poses.ok()) return Failure{"analysis_not_found", poses.status().message()};
    TempFile video(options_.tmp_dir / (stem + ".video"));
    if (Status s = objects_.Download((*source)->video_key, video.path(), {}); !s.ok()) {
      if (s.kind() == ErrorKind::kNotFound) return Failure{"video_not_found", s.message()};
      return Failure{"storage_unavailable", s.message()};
    }
    progress(10, "building_wall", true);
    TempFile wall(options_.tmp_dir / (stem + ".jpg"));
    detected = detector_.FromVideo(video.path(), *poses, wall.path(), [&](double fraction) {
      if (stopping_.load()) return false;
      progress(10 + static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 75), "building_wall", false);
      return true;
    });
    if (detected.ok()) {
      progress(88, "storing_image", true);
      if (Status s = objects_.Upload(route.image_key, wall.path(), "image/jpeg"); !s.ok()) {
        return Failure{"storage_unavailable", s.message()};
      }
    }
  }
  if (!detected.ok())
    return Failure{CodeOf(detected.status(), "internal"), detected.status().message()};

  const domain::Time now = clock_.Now();
  for (domain::RouteHold& h : detected->holds) {
    h.id = domain::Uuid::Random();
    h.origin = domain::HoldOrigin::kDetected;
    h.created_at = h.updated_at = now;
  }
  if (detected->holds.size() > static_cast<std::size_t>(domain::kMaxHoldsPerRoute)) {
    std::stable_sort(detected->holds.begin(), detected->holds.end(),
                     [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
    detected->holds.resize(domain::kMaxHoldsPerRoute);
  }
  auto stored =
      routes_.CompleteDetection(route.id, route.dispatch, detected->image_width,
                                detected->image_height, detected->reference_ms, detected->holds);
  if (!stored.ok()) return Failure{"database_unavailable", stored.status().message()};
  *hold_count = static_cast<int>(detected->holds.size());
  if (!*stored) {
    // Re-queued (or deleted) meanwhile: the newer job owns the route now.
    log::Info("route changed during detection, result dropped", {{"route_id", route.id.str()}});
    return std::nullopt;
  }
  // Before route:detected, so a client reading its analysis on the event finds holds_used.
  domain::Route ready = route;
  ready.status = domain::RouteStatus::kReady;
  ready.image_width = detected->image_width;
  ready.image_height = detected->image_height;
  ready.reference_ms = detected->reference_ms;
  FillAnalyses(ready);
  domain::RouteEvent e = base;
  e.kind = domain::RouteEventKind::kDetected;
  e.hold_count = *hold_count;
  Publish(e);
  log::Info("route detected", {{"route_id", route.id.str()}, {"holds", *hold_count}});
  return std::nullopt;
}

}  // namespace ascension::services
