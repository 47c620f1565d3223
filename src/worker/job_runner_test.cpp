#include "worker/job_runner.hpp"

#include <gtest/gtest.h>

namespace ascension::worker {
namespace {

TEST(ParseJob, ReadsTheDesignMessage) {
  auto j = ParseJob(R"({"job_id":"j","analysis_id":"a","user_id":"u","video_url":"s3://b/uploads/u/v.mp4",
                        "model":"lite","attempt":2,"created_at":"x","language":"fr"})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->analysis_id, "a");
  EXPECT_EQ(j->model, "lite");
  EXPECT_EQ(j->attempt, 2);
  EXPECT_EQ(j->language, "fr");
}

TEST(ParseJob, DefaultsAndRejects) {
  auto j = ParseJob(R"({"job_id":"j","analysis_id":"a","user_id":"u","video_url":"s3://b/k"})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->model, "heavy");
  EXPECT_EQ(j->attempt, 1);
  EXPECT_EQ(j->language, "fr");  // French when the job says nothing
  EXPECT_FALSE(ParseJob("not json").ok());
  EXPECT_FALSE(ParseJob("[]").ok());
  EXPECT_FALSE(ParseJob(R"({"job_id":"j","analysis_id":"a","user_id":"u"})").ok());
  EXPECT_FALSE(ParseJob(R"({"job_id":"j","analysis_id":"a","user_id":"u","video_url":"http://x/y"})").ok());
  EXPECT_FALSE(ParseJob(R"({"job_id":1,"analysis_id":"a","user_id":"u","video_url":"s3://b/k"})").ok());
}

}  // namespace
}  // namespace ascension::worker
