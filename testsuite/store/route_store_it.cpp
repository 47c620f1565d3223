// PgRouteRepository against the stack's real PostgreSQL (schema 0020_routes, applied by the API
// at start): the route's life through detection with its outbox row, holds and corrections,
// ownership, listing, recovery of lost jobs, and erasure with the account.
#include <gtest/gtest.h>

#include <optional>

#include "services/routes.hpp"
#include "stack/stack_env.hpp"
#include "store/routes.hpp"

namespace ascension::store {
namespace {

using domain::HoldOrigin;
using domain::ImagePoint;
using domain::RouteStatus;

class RouteStoreIT : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = testsuite::StackEnv::Load();
    ASSERT_TRUE(env_.ok()) << env_.error();
    pool_.emplace(env_.Get("DATABASE_URL"), 2, std::chrono::seconds(10));
    repo_.emplace(*pool_, *pool_);
    me_ = NewUser();
    you_ = NewUser();
  }
  void TearDown() override {
    if (!pool_) return;
    for (const auto& u : {me_, you_}) {
      auto c = pool_->Acquire();
      ASSERT_TRUE(c.ok());
      EXPECT_TRUE((*c)->Exec("DELETE FROM users WHERE id = $1", {u.str()}).ok());
    }
  }

  domain::Uuid NewUser() {
    const domain::Uuid id = domain::Uuid::Random();
    auto c = pool_->Acquire();
    EXPECT_TRUE(c.ok());
    const std::string name = "rt_" + id.str().substr(0, 8);
    EXPECT_TRUE((*c)->Exec("INSERT INTO users (id, username, email, password_hash) "
                           "VALUES ($1, $2, $3, 'x')",
                           {id.str(), name, name + "@example.com"})
                    .ok());
    return id;
  }

  domain::Route NewRoute(const domain::Uuid& user) {
    domain::Route r;
    r.id = domain::Uuid::Random();
    r.user_id = user;
    r.image_key = domain::RouteImageKey(user, r.id);
    r.job_id = domain::Uuid::Random();
    auto created = repo_->Create(r);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  static domain::RouteHold Hold(double x, double y, double r, std::string colour) {
    domain::RouteHold h;
    h.id = domain::Uuid::Random();
    h.outline = domain::CircleOutline({x, y}, r);
    h.colour = std::move(colour);
    h.measured = domain::Rgb{200, 30, 40};
    h.size = "small";
    h.confidence = 0.8;
    return h;
  }

  int Unsent(const domain::Uuid& route) {
    auto c = pool_->Acquire();
    auto rows = (*c)->Exec("SELECT count(*) FROM outbox WHERE route_id = $1 AND sent_at IS NULL",
                           {route.str()});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? static_cast<int>(rows->Int(0, 0)) : -1;
  }
  void MarkSent(const domain::Uuid& route) {
    auto c = pool_->Acquire();
    EXPECT_TRUE(
        (*c)->Exec("UPDATE outbox SET sent_at = now() WHERE route_id = $1", {route.str()}).ok());
  }

  ports::HoldsJobFor Job() {
    return [](const domain::Route& r) { return services::HoldsJobFor(r, "bucket"); };
  }

  testsuite::StackEnv env_;
  std::optional<pg::Pool> pool_;
  std::optional<PgRouteRepository> repo_;
  domain::Uuid me_, you_;
};

TEST_F(RouteStoreIT, DetectionQueuesOneJobAndStoresTheHoldsInReadingOrder) {
  const domain::Route r = NewRoute(me_);
  EXPECT_EQ(r.status, RouteStatus::kAwaitingUpload);
  EXPECT_EQ(r.image_key, "routes/" + me_.str() + "/" + r.id.str() + ".jpg");

  // Someone else cannot queue it; the owner queues it once while it runs.
  EXPECT_FALSE(repo_->RequestDetection(r.id, you_, domain::Uuid::Random(), Job()).value());
  auto queued = repo_->RequestDetection(r.id, me_, domain::Uuid::Random(), Job());
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  ASSERT_TRUE(*queued);
  EXPECT_EQ((*queued)->status, RouteStatus::kDetecting);
  EXPECT_EQ((*queued)->dispatch, 1);
  auto again = repo_->RequestDetection(r.id, me_, domain::Uuid::Random(), Job());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->job_id, (*queued)->job_id);
  EXPECT_EQ(Unsent(r.id), 1);

  // A stale copy (another dispatch) is not started; the current one is.
  EXPECT_FALSE(repo_->StartDetection(r.id, 0).value());
  auto started = repo_->StartDetection(r.id, 1);
  ASSERT_TRUE(started.ok() && *started);
  EXPECT_EQ((*started)->attempts, 1);
  ASSERT_TRUE(repo_->UpdateProgress(r.id, 1, 40, "detecting").ok());
  EXPECT_EQ(repo_->FindOwned(r.id, me_).value()->progress, 40);

