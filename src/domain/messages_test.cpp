#include "domain/messages.hpp"

#include <gtest/gtest.h>

namespace ascension::domain {
namespace {

const char* kJob =
    R"({"job_id":"j","analysis_id":"a","user_id":"u","video_url":"s3://b/uploads/u/v.mp4",)"
    R"("model":"lite","attempt":2,"created_at":"x","language":"fr","dispatch":3})";

TEST(JobMessage, RoundTrips) {
  auto m = DecodeJob(kJob);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->ObjectKey(), "uploads/u/v.mp4");
  EXPECT_EQ(m->attempt, 2);
  EXPECT_EQ(m->dispatch, 3);
  EXPECT_EQ(m->language, "fr");
  auto again = DecodeJob(EncodeJob(*m));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->analysis_id, "a");
  EXPECT_EQ(again->model, "lite");
  EXPECT_EQ(again->dispatch, 3);
  auto retried = WithAttempt(kJob, 3);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(DecodeJob(*retried)->attempt, 3);
}

// issue 11: a job whose "model" is a number crashed every worker (json::value threw).
TEST(JobMessage, WrongTypesAreErrorsNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  const std::string base = R"("job_id":"j","analysis_id":"a","user_id":"u","video_url":"s3://b/k")";
  for (const Case& c :
       {Case{R"("model":1)", "model"}, Case{R"("language":["fr"])", "language"},
        Case{R"("attempt":"2")", "attempt"}, Case{R"("attempt":0)", "attempt"},
        Case{R"("attempt":2.5)", "attempt"}, Case{R"("dispatch":-1)", "dispatch"},
        Case{R"("attempt":18446744073709551615)", "attempt"},
        Case{R"("created_at":{})", "created_at"}, Case{R"("model":"huge")", "model"},
        Case{R"("language":"de")", "language"}}) {
    std::string body = "{" + base + "," + c.body + "}";
    auto m = DecodeJob(body);
    ASSERT_FALSE(m.ok()) << body;
    EXPECT_EQ(m.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(m.status().message().find(c.field), std::string::npos) << m.status().message();
  }
  for (const char* body :
       {"", "null", "[]", "\"job\"", "{\"job_id\":", "{}",
        R"({"job_id":"j","analysis_id":"a","user_id":"u","video_url":"s3://b/"})"}) {
    EXPECT_FALSE(DecodeJob(body).ok()) << body;
  }
}

TEST(JobEvent, RoundTripsEachKind) {
  JobEvent e;
  e.kind = EventKind::kFailed;
  e.job_id = "j";
  e.analysis_id = "a";
  e.user_id = "u";
  e.error_code = "not_a_video";
  e.message = "no";
  EXPECT_EQ(EventRoutingKey(e), "skeleton.failed.j");
  auto d = DecodeEvent(EventRoutingKey(e), EncodeEvent(e));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->kind, EventKind::kFailed);
  EXPECT_EQ(d->error_code, "not_a_video");
  e.kind = EventKind::kProgress;
  e.progress = 42;
  e.stage = "pose_estimation";
  d = DecodeEvent(EventRoutingKey(e), EncodeEvent(e));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->progress, 42);
  EXPECT_EQ(d->stage, "pose_estimation");
}

// issue 11: an event with "progress":"50" crashed every API instance.
TEST(JobEvent, WrongTypesAreErrorsNamingTheField) {
  struct Case {
    const char* key;
    const char* body;
    const char* field;
  };
  for (const Case& c :
       {Case{"skeleton.progress.j", R"({"user_id":"u","progress":"50"})", "progress"},
        Case{"skeleton.progress.j", R"({"user_id":"u","progress":500})", "progress"},
        Case{"skeleton.progress.j", R"({"user_id":"u","stage":7})", "stage"},
        Case{"skeleton.failed.j", R"({"user_id":"u","error_code":false})", "error_code"},
        Case{"skeleton.completed.j", R"({"user_id":42})", "user_id"},
        Case{"skeleton.completed.j", R"({"analysis_id":"a"})", "user_id"},
        Case{"skeleton.completed.j", R"({"user_id":"u","processing_time_ms":"9"})",
             "processing_time_ms"},
        Case{"other.key", R"({"user_id":"u"})", "routing key"}}) {
    auto e = DecodeEvent(c.key, c.body);
    ASSERT_FALSE(e.ok()) << c.body;
    EXPECT_NE(e.status().message().find(c.field), std::string::npos) << e.status().message();
  }
  EXPECT_FALSE(DecodeEvent("skeleton.progress.j", "not json").ok());
  EXPECT_FALSE(DecodeEvent("skeleton.progress.j", "[1]").ok());
}

}  // namespace
}  // namespace ascension::domain
