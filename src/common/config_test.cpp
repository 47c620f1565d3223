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
