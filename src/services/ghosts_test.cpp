#include "services/ghosts.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/amqp/topology.hpp"
#include "domain/messages.hpp"
#include "ghost/route_ghost.hpp"
#include "services/routes.hpp"
#include "services/testing/fakes.hpp"
#include "services/testing/ghost_fakes.hpp"
#include "services/testing/route_fakes.hpp"
#include "services/testing/training_fakes.hpp"

namespace ascension::services {
namespace {

using domain::GhostStatus;
using nlohmann::json;

// A 400 x 1000 px photo of 5 m of wall (0.5 cm per pixel): a column of ten large jugs at
// x = 200 px, 45 cm apart from 30 cm up; rung 3 is the start, rung 9 the top. Two blue holds off
// to the right are not selected.
std::vector<domain::RouteHold> Ladder() {
  std::vector<domain::RouteHold> out;
  for (int i = 0; i < 10; ++i) {
    domain::RouteHold h;
    h.id = domain::Uuid::Random();
    h.outline = domain::CircleOutline({200, 1000 - 60 - 90.0 * i}, 22, 12);
    h.colour = "green";
    h.size = "large";
    h.confidence = 0.9;
    h.selected = true;
    if (i == 3) h.role = domain::HoldRole::kStart;
    if (i == 9) h.role = domain::HoldRole::kTop;
    out.push_back(h);
  }
  for (double y : {300.0, 600.0}) {
    domain::RouteHold h;
    h.id = domain::Uuid::Random();
    h.outline = domain::CircleOutline({360, y}, 15, 12);
    h.colour = "blue";
    h.size = "medium";
    h.selected = false;
    out.push_back(h);
  }
  return out;
}

ghost::RouteGhostInputs LadderInputs() {
  ghost::RouteGhostInputs in;
  in.image_width = 400;
  in.image_height = 1000;
  in.holds = Ladder();
  in.profile.height_cm = 178;
  in.scale.wall_height_cm = 500;
  return in;
}

Delivery D(std::string body) {
  Delivery d;
  d.body = std::move(body);
  return d;
}

// ---- the job message ----

TEST(GhostJobCodecTest, RoundTripsAndRefusesHostileBodies) {
  domain::GhostJobMessage m{"j", "r", "u", "abc", 2, 7, "2026-12-01T15:00:00Z"};
  auto back = domain::DecodeGhostJob(domain::EncodeGhostJob(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->route_id, "r");
  EXPECT_EQ(back->fingerprint, "abc");
  EXPECT_EQ(back->attempt, 2);
  EXPECT_EQ(back->dispatch, 7);
  for (const char* bad : {"", "[]", "not json", R"({"job_id":"j","user_id":"u"})",
                          R"({"job_id":"j","route_id":5,"user_id":"u"})",
                          R"({"job_id":"j","route_id":"","user_id":"u"})",
                          R"({"job_id":"j","route_id":"r","user_id":"u","attempt":0})",
                          R"({"job_id":"j","route_id":"r","user_id":"u","dispatch":"1"})",
                          R"({"job_id":"j","route_id":"r","user_id":"u","fingerprint":[1]})"}) {
    auto d = domain::DecodeGhostJob(bad);
    EXPECT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().kind(), ErrorKind::kInvalidArgument) << bad;
  }
  const std::string nul =
      std::string(R"({"job_id":"j","route_id":"r)") + '\0' + R"(","user_id":"u"})";
  EXPECT_FALSE(domain::DecodeGhostJob(nul).ok());
}

// ---- the pure computation ----

TEST(RouteGhostTest, FingerprintFollowsWhatTheGhostDependsOn) {
  const ghost::RouteGhostInputs base = LadderInputs();
  const std::string f = ghost::GhostFingerprint(base);
  EXPECT_EQ(f.size(), 64u);
  EXPECT_EQ(ghost::GhostFingerprint(base), f);

  auto changed = [&](auto change) {
    ghost::RouteGhostInputs in = base;
    change(in);
    return ghost::GhostFingerprint(in) != f;
  };
  // What the ghost depends on.
  EXPECT_TRUE(changed([](auto& in) { in.holds[4].outline[0].x += 3; }));
  EXPECT_TRUE(changed([](auto& in) { in.holds[4].selected = false; }));
  EXPECT_TRUE(changed([](auto& in) { in.holds[10].selected = true; }));
  EXPECT_TRUE(changed([](auto& in) { in.holds[4].size = "small"; }));
  EXPECT_TRUE(changed([](auto& in) { in.holds[4].role = domain::HoldRole::kFoot; }));
  EXPECT_TRUE(changed([](auto& in) { in.profile.height_cm = 160; }));
  EXPECT_TRUE(changed([](auto& in) { in.profile.arm_span_cm = 185; }));
  EXPECT_TRUE(changed([](auto& in) { in.profile.limbs[0] = domain::LimbCondition::kInjured; }));
  EXPECT_TRUE(changed([](auto& in) { in.scale.wall_height_cm = 450; }));
  EXPECT_TRUE(changed([](auto& in) { in.image_width = 401; }));
  EXPECT_TRUE(changed([](auto& in) { in.skeleton_height_px = 300; }));
  // What it does not.
  EXPECT_FALSE(changed([](auto& in) { in.holds[10].outline[0].x += 30; }));  // not selected
  EXPECT_FALSE(changed([](auto& in) { in.holds[4].colour = "red"; }));
  EXPECT_FALSE(changed([](auto& in) { in.holds[4].confidence = 0.2; }));
  EXPECT_FALSE(changed([](auto& in) { in.profile.weight_kg = 70; }));
  EXPECT_FALSE(changed([](auto& in) { in.profile.dominant_hand = domain::Hand::kLeft; }));
  EXPECT_FALSE(changed([](auto& in) { std::reverse(in.holds.begin(), in.holds.end()); }));
}

TEST(RouteGhostTest, FingerprintFollowsTheHoldsTheScaleIsMeasuredOn) {
  ghost::RouteGhostInputs base = LadderInputs();
  base.scale = {};
  base.scale.distance = domain::GhostHoldDistance{base.holds[10].id, base.holds[4].id, 135};
  const std::string f = ghost::GhostFingerprint(base);
  auto changed = [&](const ghost::RouteGhostInputs& from, auto change) {
    ghost::RouteGhostInputs in = from;
    change(in);
    return ghost::GhostFingerprint(in) != ghost::GhostFingerprint(from);
  };
  // A distance: its number, its holds, where they are (an unselected one too).
  EXPECT_TRUE(changed(base, [](auto& in) { in.scale.distance->distance_cm = 140; }));
  EXPECT_TRUE(changed(base, [&](auto& in) { in.scale.distance->hold_b = in.holds[5].id; }));
  EXPECT_TRUE(changed(base, [](auto& in) { in.holds[10].outline[0].y += 20; }));
  EXPECT_FALSE(changed(base, [](auto& in) { in.holds[11].outline[0].y += 20; }));
  EXPECT_TRUE(changed(base, [](auto& in) { in.scale = {}; }));
  EXPECT_TRUE(changed(base, [](auto& in) {
    in.scale = {};
    in.scale.wall_height_cm = 500;
  }));
  // No scale and no skeleton: the holds' sizes, all of them, give it.
  ghost::RouteGhostInputs sizes = LadderInputs();
  sizes.scale = {};
  EXPECT_TRUE(changed(sizes, [](auto& in) { in.holds[11].outline[0].y += 20; }));
  EXPECT_TRUE(changed(sizes, [](auto& in) { in.holds[11].size = "small"; }));
  sizes.skeleton_height_px = 356;
  EXPECT_FALSE(changed(sizes, [](auto& in) { in.holds[11].outline[0].y += 20; }));
}

TEST(RouteGhostTest, TheScaleComesFromTheSkeletonThenTheUserThenTheHoldSizes) {
  struct Case {
    const char* what;
    std::function<void(ghost::RouteGhostInputs&)> set;
    const char* source;
    double metres_per_pixel;  // 0: not checked
    double min_confidence, max_confidence;
  };
  const std::vector<Case> cases = {
      {"the climber's skeleton with their height, before a wall height",
       [](auto& in) { in.skeleton_height_px = 356; }, "climber_skeleton", 0.005, 0.8, 0.8},
      {"the wall height", [](auto& in) { in.scale.wall_height_cm = 400; }, "wall_height", 0.004,
       0.6, 0.6},
      {"a distance between two holds 90 px apart",
       [](auto& in) {
         in.scale = {};
         in.scale.distance = domain::GhostHoldDistance{in.holds[4].id, in.holds[5].id, 36};
       },
       "user_distance", 0.004, 0.85, 0.9},
      {"the user's scale before a skeleton with a default height",
       [](auto& in) {
         in.profile.height_cm.reset();
         in.skeleton_height_px = 350;
         in.scale.wall_height_cm = 400;
       },
       "wall_height", 0.004, 0.6, 0.6},
      {"a skeleton with a default height before the holds' sizes",
       [](auto& in) {
         in.profile.height_cm.reset();
         in.skeleton_height_px = 350;
         in.scale = {};
       },
       "climber_skeleton", 0.005, 0.45, 0.45},
      {"the holds' sizes", [](auto& in) { in.scale = {}; }, "hold_sizes", 0, 0.05, 0.35},
  };
  for (const Case& c : cases) {
    ghost::RouteGhostInputs in = LadderInputs();
    c.set(in);
    auto m = ghost::PlanRouteGhost(in, {.alternatives = 0, .fps = 10});
    ASSERT_TRUE(m.ok()) << c.what << ": " << m.status().ToString();
    EXPECT_STREQ(ghost::ScaleSourceName(m->route.scale.source), c.source) << c.what;
    if (c.metres_per_pixel > 0) {
      EXPECT_NEAR(m->route.scale.metres_per_pixel, c.metres_per_pixel, 1e-9) << c.what;
    }
    EXPECT_GE(m->route.scale.confidence, c.min_confidence) << c.what;
    EXPECT_LE(m->route.scale.confidence, c.max_confidence) << c.what;
    // The document says it too.
    auto doc = ghost::ComputeRouteGhost(in, {.alternatives = 0, .fps = 10});
    ASSERT_TRUE(doc.ok()) << c.what;
    EXPECT_EQ((*doc)["scale"]["source"], c.source) << c.what;
    EXPECT_TRUE((*doc)["scale"]["confidence"].is_number()) << c.what;
  }
}

TEST(RouteGhostTest, ComputesTheLadderOverTheSelectedHoldsOnly) {
  const ghost::RouteGhostInputs in = LadderInputs();
  auto doc = ghost::ComputeRouteGhost(in, {.alternatives = 0, .fps = 15});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["scale"]["source"], "wall_height");
  EXPECT_NEAR((*doc)["scale"]["metres_per_pixel"].get<double>(), 0.005, 1e-9);
  ASSERT_TRUE((*doc)["beta"].is_object()) << doc->dump().substr(0, 400);
  EXPECT_TRUE((*doc)["no_beta"].is_null());
  std::set<std::string> selected;
  for (const auto& h : in.holds) {
    if (h.selected) selected.insert(h.id.str());
  }
  const json& moves = (*doc)["beta"]["moves"];
  ASSERT_GT(moves.size(), 4u);
  int hand_moves = 0;
  for (const json& m : moves) {
    if (m["to"].is_object() && m["to"].contains("hold")) {
      EXPECT_TRUE(selected.count(m["to"]["hold"].get<std::string>())) << m.dump();
    }
    if (m["limb"] == "left_hand" || m["limb"] == "right_hand") ++hand_moves;
  }
  EXPECT_GE(hand_moves, 6);  // from rung 3 to rung 9, hand over hand
  // The frames are the analysis frame format, normalized in the photo.
  ASSERT_TRUE((*doc)["frames"].is_array());
  ASSERT_FALSE((*doc)["frames"].empty());
  const json& f0 = (*doc)["frames"][0];
  EXPECT_TRUE(f0["landmarks"].contains("11"));
  EXPECT_TRUE(f0["landmarks"].contains("28"));
  EXPECT_EQ((*doc)["video"]["width"], 400);
  // Deterministic.
  EXPECT_EQ(ghost::ComputeRouteGhost(in, {.alternatives = 0, .fps = 15})->dump(), doc->dump());
}

TEST(RouteGhostTest, ChoosesStartAndTopWhenNoHoldHasTheRole) {
  ghost::RouteGhostInputs in = LadderInputs();
  for (auto& h : in.holds) h.role.reset();
  auto doc = ghost::ComputeRouteGhost(in, {.alternatives = 0, .fps = 10});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_TRUE((*doc)["beta"].is_object()) << (*doc)["no_beta"].dump();
}

TEST(RouteGhostTest, InputsThatCannotMakeAGhostAreErrorsWithTheirCode) {
  ghost::RouteGhostInputs in = LadderInputs();
  in.image_width = 0;
  auto bad = ghost::ComputeRouteGhost(in);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(bad.status().code(), "invalid_route");

  in = LadderInputs();
  in.profile.height_cm = 150;
  in.profile.arm_span_cm = 230;  // > 125 % of the height: no body model
  bad = ghost::ComputeRouteGhost(in);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), "invalid_profile");

