// ascension-worker: WORKER_CONCURRENCY analysis pipelines consuming vision.skeleton, one ghost
// pipeline consuming vision.ghost, one hold detection pipeline consuming vision.holds, and a small
// HTTP endpoint for /health (200 only while every pipeline consumes) and /metrics.
// SIGTERM lets current jobs finish within the grace period, or returns them to the queue.
// This file is the worker's composition: adapters, services and loops, wired once.
#include <memory>
#include <vector>

#include "adapters/amqp/job_bus.hpp"
#include "adapters/postgres/pool.hpp"
#include "adapters/s3/object_store.hpp"
#include "common/background_loop.hpp"
#include "common/log.hpp"
#include "common/stop_signals.hpp"
#include "http/server.hpp"
#include "ports/clock.hpp"
#include "services/ghosts.hpp"
#include "services/job_processing.hpp"
#include "services/route_detection.hpp"
#include "store/analyses.hpp"
#include "store/ghosts.hpp"
#include "store/profiles.hpp"
#include "store/routes.hpp"
#include "store/users.hpp"
#include "worker/analysis_document.hpp"
#include "worker/config.hpp"
#include "worker/ghost_runner.hpp"
#include "worker/hold_detector.hpp"
#include "worker/holds_runner.hpp"
#include "worker/job_runner.hpp"
#include "worker/pose_estimator.hpp"

