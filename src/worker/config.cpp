#include "worker/config.hpp"

#include <unistd.h>

#include "adapters/amqp/url.hpp"

namespace ascension::worker {

WorkerConfig ReadWorkerConfig(EnvReader& env) {
  WorkerConfig c;
  c.common = ReadCommonConfig(env);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  c.concurrency = static_cast<int>(env.Integer("WORKER_CONCURRENCY", cores > 0 ? cores : 1));
  c.metrics_port = static_cast<int>(env.Integer("WORKER_METRICS_PORT"));
  c.models_dir = env.String("ASCENSION_MODELS_DIR");
  if (env.ok() && c.models_dir.empty()) env.Fail("ASCENSION_MODELS_DIR is not set");
  c.default_model = env.Choice("ASCENSION_MODEL");
  c.max_video_seconds = static_cast<double>(env.Integer("MAX_VIDEO_SECONDS"));
  c.max_attempts = static_cast<int>(env.Integer("JOB_MAX_ATTEMPTS"));
  c.shutdown_grace = std::chrono::seconds(env.Integer("SHUTDOWN_GRACE_SECONDS"));
  c.tmp_dir = env.String("WORKER_TMP_DIR");
  c.default_language = *domain::ParseLanguage(env.Choice("DEFAULT_LANGUAGE"));
  // The connection URL is checked here, once: an unsupported one (amqps://) stops the process
  // at start with one line, instead of pipelines that never consume.
  if (env.ok()) {
    if (auto url = amqp::ParseUrl(c.common.rabbitmq_url); !url.ok())
      env.Fail("RABBITMQ_URL: " + url.status().message());
  }
  return c;
}

WorkerConfig ReadWorkerConfig() {
  EnvReader env;
  WorkerConfig c = ReadWorkerConfig(env);
  env.ExitOnError("ascension-worker");
  return c;
}

}  // namespace ascension::worker