  // No top reachable: a document that says why, not an error.
  in = LadderInputs();
  for (auto& h : in.holds) {
    if (h.role == domain::HoldRole::kTop) h.selected = false;
  }
  in.holds[6].selected = in.holds[7].selected = false;
  in.holds[8].role = domain::HoldRole::kTop;
  in.holds[8].outline = domain::CircleOutline({200, 40}, 22, 12);  // 2.25 m above rung 5
  auto doc = ghost::ComputeRouteGhost(in, {.alternatives = 0, .fps = 10});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_TRUE((*doc)["beta"].is_null());
  EXPECT_TRUE((*doc)["no_beta"].is_object());
  EXPECT_TRUE((*doc)["frames"].empty());
}

// ---- the services ----

class GhostsTest : public ::testing::Test {
 protected:
  GhostsTest() {
    routes_db_.clock = &clock_;
    for (const auto& [who, tier] :
         {std::pair{me_.user_id, "premium"}, std::pair{you_.user_id, "infinity"},
          std::pair{free_.user_id, "freemium"}}) {
      domain::User u;
      u.id = who;
      u.username = who.str().substr(0, 8);
      u.email = u.username + "@example.com";
      u.subscription_tier = tier;
      db_.users[who] = u;
    }
    db_.profiles[me_.user_id].height_cm = 178;
  }

