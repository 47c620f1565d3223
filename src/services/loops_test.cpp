// The outbox relay and the events forwarder over fakes: what one event or one batch becomes,
// and the rounds of their background loops (backoff, reconnect, health, counts).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/events_forwarder.hpp"
#include "services/outbox_relay.hpp"
#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

using std::chrono::milliseconds;

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

// A round that cannot publish leaves the row for the next round, says so (its delay grows with
// each failure in a row, the failures are counted) and nothing is reported as published; once
// the broker is back the row goes out, the backlog drains at once and the delays start over.
TEST(OutboxRelay, ARoundThatCannotPublishLeavesTheRowForTheNextAndBacksOff) {
  testing::FakeDatabase db;
  testing::FakeOutboxRepository outbox(db);
  testing::FakeJobPublisher broker;
  db.outbox.push_back({db.next_outbox_id++, "", "vision.skeleton", "{}", 1, {}});
  std::vector<int> backlogs;
  int published = 0;
  OutboxRelay relay(outbox, broker, 100,
                    {.backlog = [&](int n) { backlogs.push_back(n); },
                     .published = [&](int n) { published += n; }});
  broker.SetFailure(Unavailable("rabbitmq down"));
  EXPECT_EQ(relay.Round(), milliseconds(250));
  EXPECT_EQ(relay.Round(), milliseconds(500));
  EXPECT_EQ(relay.Round(), milliseconds(1000));
  EXPECT_EQ(relay.consecutive_failures(), 3);
  ASSERT_EQ(db.outbox.size(), 1u) << "an unconfirmed message stays unsent";
  EXPECT_TRUE(db.sent.empty());
  EXPECT_EQ(published, 0);
  EXPECT_EQ(backlogs, (std::vector<int>{1, 1, 1}));

  broker.SetFailure(std::nullopt);
  db.outbox.push_back({db.next_outbox_id++, "", "vision.skeleton", "{}", 1, {}});
  EXPECT_EQ(relay.Round(), milliseconds(0)) << "a batch sent: the backlog drains before sleeping";
  EXPECT_EQ(relay.consecutive_failures(), 0);
  EXPECT_EQ(published, 2);
  ASSERT_EQ(broker.published().size(), 2u);
  EXPECT_EQ(broker.published()[0].id, 1);
  EXPECT_EQ(backlogs.back(), 0);
  EXPECT_EQ(relay.Round(), milliseconds(200)) << "nothing to send: the idle wait";
  EXPECT_EQ(published, 2);

  broker.SetFailure(Unavailable("rabbitmq down again"));
  db.outbox.push_back({db.next_outbox_id++, "", "vision.skeleton", "{}", 1, {}});
  EXPECT_EQ(relay.Round(), milliseconds(250)) << "the backoff starts over after a success";
}

// The delay doubles up to 30 s and stays there however long the broker is down; a database
// outage is a failed round like a broker outage (the backlog cannot be counted either).
TEST(OutboxRelay, TheBackoffStopsGrowingAtThirtySeconds) {
  testing::FakeDatabase db;
  testing::FakeOutboxRepository outbox(db);
  testing::FakeJobPublisher broker;
  db.outbox.push_back({db.next_outbox_id++, "", "vision.skeleton", "{}", 1, {}});
  int backlogs = 0;
  OutboxRelay relay(outbox, broker, 100, {.backlog = [&](int) { ++backlogs; }, .published = {}});
  broker.SetFailure(Unavailable("rabbitmq down"));
  std::vector<milliseconds> delays;
  for (int i = 0; i < 12; ++i) delays.push_back(relay.Round());
  std::vector<milliseconds> expected = {
      milliseconds(250),   milliseconds(500),   milliseconds(1000),  milliseconds(2000),
      milliseconds(4000),  milliseconds(8000),  milliseconds(16000), milliseconds(30000),
      milliseconds(30000), milliseconds(30000), milliseconds(30000), milliseconds(30000)};
  EXPECT_EQ(delays, expected);
  EXPECT_EQ(relay.consecutive_failures(), 12);
  EXPECT_EQ(backlogs, 12);

  broker.SetFailure(std::nullopt);
  db.outage = Unavailable("postgres down");
  EXPECT_EQ(relay.Round(), milliseconds(30000));
  EXPECT_EQ(backlogs, 12) << "no backlog is reported when it cannot be counted";
  db.outage.reset();
  EXPECT_EQ(relay.Round(), milliseconds(0));
  EXPECT_EQ(broker.published().size(), 1u);
}

