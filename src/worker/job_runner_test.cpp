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

// Found by fuzz/job_message (issue 11): an optional field of the wrong type threw out of ParseJob
// and aborted the worker; it is a refusal naming the field (the worker dead-letters the job).
TEST(ParseJob, OptionalFieldsOfTheWrongTypeAreRefusedNotThrown) {
  const std::string base =
      R"({"job_id":"j","analysis_id":"a","user_id":"u","video_url":"s3://b/k",)";
  for (const char* field :
       {R"("model":1})", R"("language":1e308})", R"("model":["lite"]})", R"("attempt":"2"})",
        R"("attempt":-5})", R"("attempt":1.5})", R"("attempt":99999999999})"}) {
    Result<Job> j = Internal("not parsed");
    ASSERT_NO_THROW(j = ParseJob(base + field)) << field;
    ASSERT_FALSE(j.ok()) << field;
    EXPECT_EQ(j.status().kind(), ErrorKind::kInvalidArgument) << field;
  }
  auto null_model = ParseJob(base + R"("model":null})");
  ASSERT_TRUE(null_model.ok());
  EXPECT_EQ(null_model->model, "heavy");
}

}  // namespace
}  // namespace ascension::worker