  // A ready route of `owner` with the ladder.
  domain::Route ReadyRoute(const Principal& owner) {
    domain::Route r;
    r.id = domain::Uuid::Random();
    r.user_id = owner.user_id;
    r.status = domain::RouteStatus::kReady;
    r.image_width = 400;
    r.image_height = 1000;
    r.job_id = domain::Uuid::Random();
    routes_db_.routes[r.id] = r;
    routes_db_.holds[r.id] = Ladder();
    return r;
  }

  domain::GhostScale WallHeight(double cm) {
    domain::GhostScale s;
    s.wall_height_cm = cm;
    return s;
  }

  // Runs every queued ghost job (once), returns their verdicts' outcomes.
  std::vector<std::string> RunJobs() {
    std::vector<std::string> outcomes;
    for (const auto& m : ghosts_.outbox) outcomes.push_back(worker_.Handle(D(m.body)).outcome);
    ghosts_.outbox.clear();
    return outcomes;
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeUserRepository users_{db_};
  testing::FakeProfileRepository profiles_{db_};
  testing::FakeRouteDatabase routes_db_;
  testing::FakeRouteRepository routes_{routes_db_};
  testing::FakeGhostRepository ghosts_{clock_};
  Ghosts service_{users_, routes_, profiles_, ghosts_, clock_};
  testing::FakeGhostEvents events_;
  GhostComputation worker_{
      ghosts_, routes_, profiles_, events_,
      GhostComputationOptions{.max_attempts = 3, .ghost = {.alternatives = 0, .fps = 10}}};
  Principal me_{domain::Uuid::Random(), "user"};
  Principal you_{domain::Uuid::Random(), "user"};
  Principal free_{domain::Uuid::Random(), "user"};
};

TEST_F(GhostsTest, FreemiumIsRefusedWithItsOwnCodeBeforeAnythingElse) {
  const auto mine = ReadyRoute(free_);
  auto r = service_.Request(free_, mine.id, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kPermissionDenied);
  EXPECT_EQ(r.status().code(), "premium_required");
  auto s = service_.Show(free_, domain::Uuid::Random());  // before the route is even looked up
  EXPECT_EQ(s.status().code(), "premium_required");
  EXPECT_TRUE(ghosts_.outbox.empty());
  // Premium and infinity are allowed.
  EXPECT_TRUE(service_.Request(me_, ReadyRoute(me_).id, WallHeight(500)).ok());
  EXPECT_TRUE(service_.Request(you_, ReadyRoute(you_).id, WallHeight(500)).ok());
}

TEST_F(GhostsTest, RequestQueuesOneJobThatTheWorkerComputes) {
  const auto route = ReadyRoute(me_);
  auto v = service_.Request(me_, route.id, WallHeight(500));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->state, "computing");
  EXPECT_EQ(v->ghost.dispatch, 1);
  ASSERT_EQ(ghosts_.outbox.size(), 1u);
  EXPECT_EQ(ghosts_.outbox[0].routing_key, amqp::topology::kGhostQueue);
  auto job = domain::DecodeGhostJob(ghosts_.outbox[0].body);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->route_id, route.id.str());
  EXPECT_EQ(job->dispatch, 1);
  EXPECT_EQ(job->fingerprint, v->current_fingerprint);

  // Asked again while it runs: nothing more is queued.
  auto again = service_.Request(me_, route.id, WallHeight(500));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ghost.dispatch, 1);
  EXPECT_EQ(ghosts_.outbox.size(), 1u);
  auto shown = service_.Show(me_, route.id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->state, "computing");

  EXPECT_EQ(RunJobs(), std::vector<std::string>{"computed"});
  shown = service_.Show(me_, route.id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->state, "ready");
  const json doc = json::parse(shown->ghost.document);
  EXPECT_TRUE(doc["beta"].is_object());
  EXPECT_EQ(doc["body"]["height_cm"], 178);
  EXPECT_EQ(doc["scale"]["source"], "wall_height");

  // A duplicate delivery of the same job is skipped; a fresh request of a ghost that is up to
  // date queues nothing.
  EXPECT_EQ(worker_.Handle(D(domain::EncodeGhostJob(*job))).outcome, "skipped");
  auto up_to_date = service_.Request(me_, route.id, WallHeight(500));
  ASSERT_TRUE(up_to_date.ok());
  EXPECT_EQ(up_to_date->state, "ready");
  EXPECT_TRUE(ghosts_.outbox.empty());
}