  auto done = repo_->CompleteDetection(
      r.id, 1, 1000, 800, std::nullopt,
      {Hold(500, 400, 20, "red"), Hold(100, 100, 20, "blue"), Hold(300, 100, 15, "blue")});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(*done);
  EXPECT_FALSE(repo_->CompleteDetection(r.id, 1, 1000, 800, std::nullopt, {}).value());
  const auto ready = repo_->FindOwned(r.id, me_).value();
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, RouteStatus::kReady);
  EXPECT_EQ(ready->image_width, 1000);
  EXPECT_EQ(ready->hold_count, 3);
  EXPECT_TRUE(ready->detected_at);
  EXPECT_FALSE(repo_->FindOwned(r.id, you_).value());

  auto holds = repo_->Holds(r.id);
  ASSERT_TRUE(holds.ok()) << holds.status().ToString();
  ASSERT_EQ(holds->size(), 3u);
  EXPECT_NEAR(domain::PolygonCentroid((*holds)[0].outline).x, 100, 0.5);
  EXPECT_NEAR(domain::PolygonCentroid((*holds)[1].outline).x, 300, 0.5);
  EXPECT_EQ((*holds)[2].colour, "red");
  EXPECT_EQ((*holds)[2].measured->g, 30);
  EXPECT_EQ((*holds)[0].outline.size(), 16u);
  EXPECT_EQ((*holds)[0].origin, HoldOrigin::kDetected);
}

TEST_F(RouteStoreIT, CorrectionsAreStoredWithTheHoldsOriginAndTime) {
  domain::Route r = NewRoute(me_);
  ASSERT_TRUE(repo_->RequestDetection(r.id, me_, domain::Uuid::Random(), Job()).ok());
  const domain::RouteHold red = Hold(500, 400, 20, "red");
  ASSERT_TRUE(repo_->CompleteDetection(r.id, 1, 1000, 800, std::nullopt, {red}).value());
  const domain::Time at = domain::FromUnixMillis(1'800'000'000'000);

  domain::RouteHold manual = Hold(50, 60, 10, "green");
  manual.origin = HoldOrigin::kManual;
  manual.measured.reset();
  manual.role = domain::HoldRole::kTop;
  auto added = repo_->AddHold(
      r.id, manual, {{r.id, manual.id, domain::CorrectionAction::kAdded, HoldOrigin::kManual, at}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->role, domain::HoldRole::kTop);
  EXPECT_FALSE(added->measured);

  ports::HoldChanges change;
  change.outline = std::vector<ImagePoint>{{600, 500}, {640, 500}, {640, 540}, {600, 540}};
  change.colour = "orange";
  change.role = std::optional<domain::HoldRole>(domain::HoldRole::kStart);
  auto edited = repo_->UpdateHold(
      r.id, red.id, change,
      {{r.id, red.id, domain::CorrectionAction::kReshaped, HoldOrigin::kDetected, at},
       {r.id, red.id, domain::CorrectionAction::kRecoloured, HoldOrigin::kDetected, at}});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  ASSERT_TRUE(*edited);
  EXPECT_EQ((*edited)->colour, "orange");
  EXPECT_EQ((*edited)->outline.size(), 4u);
  EXPECT_EQ((*edited)->role, domain::HoldRole::kStart);
  // A cleared role.
  ports::HoldChanges clear;
  clear.role = std::optional<domain::HoldRole>();
  EXPECT_FALSE(repo_->UpdateHold(r.id, red.id, clear, {}).value()->role);
  EXPECT_FALSE(repo_->UpdateHold(r.id, domain::Uuid::Random(), clear, {}).value());

  ASSERT_TRUE(repo_
                  ->SetSelected(r.id, {{red.id, true}, {manual.id, false}},
                                {{r.id, red.id, domain::CorrectionAction::kSelected,
                                  HoldOrigin::kDetected, at}})
                  .ok());
  EXPECT_TRUE(repo_->FindHold(r.id, red.id).value()->selected);

  EXPECT_TRUE(repo_
                  ->DeleteHold(r.id, manual.id,
                               {r.id, manual.id, domain::CorrectionAction::kDeleted,
                                HoldOrigin::kManual, at})
                  .value());
  EXPECT_FALSE(repo_
                   ->DeleteHold(r.id, manual.id,
                                {r.id, manual.id, domain::CorrectionAction::kDeleted,
                                 HoldOrigin::kManual, at})
                   .value());

  auto counts = repo_->Corrections(r.id);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  auto n = [&](domain::CorrectionAction a) { return (*counts)[static_cast<std::size_t>(a)]; };
  EXPECT_EQ(n(domain::CorrectionAction::kAdded), 1);
  EXPECT_EQ(n(domain::CorrectionAction::kReshaped), 1);
  EXPECT_EQ(n(domain::CorrectionAction::kRecoloured), 1);
  EXPECT_EQ(n(domain::CorrectionAction::kSelected), 1);
  EXPECT_EQ(n(domain::CorrectionAction::kDeleted), 1);

  auto c = pool_->Acquire();
  auto rows = (*c)->Exec(
      "SELECT origin, floor(extract(epoch FROM at) * 1000)::int8 FROM route_corrections "
      "WHERE route_id = $1 AND action = 'added'",
      {r.id.str()});
  ASSERT_TRUE(rows.ok() && rows->size() == 1);
  EXPECT_EQ(rows->Text(0, 0), "manual");
  EXPECT_EQ(rows->Int(0, 1), 1'800'000'000'000);
}

TEST_F(RouteStoreIT, NameGradeAndAngleChangeAndClear) {
  const domain::Route r = NewRoute(me_);
  ports::RouteChanges set;
  set.name = std::optional<std::string>("Le toit");
  set.grade = std::optional<std::pair<std::string, std::string>>({"6a+", "french"});
  set.wall_angle_deg = std::optional<double>(20.5);
  auto updated = repo_->Update(r.id, me_, set);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)->name, "Le toit");
  EXPECT_EQ((*updated)->grade, "6a+");
  EXPECT_EQ((*updated)->grade_system, "french");
  EXPECT_EQ((*updated)->wall_angle_deg, 20.5);
  ports::RouteChanges clear;
  clear.grade = std::optional<std::pair<std::string, std::string>>();
  auto cleared = repo_->Update(r.id, me_, clear);
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE((*cleared)->grade);
  EXPECT_FALSE((*cleared)->grade_system);
  EXPECT_EQ((*cleared)->name, "Le toit");
  EXPECT_FALSE(repo_->Update(r.id, you_, set).value());
}

