// ClimbOnRoute over fakes: the ghost section of an analysis on a route — compared for a premium
// owner with a ready ghost, "stale" once the route changed, "none" without a ghost, nothing for a
// freemium owner — and the route section's own errors.
#include "services/route_section.hpp"

#include <gtest/gtest.h>

#include "ghost/route_ghost.hpp"
#include "services/ghosts.hpp"
#include "services/testing/fakes.hpp"
#include "services/testing/ghost_fakes.hpp"
#include "services/testing/route_fakes.hpp"
#include "services/testing/training_fakes.hpp"

namespace ascension::services {
namespace {

using nlohmann::json;

class ClimbOnRouteTest : public ::testing::Test {
 protected:
  ClimbOnRouteTest() {
    db_.clock = &clock_;
    domain::User u;
    u.id = user_;
    u.subscription_tier = "premium";
    db_.users[u.id] = u;
    domain::ClimberProfile p;
    p.height_cm = 178;
    EXPECT_TRUE(profiles_
                    .Update(user_,
                            [&](const domain::ClimberProfile&) {
                              return Result<domain::ClimberProfile>(p);
                            })
                    .ok());
    // A 400 x 1000 px wall: a column of ten large jugs 90 px apart, rung 3 the start, 9 the top.
    route_.id = domain::Uuid::Random();
    route_.user_id = user_;
    route_.status = domain::RouteStatus::kReady;
    route_.image_width = 400;
    route_.image_height = 1000;
    routes_db_.routes[route_.id] = route_;
    for (int i = 0; i < 10; ++i) {
      domain::RouteHold h;
      h.id = domain::Uuid::Random();
      h.outline = domain::CircleOutline({200, 1000 - 60 - 90.0 * i}, 22, 12);
      h.colour = "green";
      h.size = "large";
      h.selected = true;
      if (i == 3) h.role = domain::HoldRole::kStart;
      if (i == 9) h.role = domain::HoldRole::kTop;
      routes_db_.holds[route_.id].push_back(h);
    }
    analysis_.id = domain::Uuid::Random();
    analysis_.user_id = user_;
    analysis_.route_id = route_.id;
    analysis_.language = domain::Language::kEn;
  }

  // The route's ghost computed and stored ready, as the ghost job does; returns its model.
  ghost::RouteGhostModel StoreGhost() {
    route_.scale.wall_height_cm = 500;
    routes_db_.routes[route_.id].scale = route_.scale;
    auto in = LoadGhostInputs(routes_, profiles_, route_);
    EXPECT_TRUE(in.ok());
    auto model = ghost::PlanRouteGhost(*in, GhostComputationOptions{}.ghost);
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    domain::StoredGhost g;
    g.route_id = route_.id;
    g.user_id = user_;
    g.status = domain::GhostStatus::kReady;
    g.fingerprint = ghost::GhostFingerprint(*in);
    g.document = "{}";
    ghosts_.rows[route_.id] = g;
    return std::move(*model);
  }