TEST_F(GhostsTest, ChangedHoldsSelectionScaleOrProfileMakeTheGhostStale) {
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  RunJobs();
  ASSERT_EQ(service_.Show(me_, route.id)->state, "ready");

  // The profile changes: stale; requested again: recomputed, ready.
  db_.profiles[me_.user_id].height_cm = 165;
  EXPECT_EQ(service_.Show(me_, route.id)->state, "stale");
  auto again = service_.Request(me_, route.id, WallHeight(500));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state, "computing");
  EXPECT_EQ(again->ghost.dispatch, 2);
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"computed"});
  auto shown = service_.Show(me_, route.id);
  EXPECT_EQ(shown->state, "ready");
  EXPECT_EQ(json::parse(shown->ghost.document)["body"]["height_cm"], 165);

  // A hold deselected: stale.
  routes_db_.holds[route.id][5].selected = false;
  EXPECT_EQ(service_.Show(me_, route.id)->state, "stale");
  routes_db_.holds[route.id][5].selected = true;
  EXPECT_EQ(service_.Show(me_, route.id)->state, "ready");
  // A hold moved: stale.
  routes_db_.holds[route.id][5].outline = domain::CircleOutline({230, 490}, 22, 12);
  EXPECT_EQ(service_.Show(me_, route.id)->state, "stale");
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  RunJobs();
  EXPECT_EQ(service_.Show(me_, route.id)->state, "ready");
  // Another scale: the request recomputes (the stored scale is the new one).
  auto rescaled = service_.Request(me_, route.id, WallHeight(450));
  ASSERT_TRUE(rescaled.ok());
  EXPECT_EQ(rescaled->state, "computing");
  EXPECT_EQ(rescaled->scale.wall_height_cm, 450);
  EXPECT_EQ(routes_db_.routes[route.id].scale.wall_height_cm, 450);  // the route's now
  RunJobs();
  EXPECT_NEAR(json::parse(service_.Show(me_, route.id)->ghost.document)["scale"]["metres_per_pixel"]
                  .get<double>(),
              0.0045, 1e-9);
}

