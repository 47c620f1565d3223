#include "worker/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "common/testing/env.hpp"

namespace ascension::worker {
namespace {

void MinimalEnv() {
  testenv::MinimalSettingsEnv({{"ASCENSION_MODELS_DIR", "/models"}});
}

TEST(WorkerConfig, DefaultsAreTheSettingsTables) {
  MinimalEnv();
  EnvReader env;
  WorkerConfig c = ReadWorkerConfig(env);
  ASSERT_TRUE(env.ok()) << *env.error();
  WorkerConfig d;
  EXPECT_EQ(c.concurrency, 1);
  // One job alone uses every core the process may use.
  EXPECT_EQ(c.threads_per_job, UsableCores());
  EXPECT_EQ(c.metrics_port, d.metrics_port);
  EXPECT_EQ(c.default_model, d.default_model);
  EXPECT_EQ(c.max_video_seconds, d.max_video_seconds);
  EXPECT_EQ(c.max_video_bytes, d.max_video_bytes);
  EXPECT_EQ(c.max_route_photo_bytes, d.max_route_photo_bytes);
  EXPECT_EQ(c.max_attempts, d.max_attempts);
  EXPECT_EQ(c.shutdown_grace, d.shutdown_grace);
  EXPECT_EQ(c.tmp_dir, d.tmp_dir);
  EXPECT_EQ(c.models_dir, "/models");
}

TEST(WorkerConfig, ConcurrentJobsShareTheCores) {
  MinimalEnv();
  setenv("WORKER_CONCURRENCY", "4", 1);
  EnvReader env;
  WorkerConfig c = ReadWorkerConfig(env);
  ASSERT_TRUE(env.ok()) << *env.error();
  EXPECT_EQ(c.concurrency, 4);
  EXPECT_EQ(c.threads_per_job, std::max(1, UsableCores() / 4));
  setenv("WORKER_THREADS_PER_JOB", "3", 1);
  EnvReader explicit_env;
  EXPECT_EQ(ReadWorkerConfig(explicit_env).threads_per_job, 3);
  setenv("WORKER_THREADS_PER_JOB", "-1", 1);
  EnvReader bad;
  ReadWorkerConfig(bad);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error().value_or("").find("WORKER_THREADS_PER_JOB"), std::string::npos);
  unsetenv("WORKER_THREADS_PER_JOB");
  unsetenv("WORKER_CONCURRENCY");
}

TEST(WorkerConfig, MissingModelsDirAndBadModelAreNamed) {
  MinimalEnv();
  unsetenv("ASCENSION_MODELS_DIR");
  EnvReader env;
  ReadWorkerConfig(env);
  EXPECT_EQ(env.error().value_or(""), "ASCENSION_MODELS_DIR is not set");
  MinimalEnv();
  setenv("ASCENSION_MODEL", "giant", 1);
  EnvReader bad;
  ReadWorkerConfig(bad);
  EXPECT_EQ(bad.error().value_or("").rfind("ASCENSION_MODEL must be one of", 0), 0u);
  unsetenv("ASCENSION_MODEL");
}

TEST(WorkerConfig, AnUnsupportedBrokerUrlStopsTheStartWithOneLine) {
  MinimalEnv();
  setenv("RABBITMQ_URL", "amqps://u:p@broker:5671/%2F", 1);
  EnvReader env;
  ReadWorkerConfig(env);
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.error()->find("amqps is not supported"), std::string::npos) << *env.error();
  setenv("RABBITMQ_URL", "amqp://u:p@127.0.0.1:5672/%2F", 1);
}

// With its own storage credential the worker needs no owner's key in its environment; with
// neither it stops at start naming the setting.
TEST(WorkerConfig, TheOwnersKeyIsNeededOnlyWithoutTheWorkersOwnCredential) {
  MinimalEnv();
  unsetenv("MINIO_ROOT_USER");
  unsetenv("MINIO_ROOT_PASSWORD");
  setenv("S3_WORKER_ACCESS_KEY", "worker-ak", 1);
  setenv("S3_WORKER_SECRET_KEY", "worker-sk", 1);
  EnvReader own;
  WorkerConfig c = ReadWorkerConfig(own);
  EXPECT_TRUE(own.ok()) << own.error().value_or("");
  EXPECT_TRUE(c.common.s3_access_key.empty());
  unsetenv("S3_WORKER_ACCESS_KEY");
  unsetenv("S3_WORKER_SECRET_KEY");
  EnvReader neither;
  ReadWorkerConfig(neither);
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(
      *neither.error(),
      "S3_WORKER_ACCESS_KEY is not set, nor MINIO_ROOT_USER (the worker's storage credential)");
}

}  // namespace
}  // namespace ascension::worker