  // The ghost's own climb as the biomechanics would report it: each limb resting at the centre
  // of each hold the ghost puts it on, from landing to leaving.
  static json ClimbOf(const ghost::RouteGhostModel& m, int width, int height) {
    json placements = json::array();
    const ghost::Route& route = m.route.route;
    for (ghost::Limb limb : ghost::kLimbs) {
      const ghost::Contact& first =
          m.plan.betas.front().states.front().contacts[ghost::Index(limb)];
      if (first.kind != ghost::Contact::Kind::kHold) continue;
      std::size_t hold = first.hold;
      std::int64_t since = 0;
      auto place = [&](std::int64_t to) {
        const ghost::Vec2 n = ghost::ToNormalized(route.view, route.holds[hold].centre);
        placements.push_back({{"limb", ghost::LimbName(limb)},
                              {"start_ms", since},
                              {"end_ms", to},
                              {"position", {{"x", n.x}, {"y", n.y}}}});
      };
      for (const ghost::GhostMove& mv : m.ghost->moves) {
        if (mv.limb != limb) continue;
        place(mv.start_ms);
        hold = mv.to.hold;
        since = mv.end_ms;
      }
      place(m.ghost->duration_ms);
    }
    return {{"video", {{"width", width}, {"height", height}, {"fps", 30}}},
            {"frames", json::array()},
            {"advice", json::array()},
            {"biomechanics",
             {{"summary", {{"body_height", 0.356}}}, {"placements", std::move(placements)}}}};
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeUserRepository users_{db_};
  testing::FakeProfileRepository profiles_{db_};
  testing::FakeRouteDatabase routes_db_;
  testing::FakeRouteRepository routes_{routes_db_};
  testing::FakeGhostRepository ghosts_{clock_};
  ClimbOnRoute climbs_{routes_, profiles_, ghosts_, users_};
  domain::Uuid user_ = domain::Uuid::Random();
  domain::Route route_;
  domain::Analysis analysis_;
};

TEST_F(ClimbOnRouteTest, APremiumClimbOnARouteWithAReadyGhostIsCompared) {
  const auto model = StoreGhost();
  ASSERT_TRUE(model.ghost);
  json result = ClimbOf(model, 400, 1000);
  std::string hints = "## coaching";
  climbs_.Attach(analysis_, result, hints);
  ASSERT_TRUE(result["route"]["holds_used"].is_array()) << result["route"].dump();
  EXPECT_EQ(result["route"]["unmatched_placements"], 0);
  ASSERT_TRUE(result.contains("ghost"));
  const json& g = result["ghost"];
  EXPECT_EQ(g["status"], "compared") << g.dump();
  EXPECT_EQ(g["route_id"], route_.id.str());
  EXPECT_EQ(g["fingerprint"], ghosts_.rows[route_.id].fingerprint);
  EXPECT_EQ(g["beta"]["moves"].size(), model.ghost->moves.size());
  EXPECT_EQ(g["comparison"]["counts"]["same_hold"], model.ghost->moves.size())
      << g["comparison"]["counts"].dump();
  EXPECT_EQ(g["comparison"]["counts"]["other_hold"], 0);
  EXPECT_FALSE(g["comparison"]["sync"].empty());
  EXPECT_EQ(hints, "## coaching");  // the ghost's own climb: no deviation, no advice
}

TEST_F(ClimbOnRouteTest, AChangedRouteMakesTheGhostStale) {
  const auto model = StoreGhost();
  routes_db_.holds[route_.id][5].selected = false;  // a correction since the ghost
  json result = ClimbOf(model, 400, 1000);
  std::string hints;
  climbs_.Attach(analysis_, result, hints);
  EXPECT_TRUE(result["route"].contains("holds_used"));
  EXPECT_EQ(result["ghost"]["status"], "stale") << result["ghost"].dump();
  EXPECT_FALSE(result["ghost"].contains("comparison"));
}

TEST_F(ClimbOnRouteTest, FreemiumGetsNoGhostSectionAndNoGhostMeansNone) {
  const auto model = StoreGhost();
  json result = ClimbOf(model, 400, 1000);
  std::string hints;
  db_.users[user_].subscription_tier = "freemium";
  climbs_.Attach(analysis_, result, hints);
  EXPECT_TRUE(result["route"].contains("holds_used"));
  EXPECT_FALSE(result.contains("ghost"));

  db_.users[user_].subscription_tier = "infinity";
  ghosts_.rows.clear();
  result = ClimbOf(model, 400, 1000);
  climbs_.Attach(analysis_, result, hints);
  EXPECT_EQ(result["ghost"]["status"], "none");

  StoreGhost();
  ghosts_.rows[route_.id].status = domain::GhostStatus::kComputing;
  result = ClimbOf(model, 400, 1000);
  climbs_.Attach(analysis_, result, hints);
  EXPECT_EQ(result["ghost"]["status"], "computing");

  StoreGhost();
  ghosts_.outage = Unavailable("database away");
  result = ClimbOf(model, 400, 1000);
  climbs_.Attach(analysis_, result, hints);
  EXPECT_EQ(result["ghost"]["status"], "unavailable");
  EXPECT_EQ(result["ghost"]["error"]["code"], "ghost_unavailable");
}

TEST_F(ClimbOnRouteTest, WithoutHoldsUsedThereIsNoGhostSection) {
  StoreGhost();
  json result = {{"frames", json::array()}, {"biomechanics", {{"placements", "x"}}}};
  std::string hints;
  climbs_.Attach(analysis_, result, hints);
  EXPECT_EQ(result["route"]["error"]["code"], "route_unreadable");
  EXPECT_FALSE(result.contains("ghost"));
  // Without a route: nothing at all.
  analysis_.route_id.reset();
  json plain = {{"frames", json::array()}};
  climbs_.Attach(analysis_, plain, hints);
  EXPECT_FALSE(plain.contains("route"));
}

TEST_F(ClimbOnRouteTest, AnAnalysisThatCompletedWhileItsRouteWasDetectedGetsItsHoldsAfterwards) {
  // The left hand on the lowest jug (200, 940 px of 400 x 1000).
  json climb = {{"video", {{"width", 400}, {"height", 1000}}},
                {"biomechanics",
                 {{"summary", {{"body_height", 0.4}}},
                  {"placements",
                   {{{"limb", "left_hand"},
                     {"start_ms", 100},
                     {"end_ms", 900},
                     {"position", {{"x", 0.5}, {"y", 0.941}}}}}}}}};
  // Attach ran while the route was being detected again.
  routes_db_.routes[route_.id].status = domain::RouteStatus::kDetecting;
  std::string hints;
  climbs_.Attach(analysis_, climb, hints);
  ASSERT_EQ(climb["route"]["error"]["code"], "route_not_ready") << climb.dump();
  const std::string stored = climb.dump();
  routes_db_.analyses[analysis_.id] = {user_, "completed", {"k", stored}, route_.id};

  // Still detecting once stored: nothing to do (the detection's own fill will do it).
  climbs_.AfterComplete(analysis_, climb);
  EXPECT_EQ(routes_db_.analyses[analysis_.id].source.result_json, stored);

  // The detection completed (and ran its fill) before the analysis was stored as completed.
  routes_db_.routes[route_.id].status = domain::RouteStatus::kReady;
  climbs_.AfterComplete(analysis_, climb);
  json now = json::parse(routes_db_.analyses[analysis_.id].source.result_json);
  ASSERT_TRUE(now["route"].contains("holds_used")) << now.dump();
  EXPECT_FALSE(now["route"].contains("error"));
  ASSERT_EQ(now["route"]["holds_used"].size(), 1u);
  EXPECT_EQ(now["route"]["holds_used"][0]["hold_id"], routes_db_.holds[route_.id][0].id.str());

  // A section without that error (holds used, or another error) never reads the route.
  routes_db_.outage = Unavailable("must not be called");
  climbs_.AfterComplete(analysis_, now);
  json other = {{"route", {{"id", route_.id.str()}, {"error", {{"code", "route_not_found"}}}}}};
  climbs_.AfterComplete(analysis_, other);
  routes_db_.outage.reset();
  EXPECT_EQ(json::parse(routes_db_.analyses[analysis_.id].source.result_json), now);
}

}  // namespace
}  // namespace ascension::services