TEST_F(GhostsTest, TheRoutesScaleIsTheGhostsAndChangingItMakesTheGhostStale) {
  const auto route = ReadyRoute(me_);
  const auto& holds = routes_db_.holds[route.id];
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  EXPECT_EQ(routes_db_.routes[route.id].scale.wall_height_cm, 500);
  RunJobs();
  ASSERT_EQ(service_.Show(me_, route.id)->state, "ready");
  const std::string before = service_.Show(me_, route.id)->current_fingerprint;

  // The scale set on the route (PATCH /v1/routes/{id}): the ghost is stale.
  testing::FakeObjectStore objects;
  Routes routes_service{routes_, objects, clock_, RoutesOptions{.bucket = "b"}};
  domain::GhostScale distance;
  distance.distance = domain::GhostHoldDistance{holds[4].id, holds[5].id, 36};  // 90 px
  ASSERT_TRUE(routes_service.Update(me_, route.id, {.scale = distance}).ok());
  auto stale = service_.Show(me_, route.id);
  EXPECT_EQ(stale->state, "stale");
  EXPECT_NE(stale->current_fingerprint, before);
  EXPECT_EQ(stale->scale, distance);
  // Asked again without a scale: computed with the route's.
  auto again = service_.Request(me_, route.id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->state, "computing");
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"computed"});
  auto shown = service_.Show(me_, route.id);
  EXPECT_EQ(shown->state, "ready");
  const json doc = json::parse(shown->ghost.document);
  EXPECT_EQ(doc["scale"]["source"], "user_distance");
  EXPECT_NEAR(doc["scale"]["metres_per_pixel"].get<double>(), 0.004, 1e-9);
  EXPECT_EQ(routes_db_.routes[route.id].scale, distance);

  // A refused scale in the request changes neither the route nor the ghost.
  auto refused = service_.Request(me_, route.id, WallHeight(20));
  EXPECT_EQ(refused.status().code(), "validation_failed");
  EXPECT_EQ(routes_db_.routes[route.id].scale, distance);
  EXPECT_EQ(service_.Show(me_, route.id)->state, "ready");
  // Deleting a hold of the distance clears it: stale again (now the holds' sizes).
  const domain::Uuid deleted = holds[5].id;  // a copy: the vector shifts when it is erased
  ASSERT_TRUE(routes_service.DeleteHold(me_, route.id, deleted).ok());
  EXPECT_TRUE(routes_db_.routes[route.id].scale.empty());
  EXPECT_EQ(service_.Show(me_, route.id)->state, "stale");
}

