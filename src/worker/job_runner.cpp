#include "worker/job_runner.hpp"

#include <unistd.h>

#include <filesystem>
#include <thread>
#include <tuple>

#include "adapters/amqp/retry.hpp"
#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"
#include "common/temp_file.hpp"
#include "domain/failure.hpp"
#include "store/analyses.hpp"
#include "worker/analysis_document.hpp"

namespace ascension::worker {
namespace {

using Clock = std::chrono::steady_clock;

// The app's sentence for a failure code (the domain table; English, as the worker always wrote).
std::string UserMessage(const std::string& code) {
  auto c = domain::ParseFailureCode(code);
  return std::string(domain::UserMessage(c.value_or(domain::FailureCode::kInternal), domain::Language::kEn));
}

bool IsPermanent(const std::string& code) {
  auto c = domain::ParseFailureCode(code);
  return c && domain::IsPermanent(*c);
}

}  // namespace

Result<Job> ParseJob(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return InvalidArgument("job body is not a JSON object");
  Job job;
  for (auto [name, out] : {std::pair{"job_id", &job.job_id}, {"analysis_id", &job.analysis_id},
                           {"user_id", &job.user_id}, {"video_url", &job.video_url}}) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
      return InvalidArgument(std::string("job field ") + name + " is missing");
    *out = it->get<std::string>();
  }
  if (job.video_url.rfind("s3://", 0) != 0 || job.video_url.find('/', 5) == std::string::npos)
    return InvalidArgument("video_url must be s3://bucket/key");
  // Optional fields: absent takes the default (French when the job names no language:
  // DEFAULT_LANGUAGE), present must have the right type.
  for (auto [name, out, fallback] :
       {std::tuple{"model", &job.model, "heavy"}, {"language", &job.language, "fr"}}) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) {
      *out = fallback;
    } else if (it->is_string()) {
      *out = it->get<std::string>();
    } else {
      return InvalidArgument(std::string("job field ") + name + " must be a string");
    }
  }
  if (auto it = j.find("attempt"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 1000)
      return InvalidArgument("job field attempt must be an integer from 1 to 1000");
    job.attempt = static_cast<int>(it->get<std::int64_t>());
  }
  return job;
}

JobRunner::JobRunner(const WorkerConfig& config, int index, pg::Pool& db, const s3::Client& s3,
                     WorkerMetrics& metrics, Stopper& stopper)
    : config_(config), index_(index), db_(db), s3_(s3), metrics_(metrics), stopper_(stopper) {}

Result<vision::PoseAnalyzer*> JobRunner::Analyzer(const std::string& model) {
  auto it = analyzers_.find(model);
  if (it != analyzers_.end()) return it->second.get();
  auto variant = vision::ParseModelVariant(model);
  if (!variant) return InvalidArgument("unknown model " + model);
  vision::AnalyzerOptions o;
  o.models_dir = config_.models_dir;
  o.model = *variant;
  o.max_duration_s = config_.max_video_seconds;
  o.threads = 1;  // one single-threaded pipeline per core gives the best throughput
  auto a = vision::PoseAnalyzer::Load(o);
  if (!a.ok()) return a.status();
  auto* raw = a->get();
  analyzers_[model] = std::move(a).value();
  return raw;
}

void JobRunner::PublishEvent(amqp::Connection& mq, const std::string& key, const nlohmann::json& body) {
  amqp::PublishOptions o;
  o.persistent = false;
  o.confirm_timeout = std::chrono::milliseconds(5000);
  Status s = mq.PublishConfirmed(amqp::topology::kEventsExchange, key, body.dump(), o);
  if (!s.ok()) log::Warn("event publish failed", {{"routing_key", key}, {"error", s.message()}});
}

