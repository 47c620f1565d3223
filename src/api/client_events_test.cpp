#include "api/client_events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ascension::api {
namespace {

using nlohmann::json;

TEST(TranslateEvent, ProgressCompletedAndFailedInTheDocumentedShape) {
  auto p = TranslateEvent(
      "skeleton.progress.j1",
      R"({"analysis_id":"a1","user_id":"u1","progress":42,"stage":"pose_estimation"})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user_id, "u1");
  EXPECT_EQ(
      json::parse(p->message),
      json::parse(
          R"({"event":"analysis:progress","data":{"analysis_id":"a1","progress":42,"stage":"pose_estimation"}})"));
  auto c = TranslateEvent("skeleton.completed.j1", R"({"analysis_id":"a1","user_id":"u1"})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(json::parse(c->message)["event"], "analysis:completed");
  auto f = TranslateEvent("skeleton.failed.j1",
                          R"({"analysis_id":"a1","user_id":"u1","error_code":"no_climber"})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(json::parse(f->message)["data"]["error_code"], "no_climber");
  EXPECT_EQ(json::parse(f->message)["data"]["message"], "");
}

// Found by fuzz/client_event, and the reproduction of issue 11: a member of the wrong type threw
// out of the events forwarder and aborted every API instance. It is a refusal naming the field.
TEST(TranslateEvent, MembersOfTheWrongTypeAreRefusedNotThrown) {
  struct Case {
    const char* key;
    const char* body;
  };
  for (Case c :
       {Case{"skeleton.progress.j", R"({"user_id":"u","progress":"50"})"},
        Case{"skeleton.progress.j", R"({"user_id":"u","stage":7})"},
        Case{"skeleton.progress.j", R"({"user_id":"u","analysis_id":{"x":1}})"},
        Case{"skeleton.failed.j", R"({"user_id":"u","error_code":["no_climber"]})"},
        Case{"skeleton.failed.j", R"({"user_id":"u","message":false})"},
        Case{"skeleton.completed.j", R"({"user_id":""})"},
        Case{"skeleton.completed.j", R"({"user_id":5})"},
        Case{"route.detected.r", R"({"user_id":"u"})"}, Case{"skeleton.progress.j", "not json"}}) {
    Result<ClientEvent> e = Internal("not translated");
    ASSERT_NO_THROW(e = TranslateEvent(c.key, c.body)) << c.body;
    EXPECT_FALSE(e.ok()) << c.body;
    EXPECT_EQ(e.status().kind(), ErrorKind::kInvalidArgument) << c.body;
  }
}

TEST(TranslateEvent, TextThatIsNotUtf8IsRefusedNotThrown) {
  std::string body = "{\"user_id\":\"u\",\"stage\":\"\xff\xfe\"}";
  Result<ClientEvent> e = Internal("not translated");
  ASSERT_NO_THROW(e = TranslateEvent("skeleton.progress.j", body));
  EXPECT_FALSE(e.ok());
}

}  // namespace
}  // namespace ascension::api
