// The worker process's configuration: every setting it reads (settings.hpp), read and checked in
// ReadWorkerConfig and nowhere else.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/config.hpp"
#include "domain/language.hpp"

namespace ascension::worker {

struct WorkerConfig {
  CommonConfig common;
  int concurrency = 1;
  // Threads of one analysis (segments of the video analysed at once): by default the cores the
  // process may use divided between its concurrent jobs, so one job alone uses every core.
  int threads_per_job = 1;
  int metrics_port = 9101;
  std::string models_dir;
  std::string default_model = "heavy";
  double max_video_seconds = 600;
  std::int64_t max_video_bytes = 524288000;       // a larger object is not downloaded
  std::int64_t max_route_photo_bytes = 26214400;  // MAX_ROUTE_PHOTO_BYTES: not downloaded past it
  int max_attempts = 3;
  std::chrono::seconds shutdown_grace{30};
  std::string tmp_dir = "/tmp";
  // Hints of jobs whose message names no language.
  domain::Language default_language = domain::Language::kFr;
};

// The cores this process may use (its CPU affinity), at least 1.
int UsableCores();

// Reads WorkerConfig from the environment; the first problem is in env.error().
WorkerConfig ReadWorkerConfig(EnvReader& env);
// Reads it, or prints one line and exits with status 2.
WorkerConfig ReadWorkerConfig();

}  // namespace ascension::worker
