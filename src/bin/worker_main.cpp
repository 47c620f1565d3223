// ascension-worker: WORKER_CONCURRENCY analysis pipelines consuming vision.skeleton, and a
// small HTTP endpoint for /health and /metrics. SIGTERM lets current jobs finish within the
// grace period, or returns them to the queue.
#include <thread>

#include "common/log.hpp"
#include "common/stop_signals.hpp"
#include "http/server.hpp"
#include "worker/job_runner.hpp"

int main() {
  using namespace ascension;
  worker::WorkerConfig config = worker::ReadWorkerConfig();
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.common.log_level, &level);
  log::Init("ascension-worker", level);

  const sigset_t signals = BlockStopSignals();

  auto s3 = s3::Client::Create(s3::ConfigFrom(config.common));
  if (!s3.ok()) {
    log::Error("bad storage configuration", {{"error", s3.status().message()}});
    return 2;
  }
  pg::Pool db(config.common.database_url, config.concurrency * 2, std::chrono::seconds(10));
  worker::WorkerMetrics metrics;
  Stopper stopper;

  http::ServerOptions so;
  so.bind_address = "0.0.0.0";
  so.port = config.metrics_port;
  so.io_threads = 1;
  so.handler_threads = 1;
  http::Server metrics_server(
      so, nullptr,
      [&](http::Request& req) {
        if (req.path == "/metrics") {
          http::Response r;
          r.content_type = "text/plain; version=0.0.4; charset=utf-8";
          r.body = metrics.Render();
          return r;
        }
        if (req.path == "/health") return http::Json(200, {{"status", "ok"}});
        return http::Error(404, "not_found", "No such route");
      },
      nullptr, nullptr, nullptr);
  if (Status s = metrics_server.Start(); !s.ok()) {
    log::Error("metrics endpoint failed to start", {{"error", s.message()}});
    return 1;
  }

  std::vector<std::thread> pipelines;
  for (int i = 0; i < config.concurrency; ++i) {
    pipelines.emplace_back([&, i] {
      worker::JobRunner runner(config, i, db, *s3, metrics, stopper);
      runner.Run();
    });
  }
  log::Info("worker started", {{"pipelines", config.concurrency}, {"metrics_port", metrics_server.port()},
                               {"model", config.default_model}});
  int sig = WaitForStopSignal(signals);
  log::Info("worker stopping", {{"signal", sig}});
  stopper.Stop();
  for (auto& t : pipelines) t.join();
  metrics_server.Shutdown(std::chrono::milliseconds(1000));
  log::Info("worker stopped");
  return 0;
}