TEST_F(GhostsTest, TheWorkerComputesFromTheInputsAsTheyAreWhenItRuns) {
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  db_.profiles[me_.user_id].height_cm = 190;  // changed after the request, before the job
  RunJobs();
  auto shown = service_.Show(me_, route.id);
  EXPECT_EQ(shown->state, "ready");  // the stored fingerprint is of what was computed
  EXPECT_EQ(json::parse(shown->ghost.document)["body"]["height_cm"], 190);
}

TEST_F(GhostsTest, OwnershipReadinessScaleAndProfileAreChecked) {
  const auto yours = ReadyRoute(you_);
  auto r = service_.Request(me_, yours.id, {});
  EXPECT_EQ(r.status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.Show(me_, yours.id).status().kind(), ErrorKind::kNotFound);
  ASSERT_TRUE(service_.Request(you_, yours.id, {}).ok());
  EXPECT_EQ(service_.Show(me_, yours.id).status().kind(), ErrorKind::kNotFound);  // still

  const auto mine = ReadyRoute(me_);
  auto none = service_.Show(me_, mine.id);
  EXPECT_EQ(none.status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(none.status().code(), "ghost_not_found");

  routes_db_.routes[mine.id].status = domain::RouteStatus::kDetecting;
  EXPECT_EQ(service_.Request(me_, mine.id, {}).status().code(), "route_not_ready");
  routes_db_.routes[mine.id].status = domain::RouteStatus::kReady;

  const auto& holds = routes_db_.holds[mine.id];
  domain::GhostScale scale;
  scale.distance = domain::GhostHoldDistance{holds[0].id, holds[0].id, 45};
  EXPECT_EQ(service_.Request(me_, mine.id, scale).status().code(), "validation_failed");
  scale.distance = domain::GhostHoldDistance{holds[0].id, domain::Uuid::Random(), 45};
  EXPECT_EQ(service_.Request(me_, mine.id, scale).status().code(), "validation_failed");
  for (double cm : {0.0, -3.0, 6000.0, std::nan("")}) {
    scale.distance = domain::GhostHoldDistance{holds[0].id, holds[1].id, cm};
    EXPECT_EQ(service_.Request(me_, mine.id, scale).status().code(), "validation_failed") << cm;
  }
  for (double cm : {50.0, 9000.0, std::numeric_limits<double>::infinity()}) {
    EXPECT_EQ(service_.Request(me_, mine.id, WallHeight(cm)).status().code(), "validation_failed")
        << cm;
  }
  db_.profiles[me_.user_id].arm_span_cm = 240;  // 135 % of 178 cm
  auto p = service_.Request(me_, mine.id, {});
  EXPECT_EQ(p.status().kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(p.status().code(), "profile_unusable");
  EXPECT_TRUE(ghosts_.outbox.size() == 1u);  // only you_'s

  // A distance between two holds is a scale the ghost uses.
  db_.profiles[me_.user_id].arm_span_cm.reset();
  scale.distance = domain::GhostHoldDistance{holds[0].id, holds[1].id, 45};
  ASSERT_TRUE(service_.Request(me_, mine.id, scale).ok());
  ghosts_.outbox.erase(ghosts_.outbox.begin());
  RunJobs();
  const json doc = json::parse(service_.Show(me_, mine.id)->ghost.document);
  EXPECT_EQ(doc["scale"]["source"], "user_distance");
  EXPECT_NEAR(doc["scale"]["metres_per_pixel"].get<double>(), 0.005, 1e-6);
}

TEST_F(GhostsTest, ALostJobIsQueuedAgainAfterStuckAfter) {
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  ghosts_.outbox.clear();  // the broker lost it
  clock_.Advance(std::chrono::minutes(5));
  EXPECT_EQ(service_.Request(me_, route.id, WallHeight(500))->ghost.dispatch, 1);
  EXPECT_TRUE(ghosts_.outbox.empty());
  clock_.Advance(std::chrono::minutes(6));
  EXPECT_EQ(service_.Request(me_, route.id, WallHeight(500))->ghost.dispatch, 2);
  ASSERT_EQ(ghosts_.outbox.size(), 1u);
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"computed"});
}