int main() {
  using namespace ascension;
  worker::WorkerConfig config = worker::ReadWorkerConfig();
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.common.log_level, &level);
  log::Init("ascension-worker", level);

  const sigset_t signals = BlockStopSignals();

  // The worker's own credential: it reads videos and route photos and writes wall images, nothing
  // else (s3/bucket_policy.hpp). Without it, the bucket owner's.
  s3::Config storage = s3::ConfigFrom(config.common);
  if (!config.common.s3_worker_access_key.empty()) {
    storage.access_key = config.common.s3_worker_access_key;
    storage.secret_key = config.common.s3_worker_secret_key;
  } else {
    log::Warn(
        "S3_WORKER_ACCESS_KEY is not set: the worker reaches the store with the bucket "
        "owner's credential (MINIO_ROOT_USER), which may also overwrite or delete any object "
        "and change the bucket; see docs/operations.md#storage-credentials");
  }
  auto s3 = s3::Client::Create(storage);
  if (!s3.ok()) {
    log::Error("bad storage configuration", {{"error", s3.status().message()}});
    return 2;
  }
  auto url = amqp::ParseUrl(config.common.rabbitmq_url);  // checked by the config reader
  if (!url.ok()) return 2;
  s3::S3ObjectStore objects(*s3);
  pg::Pool db(config.common.database_url, config.concurrency * 2, std::chrono::seconds(10));
  store::PgAnalysisRepository analyses(db, db);
  store::PgProfileRepository profiles(db);
  // The routes analyses are climbed on, and their ghosts (route.holds_used, the ghost section).
  store::PgRouteRepository analysis_routes(db, db);
  store::PgGhostRepository analysis_ghosts(db);
  store::PgUserRepository analysis_users(db, db);
  services::ClimbOnRoute climbs(analysis_routes, profiles, analysis_ghosts, analysis_users);
  ports::SystemClock clock;
  worker::WorkerMetrics metrics;
  Stopper stopper;

  services::JobProcessingOptions options;
  options.max_attempts = config.max_attempts;
  options.shutdown_grace = config.shutdown_grace;
  options.tmp_dir = config.tmp_dir;
  options.max_video_bytes = static_cast<std::uint64_t>(config.max_video_bytes);
  options.default_language = config.default_language;
  options.default_model = config.default_model;

  // One pipeline per slot: its own connection, models and event publisher.
  struct Pipeline {
    amqp::AmqpEventPublisher events;
    std::unique_ptr<worker::VisionPoseEstimator> poses;
    std::unique_ptr<services::JobProcessing> processing;
    std::unique_ptr<worker::QueueConsumer> runner;
    std::unique_ptr<BackgroundLoop> loop;
  };
  std::vector<std::unique_ptr<Pipeline>> pipelines;
  for (int i = 0; i < config.concurrency; ++i) {
    auto p = std::make_unique<Pipeline>();
    p->poses = std::make_unique<worker::VisionPoseEstimator>(
        config.models_dir, config.max_video_seconds, config.threads_per_job, metrics);
    p->processing = std::make_unique<services::JobProcessing>(
        analyses, profiles, climbs, objects, *p->poses, p->events,
        [](const domain::PoseSequence& poses, domain::Language lang,
           const domain::ClimberProfile& profile) {
          return worker::BuildAnalysisDocument(poses, std::string(domain::LanguageCode(lang)),
                                               profile);
        },
        clock, *stopper.flag(), options);
    p->runner = std::make_unique<worker::QueueConsumer>(
        *url, worker::AnalysisPipeline(i, *p->processing, p->events, metrics));
    auto* runner = p->runner.get();
    p->loop = std::make_unique<BackgroundLoop>("pipeline-" + std::to_string(i), stopper,
                                               [runner](Wakeup& w) { return runner->Run(w); });
    p->loop->OnCrash([&metrics] { metrics.pipeline_crashes().Increment(); });
    pipelines.push_back(std::move(p));
  }
  // Ghost mode: one pipeline of its own on vision.ghost (a ghost takes about a second of CPU).
  store::PgGhostRepository ghost_rows(db);
  store::PgRouteRepository ghost_routes(db, db);
  services::GhostComputationOptions ghost_options;
  ghost_options.max_attempts = config.max_attempts;
  amqp::AmqpGhostEventPublisher ghost_events;
  services::GhostComputation ghost_computation(ghost_rows, ghost_routes, profiles, ghost_events,
                                               ghost_options);
  worker::QueueConsumer ghost_runner(
      *url, worker::GhostPipeline(ghost_computation, ghost_events, metrics));
  BackgroundLoop ghost_loop("ghost-pipeline", stopper,
                            [&ghost_runner](Wakeup& w) { return ghost_runner.Run(w); });
  ghost_loop.OnCrash([&metrics] { metrics.pipeline_crashes().Increment(); });
  auto ghost_consuming = [&] { return ghost_runner.consuming() && ghost_loop.healthy(); };
  // Hold detection: one pipeline of its own (its own connection, detector and publisher).
  store::PgRouteRepository routes(db, db);
  worker::VisionHoldDetector detector;
  amqp::AmqpRouteEventPublisher route_events;
  services::RouteDetectionOptions route_options;
  route_options.max_attempts = config.max_attempts;
  route_options.tmp_dir = config.tmp_dir;
  route_options.max_photo_bytes = config.max_route_photo_bytes;
  route_options.language = config.default_language;
  services::RouteDetection detection(routes, objects, detector, route_events, clock,
                                     *stopper.flag(), route_options);
  worker::QueueConsumer holds_runner(*url, worker::HoldsPipeline(detection, route_events, metrics));
  BackgroundLoop holds_loop("holds-pipeline", stopper,
                            [&holds_runner](Wakeup& w) { return holds_runner.Run(w); });
  holds_loop.OnCrash([&metrics] { metrics.pipeline_crashes().Increment(); });

  auto consuming = [&] {
    int n = 0;
    for (const auto& p : pipelines) n += p->runner->consuming() && p->loop->healthy() ? 1 : 0;
    return n;
  };
  auto holds_consuming = [&] { return holds_runner.consuming() && holds_loop.healthy(); };

  http::ServerOptions so;
  so.bind_address = "0.0.0.0";
  so.port = config.metrics_port;
  so.io_threads = 1;
  so.handler_threads = 1;
  http::Server metrics_server(
      so, nullptr,
      [&](http::Request& req) {
        int up = consuming();
        metrics.pipelines_consuming().Set(up);
        if (req.path == "/metrics") {
          http::Response r;
          r.content_type = "text/plain; version=0.0.4; charset=utf-8";
          r.body = metrics.Render();
          return r;
        }
        if (req.path == "/health") {
          const bool ghost_up = ghost_consuming();
          bool healthy = up == static_cast<int>(pipelines.size()) && ghost_up && holds_consuming();
          return http::Json(healthy ? 200 : 503, {{"status", healthy ? "ok" : "unavailable"},
                                                  {"pipelines", pipelines.size()},
                                                  {"pipelines_consuming", up},
                                                  {"ghost_pipeline_consuming", ghost_up},
                                                  {"holds_pipeline_consuming", holds_consuming()}});
        }
        return http::Error(404, "not_found", "No such route");
      },
      nullptr, nullptr, nullptr);
  if (Status s = metrics_server.Start(); !s.ok()) {
    log::Error("metrics endpoint failed to start", {{"error", s.message()}});
    return 1;
  }

  for (auto& p : pipelines) p->loop->Start();
  ghost_loop.Start();
  holds_loop.Start();
  log::Info("worker started", {{"pipelines", config.concurrency},
                               {"threads_per_job", config.threads_per_job},
                               {"metrics_port", metrics_server.port()},
                               {"model", config.default_model}});
  int sig = WaitForStopSignal(signals);
  log::Info("worker stopping", {{"signal", sig}});
  stopper.Stop();
  for (auto& p : pipelines) p->loop->Join();
  ghost_loop.Join();
  holds_loop.Join();
  metrics_server.Shutdown(std::chrono::milliseconds(1000));
  log::Info("worker stopped");
  return 0;
}