struct ForwarderProbe {
  std::vector<bool> consuming;
  int forwarded = 0;
  int dropped = 0;
  ForwarderObserver Observer() {
    return {.consuming = [this](bool c) { consuming.push_back(c); },
            .forwarded = [this](int n) { forwarded += n; },
            .dropped = [this] { ++dropped; }};
  }
};

// A malformed event is dropped and counted, the valid one after it reaches the owner's
// connection and is counted as forwarded; the loop says it consumes while subscribed, and when
// the subscription is lost it stops saying so and comes back soon.
TEST(EventsForwarderLoop, DropsAndCountsAMalformedEventAndDeliversAValidOne) {
  testing::FakeNotifier hub;
  hub.online = {"owner"};
  EventsForwarder forwarder(hub);
  testing::FakeEventSource bus;
  bus.scripts.push_back(
      {.events = {{"skeleton.progress.j", R"({"user_id":"owner","progress":"50"})"},
                  {"skeleton.completed.j", R"({"user_id":"owner","analysis_id":"a"})"},
                  {"skeleton.progress.j", R"({"user_id":"nobody","analysis_id":"a",)"
                                          R"("progress":5,"stage":"decoding"})"}}});
  ForwarderProbe probe;
  EventsForwarderLoop loop(bus, forwarder, probe.Observer());
  Stopper stopper;
  Wakeup wakeup(stopper);
  EXPECT_EQ(loop.Round(wakeup), milliseconds(250)) << "a lost subscription is renewed soon";
  EXPECT_EQ(bus.subscriptions, 1);
  EXPECT_EQ(probe.dropped, 1);
  EXPECT_EQ(probe.forwarded, 1) << "an event nobody listens to is not counted as forwarded";
  EXPECT_EQ(forwarder.dropped(), 1);
  ASSERT_EQ(hub.sent["owner"].size(), 1u);
  auto completed = nlohmann::json::parse(hub.sent["owner"][0]);
  EXPECT_EQ(completed["event"], "analysis:completed");
  EXPECT_EQ(completed["data"]["analysis_id"], "a");
  EXPECT_EQ(probe.consuming, (std::vector<bool>{true, false}));
}

// A refused subscription (bad credentials, a queue that cannot be declared) is not consuming and
// is tried again a second later; the next round subscribes and forwards.
TEST(EventsForwarderLoop, ARefusedSubscriptionIsNotConsumingAndIsTriedAgain) {
  testing::FakeNotifier hub;
  hub.online = {"owner"};
  EventsForwarder forwarder(hub);
  testing::FakeEventSource bus;
  bus.refusal = PermissionDenied("ACCESS_REFUSED");
  ForwarderProbe probe;
  EventsForwarderLoop loop(bus, forwarder, probe.Observer());
  Stopper stopper;
  Wakeup wakeup(stopper);
  EXPECT_EQ(loop.Round(wakeup), milliseconds(1000));
  EXPECT_EQ(probe.consuming, (std::vector<bool>{false}));
  EXPECT_EQ(bus.subscriptions, 0);

  bus.refusal.reset();
  bus.scripts.push_back(
      {.events = {{"holds.detected.r",
                   R"({"user_id":"owner","route_id":"r","job_id":"j","hold_count":3})"}}});
  EXPECT_EQ(loop.Round(wakeup), milliseconds(250));
  EXPECT_EQ(bus.subscriptions, 1);
  EXPECT_EQ(probe.forwarded, 1);
  ASSERT_EQ(hub.sent["owner"].size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(hub.sent["owner"][0])["event"], "route:detected");
  EXPECT_EQ(probe.consuming, (std::vector<bool>{false, true, false}));
}

// Stopping the process ends a consuming round at once with no further wait, and a round that
// could not subscribe because it was stopped does not wait either.
TEST(EventsForwarderLoop, EndsItsRoundWhenTheProcessStops) {
  testing::FakeNotifier hub;
  hub.online = {"owner"};
  EventsForwarder forwarder(hub);
  testing::FakeEventSource bus;
  Stopper stopper;
  Wakeup wakeup(stopper);
  bus.scripts.push_back(
      {.events = {{"ghost.ready.r",
                   R"({"user_id":"owner","route_id":"r","job_id":"j","beta_found":true})"}}});
  bus.drained = [&] { stopper.Stop(); };
  ForwarderProbe probe;
  EventsForwarderLoop loop(bus, forwarder, probe.Observer());
  EXPECT_EQ(loop.Round(wakeup), milliseconds(0));
  EXPECT_EQ(probe.forwarded, 1);
  EXPECT_EQ(probe.consuming, (std::vector<bool>{true, false}));

  bus.refusal = Unavailable("stopped while connecting");
  EXPECT_EQ(loop.Round(wakeup), milliseconds(0));
}

}  // namespace
}  // namespace ascension::services