TEST_F(GhostsTest, WorkerDeadLettersInvalidJobsAndSkipsStaleCopies) {
  for (const char* bad : {"nope", R"({"job_id":"j","route_id":"not-a-uuid","user_id":"u"})",
                          R"({"job_id":"j","route_id":5})"}) {
    auto v = worker_.Handle(D(bad));
    EXPECT_EQ(v.action, Verdict::Action::kDeadLetter) << bad;
    EXPECT_EQ(v.outcome, "invalid") << bad;
  }
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  const std::string first = ghosts_.outbox[0].body;
  db_.profiles[me_.user_id].height_cm = 170;
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());  // dispatch 2
  auto stale = worker_.Handle(D(first));
  EXPECT_EQ(stale.action, Verdict::Action::kAck);
  EXPECT_EQ(stale.outcome, "skipped");
  EXPECT_EQ(service_.Show(me_, route.id)->state, "computing");
  // A job for a route that is gone is skipped too.
  domain::GhostJobMessage ghost_of_nothing{
      domain::Uuid::Random().str(), domain::Uuid::Random().str(), me_.user_id.str(), "", 1, 1, ""};
  EXPECT_EQ(worker_.Handle(D(domain::EncodeGhostJob(ghost_of_nothing))).outcome, "skipped");
}

