#include "api/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/testing/env.hpp"

namespace ascension::api {
namespace {

void MinimalEnv() {
  testenv::MinimalSettingsEnv({{"JWT_SECRET", std::string(40, 's')}});
}

// The struct's defaults (used by tests that build an ApiConfig by hand) are the table's.
TEST(ApiConfig, DefaultsAreTheSettingsTables) {
  MinimalEnv();
  EnvReader env;
  ApiConfig c = ReadApiConfig(env);
  ASSERT_TRUE(env.ok()) << *env.error();
  ApiConfig d;
  EXPECT_EQ(c.bind_address, d.bind_address);
  EXPECT_EQ(c.port, d.port);
  EXPECT_EQ(c.db_pool_size, d.db_pool_size);
  EXPECT_EQ(c.rate_limit_per_minute, d.rate_limit_per_minute);
  EXPECT_EQ(c.login_limit_per_minute, d.login_limit_per_minute);
  EXPECT_EQ(c.ready_limit_per_minute, d.ready_limit_per_minute);
  EXPECT_EQ(c.ready_limit_per_minute, 600);
  EXPECT_EQ(c.max_video_bytes, d.max_video_bytes);
  EXPECT_EQ(c.max_route_photo_bytes, d.max_route_photo_bytes);
  EXPECT_EQ(c.max_body_bytes, d.max_body_bytes);
  EXPECT_EQ(c.video_retention, d.video_retention);
  EXPECT_EQ(c.sweep_interval, d.sweep_interval);
  EXPECT_EQ(c.reaper_timeout, d.reaper_timeout);
  EXPECT_EQ(c.reaper_max_requeues, d.reaper_max_requeues);
  EXPECT_EQ(c.max_video_seconds, d.max_video_seconds);
  EXPECT_EQ(c.max_video_seconds, 600) << "the mobile app's picker allows 10 minutes";
  EXPECT_EQ(c.storage_usage_interval, d.storage_usage_interval);
  EXPECT_FALSE(c.instance_id.empty());
}

TEST(ApiConfig, ShortSecretIsRefusedByName) {
  MinimalEnv();
  setenv("JWT_SECRET", "short", 1);
  EnvReader env;
  ReadApiConfig(env);
  EXPECT_EQ(env.error().value_or(""), "JWT_SECRET must be at least 32 characters");
}

// issue 11: amqps:// passed the check, the URL parser then refused it and the loops exited.
TEST(ApiConfig, AnUnsupportedBrokerUrlStopsTheStartWithOneLine) {
  MinimalEnv();
  setenv("RABBITMQ_URL", "amqps://u:p@broker:5671/%2F", 1);
  EnvReader env;
  ReadApiConfig(env);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error()->rfind("RABBITMQ_URL", 0), 0u) << *env.error();
  EXPECT_NE(env.error()->find("amqps is not supported"), std::string::npos) << *env.error();
  EXPECT_EQ(env.error()->find('\n'), std::string::npos);
  setenv("RABBITMQ_URL", "amqp://u:p@127.0.0.1:5672/%2F", 1);
}

// With its own storage credential the API needs no owner's key in its environment; with
// neither it stops at start naming the setting.
TEST(ApiConfig, TheOwnersKeyIsNeededOnlyWithoutTheApisOwnCredential) {
  MinimalEnv();
  unsetenv("MINIO_ROOT_USER");
  unsetenv("MINIO_ROOT_PASSWORD");
  setenv("S3_API_ACCESS_KEY", "api-ak", 1);
  setenv("S3_API_SECRET_KEY", "api-sk", 1);
  EnvReader own;
  ApiConfig c = ReadApiConfig(own);
  EXPECT_TRUE(own.ok()) << own.error().value_or("");
  EXPECT_TRUE(c.common.s3_access_key.empty());
  unsetenv("S3_API_ACCESS_KEY");
  unsetenv("S3_API_SECRET_KEY");
  EnvReader neither;
  ReadApiConfig(neither);
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(*neither.error(),
            "S3_API_ACCESS_KEY is not set, nor MINIO_ROOT_USER (the API's storage credential)");
}

}  // namespace
}  // namespace ascension::api