JobRunner::Outcome JobRunner::Process(amqp::Connection& mq, const Job& job, std::string* code,
                                      std::string* message) {
  auto started = Clock::now();
  std::optional<store::Analysis> analysis;
  {
    auto conn = db_.Acquire();
    if (!conn.ok()) {
      *code = "database_unavailable";
      *message = conn.status().message();
      return Outcome::kRetry;
    }
    auto a = store::StartProcessing(**conn, job.analysis_id);
    if (!a.ok()) {
      *code = "database_unavailable";
      *message = a.status().message();
      return Outcome::kRetry;
    }
    if (!*a) return Outcome::kSkipped;
    analysis = **a;
  }
  nlohmann::json base = {{"job_id", job.job_id}, {"analysis_id", job.analysis_id}, {"user_id", job.user_id}};
  auto progress_event = [&](int progress, const std::string& stage) {
    auto conn = db_.Acquire();
    if (conn.ok()) (void)store::UpdateProgress(**conn, job.analysis_id, progress, stage);
    nlohmann::json e = base;
    e["progress"] = progress;
    e["stage"] = stage;
    PublishEvent(mq, amqp::topology::ProgressKey(job.job_id), e);
  };
  progress_event(1, "downloading");

  // s3://bucket/key → key (the bucket is the configured one).
  std::string key = job.video_url.substr(job.video_url.find('/', 5) + 1);
  TempFile video(std::filesystem::path(config_.tmp_dir) /
                 ("ascension-" + std::to_string(getpid()) + "-" + job.job_id + ".video"));
  if (Status s = s3_.GetObjectToFile(key, video.path()); !s.ok()) {
    *message = s.message();
    if (s.kind() == ErrorKind::kNotFound) {
      *code = "video_not_found";
      return Outcome::kFailedPermanent;
    }
    *code = "storage_unavailable";
    return Outcome::kRetry;
  }

  auto analyzer = Analyzer(job.model.empty() ? config_.default_model : job.model);
  if (!analyzer.ok()) {
    *code = "internal";
    *message = analyzer.status().message();
    return Outcome::kRetry;
  }
  auto last_report = Clock::now() - std::chrono::seconds(1);
  auto last_keepalive = Clock::now();
  std::optional<Clock::time_point> stop_deadline;
  auto on_progress = [&](double fraction) {
    auto now = Clock::now();
    if (now - last_keepalive > std::chrono::seconds(5)) {
      (void)mq.KeepAlive();
      last_keepalive = now;
    }
    if (stopper_.stopped()) {
      // Finish within the grace period, or give the job back.
      if (!stop_deadline) stop_deadline = now + config_.shutdown_grace;
      if (now > *stop_deadline) return false;
    }
    if (now - last_report >= std::chrono::milliseconds(500)) {
      last_report = now;
      progress_event(2 + static_cast<int>(fraction * 93.0), "pose_estimation");
    }
    return true;
  };
  std::string vision_code;
  auto poses = (*analyzer)->Analyze(video.path().string(), on_progress, &vision_code);
  if (!poses.ok()) {
    *code = vision_code.empty() ? "internal" : vision_code;
    *message = poses.status().message();
    if (*code == "cancelled") return Outcome::kInterrupted;
    return IsPermanent(*code) ? Outcome::kFailedPermanent : Outcome::kRetry;
  }
  const auto& t = (*analyzer)->last_timings();
  metrics_.FramesAnalysed(t.frames, t.total_s);

  progress_event(96, "generating_hints");
  AnalysisDocument doc = BuildAnalysisDocument(*poses, job.language);
  auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  {
    auto conn = db_.Acquire();
    Status s = conn.ok() ? store::Complete(**conn, job.analysis_id, doc.result.dump(), doc.hints, elapsed_ms)
                         : conn.status();
    if (!s.ok()) {
      *code = "database_unavailable";
      *message = s.message();
      return Outcome::kRetry;
    }
  }
  nlohmann::json done = base;
  done["status"] = "completed";
  done["processing_time_ms"] = elapsed_ms;
  PublishEvent(mq, amqp::topology::CompletedKey(job.job_id), done);
  log::Info("analysis completed", {{"analysis_id", job.analysis_id}, {"job_id", job.job_id},
                                   {"frames", t.frames}, {"ms", elapsed_ms},
                                   {"decode_s", t.decode_s}, {"inference_s", t.inference_s}});
  return Outcome::kCompleted;
}

