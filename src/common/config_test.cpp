#include "common/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/testing/env.hpp"

namespace ascension {
namespace {

void SetValidEnv() {
  testenv::MinimalSettingsEnv();
}

TEST(Config, ValidEnvironmentReads) {
  SetValidEnv();
  EnvReader env;
  auto c = ReadCommonConfig(env);
  EXPECT_TRUE(env.ok()) << env.error().value_or("");
  EXPECT_EQ(c.s3_bucket, "ascension");
  EXPECT_EQ(c.log_level, "info");
}

TEST(Config, MissingValueNamesIt) {
  SetValidEnv();
  unsetenv("MINIO_BUCKET");
  EnvReader env;
  ReadCommonConfig(env);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(*env.error(), "MINIO_BUCKET is not set");
}

TEST(Config, MalformedValuesNamed) {
  struct Case { const char* name; const char* value; };
  for (Case c : {Case{"DATABASE_URL", "mysql://x"}, Case{"RABBITMQ_URL", "http://x"},
                 Case{"MINIO_ENDPOINT", "127.0.0.1:7480"}, Case{"MINIO_BUCKET", "Bad_Bucket"},
                 Case{"LOG_LEVEL", "loud"}}) {
    SetValidEnv();
    setenv(c.name, c.value, 1);
    EnvReader env;
    ReadCommonConfig(env);
    ASSERT_FALSE(env.ok()) << c.name;
    EXPECT_EQ(env.error()->rfind(c.name, 0), 0u) << *env.error();
  }
}

// Each confined storage credential is a pair: both halves or neither (then the owner's is used).
TEST(Config, StorageCredentialsAreReadAsPairs) {
  SetValidEnv();
  setenv("S3_API_ACCESS_KEY", "api-ak", 1);
  setenv("S3_API_SECRET_KEY", "api-sk", 1);
  setenv("S3_WORKER_ACCESS_KEY", "worker-ak", 1);
  setenv("S3_WORKER_SECRET_KEY", "worker-sk", 1);
  EnvReader env;
  auto c = ReadCommonConfig(env);
  ASSERT_TRUE(env.ok()) << *env.error();
  EXPECT_EQ(c.s3_access_key, "ak");
  EXPECT_EQ(c.s3_api_access_key, "api-ak");
  EXPECT_EQ(c.s3_api_secret_key, "api-sk");
  EXPECT_EQ(c.s3_worker_access_key, "worker-ak");
  EXPECT_EQ(c.s3_worker_secret_key, "worker-sk");

  SetValidEnv();
  EnvReader unset;
  auto d = ReadCommonConfig(unset);
  ASSERT_TRUE(unset.ok()) << *unset.error();
  EXPECT_TRUE(d.s3_api_access_key.empty());
  EXPECT_TRUE(d.s3_worker_access_key.empty());

  for (const char* half : {"S3_API_ACCESS_KEY", "S3_API_SECRET_KEY", "S3_WORKER_ACCESS_KEY",
                           "S3_WORKER_SECRET_KEY", "S3_PRESIGN_ACCESS_KEY"}) {
    SetValidEnv();
    setenv(half, "only-one-half", 1);
    EnvReader one;
    ReadCommonConfig(one);
    ASSERT_FALSE(one.ok()) << half;
    const std::string name = half;
    const std::string stem = name.substr(0, name.size() - std::string("_ACCESS_KEY").size());
    EXPECT_EQ(*one.error(), stem + "_ACCESS_KEY and " + stem + "_SECRET_KEY must be set together");
  }
  SetValidEnv();
}

TEST(Config, IntegerRangeChecked) {
  setenv("ASC_TEST_INT", "12x", 1);
  EnvReader env;
  env.Int("ASC_TEST_INT", 1, 0, 100);
  EXPECT_FALSE(env.ok());
  setenv("ASC_TEST_INT", "50", 1);
  EnvReader env2;
  EXPECT_EQ(env2.Int("ASC_TEST_INT", 1, 0, 100), 50);
  EXPECT_TRUE(env2.ok());
}

}  // namespace
}  // namespace ascension
