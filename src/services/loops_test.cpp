// The outbox relay and the events forwarder over fakes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/events_forwarder.hpp"
#include "services/outbox_relay.hpp"
#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

TEST(OutboxRelay, MarksSentOnlyWhatTheBrokerConfirmed) {
  testing::FakeDatabase db;
  testing::FakeOutboxRepository outbox(db);
  testing::FakeJobPublisher broker;
  for (int i = 0; i < 3; ++i)
    db.outbox.push_back({db.next_outbox_id++, "", "vision.skeleton", "{}", 1, {}});
  OutboxRelay relay(outbox, broker, 2);
  broker.SetFailure(Unavailable("rabbitmq down"));
  EXPECT_EQ(relay.RunOnce().status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(*relay.Backlog(), 3);
  broker.SetFailure(std::nullopt);
  EXPECT_EQ(*relay.RunOnce(), 2);
  EXPECT_EQ(*relay.RunOnce(), 1);
  EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(broker.published().size(), 3u);
  EXPECT_EQ(broker.published()[0].id, 1);  // in order
}

TEST(EventsForwarder, DeliversToTheOwnerInTheAppsShape) {
  testing::FakeNotifier hub;
  hub.online = {"owner"};
  EventsForwarder f(hub);
  EXPECT_EQ(
      f.Forward("skeleton.progress.j",
                R"({"user_id":"owner","analysis_id":"a","progress":42,"stage":"pose_estimation"})"),
      1);
  EXPECT_EQ(
      f.Forward(
          "skeleton.failed.j",
          R"({"user_id":"owner","analysis_id":"a","error_code":"not_a_video","message":"m"})"),
      1);
  ASSERT_EQ(hub.sent["owner"].size(), 2u);
  auto p = nlohmann::json::parse(hub.sent["owner"][0]);
  EXPECT_EQ(p["event"], "analysis:progress");
  EXPECT_EQ(p["data"]["progress"], 42);
  auto failed = nlohmann::json::parse(hub.sent["owner"][1]);
  EXPECT_EQ(failed["event"], "analysis:failed");
  EXPECT_EQ(failed["data"]["error_code"], "not_a_video");
  EXPECT_EQ(f.delivered(), 2);
}

// issue 11: {"progress":"50"} crashed every API instance. It is dropped and counted.
TEST(EventsForwarder, DropsAndCountsEventsItCannotRead) {
  testing::FakeNotifier hub;
  hub.online = {"owner"};
  EventsForwarder f(hub);
  for (const char* body :
       {R"({"user_id":"owner","progress":"50"})", R"({"user_id":7})", "not json", "[]"})
    EXPECT_EQ(f.Forward("skeleton.progress.j", body), 0) << body;
  EXPECT_EQ(f.Forward("unrelated.key", R"({"user_id":"owner"})"), 0);
  EXPECT_EQ(f.dropped(), 5);
  EXPECT_TRUE(hub.sent["owner"].empty());
  EXPECT_EQ(f.Forward("skeleton.completed.j", R"({"user_id":"owner","analysis_id":"a"})"), 1)
      << "the forwarder must go on after a bad event";
}

// Route detection events (holds.*) reach the route's owner only, in the app's shape; a bad one
// is dropped and counted like a job event.
TEST(EventsForwarder, ForwardsRouteEventsToTheOwnerOnly) {
  testing::FakeNotifier hub;
  hub.online = {"owner", "other"};
  EventsForwarder f(hub);
  EXPECT_EQ(f.Forward("holds.detected.r",
                      R"({"user_id":"owner","route_id":"r","job_id":"j","hold_count":12})"),
            1);
  EXPECT_EQ(f.Forward("holds.failed.r", R"({"user_id":"owner","route_id":"r",)"
                                        R"("error_code":"corrupt_image","message":"m"})"),
            1);
  EXPECT_EQ(f.Forward("holds.progress.r", R"({"user_id":"owner","route_id":"r","progress":"9"})"),
            0);
  EXPECT_EQ(f.Forward("holds.unknown.r", R"({"user_id":"owner","route_id":"r"})"), 0);
  EXPECT_EQ(f.dropped(), 2);
  ASSERT_EQ(hub.sent["owner"].size(), 2u);
  EXPECT_TRUE(hub.sent["other"].empty());
  auto detected = nlohmann::json::parse(hub.sent["owner"][0]);
  EXPECT_EQ(detected["event"], "route:detected");
  EXPECT_EQ(detected["data"]["route_id"], "r");
  EXPECT_EQ(detected["data"]["hold_count"], 12);
  auto failed = nlohmann::json::parse(hub.sent["owner"][1]);
  EXPECT_EQ(failed["event"], "route:failed");
  EXPECT_EQ(failed["data"]["error_code"], "corrupt_image");
}

// Ghost events (ghost.*) reach the route's owner only as ghost:progress|ready|failed; a mistyped
// one is dropped and counted like the others.
TEST(EventsForwarder, ForwardsGhostEventsToTheOwnerOnly) {
  testing::FakeNotifier hub;
  hub.online = {"owner", "other"};
  EventsForwarder f(hub);
  EXPECT_EQ(f.Forward("ghost.progress.r", R"({"user_id":"owner","route_id":"r","job_id":"j",)"
                                          R"("progress":10,"stage":"planning"})"),
            1);
  EXPECT_EQ(f.Forward("ghost.ready.r",
                      R"({"user_id":"owner","route_id":"r","job_id":"j","beta_found":false})"),
            1);
  EXPECT_EQ(f.Forward("ghost.failed.r", R"({"user_id":"owner","route_id":"r",)"
                                        R"("error_code":"invalid_route","message":"m"})"),
            1);
  EXPECT_EQ(f.Forward("ghost.ready.r", R"({"user_id":"owner","route_id":"r","beta_found":"yes"})"),
            0);
  EXPECT_EQ(f.Forward("ghost.progress.r", R"({"user_id":"owner","route_id":"r","progress":"9"})"),
            0);
  EXPECT_EQ(f.Forward("ghost.ready.r", R"({"user_id":"owner"})"), 0);
  EXPECT_EQ(f.Forward("ghost.done.r", R"({"user_id":"owner","route_id":"r"})"), 0);
  EXPECT_EQ(f.dropped(), 4);
  EXPECT_TRUE(hub.sent["other"].empty());
  ASSERT_EQ(hub.sent["owner"].size(), 3u);
  auto progress = nlohmann::json::parse(hub.sent["owner"][0]);
  EXPECT_EQ(progress["event"], "ghost:progress");
  EXPECT_EQ(progress["data"]["route_id"], "r");
  EXPECT_EQ(progress["data"]["stage"], "planning");
  auto ready = nlohmann::json::parse(hub.sent["owner"][1]);
  EXPECT_EQ(ready["event"], "ghost:ready");
  EXPECT_EQ(ready["data"]["status"], "ready");
  EXPECT_EQ(ready["data"]["beta_found"], false);
  auto failed = nlohmann::json::parse(hub.sent["owner"][2]);
  EXPECT_EQ(failed["event"], "ghost:failed");
  EXPECT_EQ(failed["data"]["error_code"], "invalid_route");
  EXPECT_EQ(f.Forward("ghost.ready.r", R"({"user_id":"owner","route_id":"r"})"), 1)
      << "the forwarder must go on after a bad event";
}

}  // namespace
}  // namespace ascension::services
