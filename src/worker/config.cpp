#include "worker/config.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>

#include "adapters/amqp/url.hpp"

namespace ascension::worker {

int UsableCores() {
  // The CPUs this process may run on (a cpuset or taskset narrows them), else the online ones.
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

WorkerConfig ReadWorkerConfig(EnvReader& env) {
  WorkerConfig c;
  c.common = ReadCommonConfig(env);
  if (env.ok() && c.common.s3_worker_access_key.empty() && c.common.s3_access_key.empty())
    env.Fail(
        "S3_WORKER_ACCESS_KEY is not set, nor MINIO_ROOT_USER (the worker's storage credential)");
  c.concurrency = static_cast<int>(env.Integer("WORKER_CONCURRENCY"));
  const int cores = UsableCores();
  c.threads_per_job = static_cast<int>(env.Integer("WORKER_THREADS_PER_JOB"));
  if (c.threads_per_job == 0) c.threads_per_job = std::max(1, cores / std::max(1, c.concurrency));
  c.metrics_port = static_cast<int>(env.Integer("WORKER_METRICS_PORT"));
  c.models_dir = env.String("ASCENSION_MODELS_DIR");
  if (env.ok() && c.models_dir.empty()) env.Fail("ASCENSION_MODELS_DIR is not set");
  c.default_model = env.Choice("ASCENSION_MODEL");
  c.max_video_seconds = static_cast<double>(env.Integer("MAX_VIDEO_SECONDS"));
  c.max_video_bytes = env.Integer("MAX_VIDEO_BYTES");
  c.max_route_photo_bytes = env.Integer("MAX_ROUTE_PHOTO_BYTES");
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