TEST_F(RouteStoreIT, ListingIsTheOwnersNewestFirst) {
  const domain::Route a = NewRoute(me_);
  const domain::Route b = NewRoute(me_);
  NewRoute(you_);
  auto page = repo_->ListOwned(me_, domain::Page{1, 1});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, b.id);
  auto beyond = repo_->ListOwned(me_, domain::Page{3, 1});
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 2);
  EXPECT_FALSE(repo_->DeleteOwned(a.id, you_).value());
  EXPECT_TRUE(repo_->DeleteOwned(a.id, me_).value());
  EXPECT_EQ(repo_->ListOwned(me_, domain::Page{1, 20}).value().total, 1);
}

TEST_F(RouteStoreIT, AStuckDetectionIsRequeuedOnlyOnceItsJobLeftTheOutbox) {
  const domain::Route r = NewRoute(me_);
  ASSERT_TRUE(repo_->RequestDetection(r.id, me_, domain::Uuid::Random(), Job()).ok());
  const auto later = std::chrono::system_clock::now() + std::chrono::hours(1);
  auto requeue = [](const domain::Route&) -> ports::StuckRouteDecision {
    return ports::RequeueRoute{};
  };
  // Its job still waits in the outbox: not touched.
  auto none = repo_->ReapStuck(later, requeue, Job());
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(repo_->FindOwned(r.id, me_).value()->dispatch, 1);
  MarkSent(r.id);
  ASSERT_TRUE(repo_->ReapStuck(later, requeue, Job()).ok());
  const auto requeued = repo_->FindOwned(r.id, me_).value();
  EXPECT_EQ(requeued->dispatch, 2);
  EXPECT_EQ(requeued->requeues, 1);
  EXPECT_EQ(Unsent(r.id), 1);
  MarkSent(r.id);
  auto give_up = [](const domain::Route&) -> ports::StuckRouteDecision {
    return ports::GiveUpRoute{"processing_timeout", "too slow"};
  };
  ASSERT_TRUE(repo_->ReapStuck(later, give_up, Job()).ok());
  const auto failed = repo_->FindOwned(r.id, me_).value();
  EXPECT_EQ(failed->status, RouteStatus::kFailed);
  EXPECT_EQ(failed->error_code, "processing_timeout");
  // A worker still holding the old dispatch changes nothing.
  ASSERT_TRUE(repo_->FailDetection(r.id, 2, "corrupt_image", "x").ok());
  EXPECT_EQ(repo_->FindOwned(r.id, me_).value()->error_code, "processing_timeout");
}

TEST_F(RouteStoreIT, ErasingTheAccountErasesItsRoutesHoldsAndCorrections) {
  const domain::Uuid gone = NewUser();
  const domain::Route r = NewRoute(gone);
  ASSERT_TRUE(repo_->RequestDetection(r.id, gone, domain::Uuid::Random(), Job()).ok());
  ASSERT_TRUE(
      repo_->CompleteDetection(r.id, 1, 100, 100, std::nullopt, {Hold(50, 50, 5, "red")}).value());
  auto c = pool_->Acquire();
  ASSERT_TRUE((*c)->Exec("DELETE FROM users WHERE id = $1", {gone.str()}).ok());
  auto rows = (*c)->Exec(
      "SELECT (SELECT count(*) FROM routes WHERE id = $1) + "
      "(SELECT count(*) FROM route_holds WHERE route_id = $1) + "
      "(SELECT count(*) FROM outbox WHERE route_id = $1)",
      {r.id.str()});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Int(0, 0), 0);
}

}  // namespace
}  // namespace ascension::store