void JobRunner::Run() {
  auto url = amqp::ParseUrl(config_.common.rabbitmq_url);
  if (!url.ok()) {
    log::Error("bad RABBITMQ_URL", {{"error", url.status().message()}});
    return;
  }
  while (!stopper_.stopped()) {
    auto mq = amqp::ConnectWithRetry(*url, amqp::RetryPolicy{}, stopper_.flag());
    if (!mq.ok()) continue;
    if (Status s = mq->DeclareTopology(); !s.ok()) {
      log::Error("cannot declare topology", {{"error", s.message()}});
      stopper_.Wait(std::chrono::seconds(2));
      continue;
    }
    if (!mq->SetPrefetch(1).ok() || !mq->Consume(amqp::topology::kJobQueue).ok()) continue;
    log::Info("pipeline consuming", {{"pipeline", index_}, {"queue", std::string(amqp::topology::kJobQueue)}});
    while (!stopper_.stopped()) {
      auto d = mq->Next(std::chrono::milliseconds(500));
      if (!d.ok()) {
        log::Warn("lost rabbitmq, reconnecting", {{"pipeline", index_}, {"error", d.status().message()}});
        break;
      }
      if (!*d) continue;
      const amqp::Delivery& delivery = **d;
      auto job = ParseJob(delivery.body);
      if (!job.ok()) {
        log::Error("malformed job dead-lettered", {{"error", job.status().message()}});
        (void)mq->Reject(delivery.delivery_tag, false);
        metrics_.JobFinished("invalid", 0);
        continue;
      }
      metrics_.current_jobs().Increment();
      auto started = Clock::now();
      std::string code, message;
      Outcome outcome = Process(*mq, *job, &code, &message);
      double secs = std::chrono::duration<double>(Clock::now() - started).count();
      metrics_.current_jobs().Decrement();
      nlohmann::json failed_event = {{"job_id", job->job_id}, {"analysis_id", job->analysis_id},
                                     {"user_id", job->user_id}, {"status", "failed"},
                                     {"error_code", code}, {"message", UserMessage(code)}};
      auto fail_analysis = [&] {
        auto conn = db_.Acquire();
        if (conn.ok()) (void)store::Fail(**conn, job->analysis_id, code, UserMessage(code));
        PublishEvent(*mq, amqp::topology::FailedKey(job->job_id), failed_event);
      };
      switch (outcome) {
        case Outcome::kCompleted:
          (void)mq->Ack(delivery.delivery_tag);
          metrics_.JobFinished("completed", secs);
          break;
        case Outcome::kSkipped:
          log::Info("job already finished, skipped", {{"analysis_id", job->analysis_id}});
          (void)mq->Ack(delivery.delivery_tag);
          metrics_.JobFinished("skipped", secs);
          break;
        case Outcome::kFailedPermanent:
          log::Warn("analysis failed", {{"analysis_id", job->analysis_id}, {"error_code", code}, {"error", message}});
          fail_analysis();
          (void)mq->Ack(delivery.delivery_tag);
          metrics_.JobFinished("failed", secs);
          break;
        case Outcome::kInterrupted:
          log::Info("shutting down, job returned to the queue", {{"analysis_id", job->analysis_id}});
          (void)mq->Nack(delivery.delivery_tag, true);
          metrics_.JobFinished("interrupted", secs);
          break;
        case Outcome::kRetry: {
          if (job->attempt >= config_.max_attempts) {
            log::Error("job failed after retries, dead-lettered",
                       {{"analysis_id", job->analysis_id}, {"error_code", code}, {"error", message}});
            fail_analysis();
            (void)mq->Nack(delivery.delivery_tag, false);
            metrics_.JobFinished("dead_lettered", secs);
            break;
          }
          auto body = nlohmann::json::parse(delivery.body);
          body["attempt"] = job->attempt + 1;
          amqp::PublishOptions o;
          o.expiration = std::chrono::milliseconds(1000LL << std::min(job->attempt, 10));
          o.priority = delivery.priority;
          Status s = mq->PublishConfirmed("", amqp::topology::kRetryQueue, body.dump(), o);
          log::Warn("transient failure, retrying",
                    {{"analysis_id", job->analysis_id}, {"attempt", job->attempt}, {"error", message},
                     {"backoff_ms", o.expiration->count()}});
          if (s.ok()) {
            (void)mq->Ack(delivery.delivery_tag);
          } else {
            (void)mq->Nack(delivery.delivery_tag, true);
          }
          metrics_.JobFinished("retried", secs);
          break;
        }
      }
    }
  }
}

}  // namespace ascension::worker