TEST_F(GhostsTest, WorkerRetriesStorageFailuresThenFailsTheGhost) {
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  std::string body = ghosts_.outbox[0].body;
  routes_db_.outage = Unavailable("database down");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto v = worker_.Handle(D(body));
    EXPECT_EQ(v.action, Verdict::Action::kRetry);
    EXPECT_EQ(v.retry_delay, std::chrono::milliseconds(1000LL << attempt));
    auto next = domain::DecodeGhostJob(v.retry_body);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->attempt, attempt + 1);
    body = v.retry_body;
  }
  auto last = worker_.Handle(D(body));
  EXPECT_EQ(last.action, Verdict::Action::kDeadLetter);
  EXPECT_EQ(last.outcome, "dead_lettered");
  routes_db_.outage.reset();
  auto shown = service_.Show(me_, route.id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->state, "failed");
  EXPECT_EQ(shown->ghost.error_code, "internal_error");
  // A failed ghost can be asked for again.
  auto again = service_.Request(me_, route.id, WallHeight(500));
  EXPECT_EQ(again->state, "computing");
  EXPECT_EQ(RunJobs().back(), "computed");
}

TEST_F(GhostsTest, WorkerFailsAGhostTheInputsCannotMakeAtOnce) {
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  db_.profiles[me_.user_id].arm_span_cm = 240;  // became unusable after the request
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"failed"});
  auto shown = service_.Show(me_, route.id);
  EXPECT_EQ(shown->state, "failed");
  EXPECT_EQ(shown->ghost.error_code, "invalid_profile");

  db_.profiles[me_.user_id].arm_span_cm.reset();
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  routes_db_.routes[route.id].status = domain::RouteStatus::kDetecting;  // detected again
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"failed"});
  routes_db_.routes[route.id].status = domain::RouteStatus::kReady;
  EXPECT_EQ(service_.Show(me_, route.id)->ghost.error_code, "route_not_ready");
}

// The owner hears of the computation: progress when it starts, ready once stored (beta_found),
// failed once marked failed; a skipped or unreadable job publishes nothing; a broker that
// refuses the event does not change the job's outcome.
TEST_F(GhostsTest, WorkerPublishesGhostEventsToTheRoutesOwner) {
  const auto route = ReadyRoute(me_);
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  const std::string body = ghosts_.outbox[0].body;
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"computed"});
  auto events = events_.Take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, domain::GhostEventKind::kProgress);
  EXPECT_EQ(events[0].stage, "planning");
  EXPECT_EQ(events[1].kind, domain::GhostEventKind::kReady);
  EXPECT_TRUE(events[1].beta_found);
  for (const auto& e : events) {
    EXPECT_EQ(e.user_id, me_.user_id.str());
    EXPECT_EQ(e.route_id, route.id.str());
    EXPECT_FALSE(e.job_id.empty());
  }
  // The same job again is skipped: no event. An unreadable one: none either.
  EXPECT_EQ(worker_.Handle(D(body)).outcome, "skipped");
  EXPECT_EQ(worker_.Handle(D("not json")).outcome, "invalid");
  EXPECT_TRUE(events_.Take().empty());

  // A failure reaches the owner with its code.
  db_.profiles[me_.user_id].height_cm = 150;  // stale: asked again
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  db_.profiles[me_.user_id].arm_span_cm = 240;  // unusable by the time the job runs
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"failed"});
  events = events_.Take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, domain::GhostEventKind::kFailed);
  EXPECT_EQ(events[1].error_code, "invalid_profile");
  EXPECT_EQ(events[1].user_id, me_.user_id.str());

  // Events lost on the way do not fail the job.
  db_.profiles[me_.user_id].arm_span_cm.reset();
  ASSERT_TRUE(service_.Request(me_, route.id, WallHeight(500)).ok());
  events_.failure = Unavailable("no broker connection for events");
  EXPECT_EQ(RunJobs(), std::vector<std::string>{"computed"});
  EXPECT_EQ(service_.Show(me_, route.id)->state, "ready");
}

}  // namespace
}  // namespace ascension::services
