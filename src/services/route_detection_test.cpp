#include "services/route_detection.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "domain/messages.hpp"
#include "services/route_reaper.hpp"
#include "services/routes.hpp"
#include "services/testing/fakes.hpp"
#include "services/testing/route_fakes.hpp"

namespace ascension::services {
namespace {

using Action = RouteVerdict::Action;
using domain::RouteEventKind;
using domain::RouteStatus;

ports::DetectedHolds TwoHolds() {
  ports::DetectedHolds d;
  d.image_width = 640;
  d.image_height = 480;
  for (auto [x, colour] : {std::pair{100.0, "blue"}, {300.0, "red"}}) {
    domain::RouteHold h;
    h.outline = domain::CircleOutline({x, 200}, 15, 8);
    h.colour = colour;
    h.size = "small";
    h.confidence = 0.7;
    d.holds.push_back(h);
  }
  return d;
}

class RouteDetectionTest : public ::testing::Test {
 protected:
  RouteDetectionTest() { db_.clock = &clock_; }

  // A photo route of mine with its photo uploaded and its detection queued; returns the job.
  std::string QueuedPhoto(const std::string& bytes = "photo-bytes") {
    auto t = routes_service_.RequestUpload(me_, "wall.jpg");
    EXPECT_TRUE(t.ok());
    route_ = t->route.id;
    objects_.Put(t->route.image_key, bytes);
    EXPECT_TRUE(routes_service_.Detect(me_, route_).ok());
    auto unsent = db_.Unsent(route_);
    EXPECT_EQ(unsent.size(), 1u);
    db_.MarkAllSent();
    return unsent.empty() ? "" : unsent.back().body;
  }
  domain::Route Row() {
    std::lock_guard l(db_.mu);
    return db_.routes.at(route_);
  }

  testing::FakeClock clock_;
  testing::FakeRouteDatabase db_;
  testing::FakeRouteRepository repo_{db_};
  testing::FakeObjectStore objects_;
  testing::FakeHoldDetector detector_;
  testing::FakeRouteEvents events_;
  std::atomic<bool> stopping_{false};
  Routes routes_service_{repo_, objects_, clock_, RoutesOptions{.bucket = "bucket"}};
  RouteDetection service_{repo_,
                          objects_,
                          detector_,
                          events_,
                          clock_,
                          stopping_,
                          RouteDetectionOptions{.tmp_dir = ::testing::TempDir()}};
  Principal me_{domain::Uuid::Random(), "user"};
  domain::Uuid route_;
};

TEST_F(RouteDetectionTest, APhotoIsDetectedStoredAndAnnounced) {
  const std::string job = QueuedPhoto();
  detector_.photo_result = TwoHolds();
  RouteVerdict v = service_.Handle({job});
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(v.outcome, "detected");
  EXPECT_EQ(v.holds, 2);
  EXPECT_EQ(detector_.last_photo_bytes, "photo-bytes");
  const domain::Route r = Row();
  EXPECT_EQ(r.status, RouteStatus::kReady);
  EXPECT_EQ(r.image_width, 640);
  EXPECT_EQ(r.attempts, 1);
  ASSERT_EQ(db_.holds[route_].size(), 2u);
  for (const auto& h : db_.holds[route_]) {
    EXPECT_EQ(h.origin, domain::HoldOrigin::kDetected);
    EXPECT_NE(h.id, domain::Uuid());
  }
  EXPECT_NE(db_.holds[route_][0].id, db_.holds[route_][1].id);
  auto events = events_.Take();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front().kind, RouteEventKind::kProgress);
  EXPECT_EQ(events.back().kind, RouteEventKind::kDetected);
  EXPECT_EQ(events.back().hold_count, 2);
  EXPECT_EQ(events.back().user_id, me_.user_id.str());
  EXPECT_EQ(events.back().route_id, route_.str());
  // The photo's temporary copy is gone.
  for (const auto& f : std::filesystem::directory_iterator(::testing::TempDir())) {
    EXPECT_EQ(f.path().filename().string().find("-holds-" + route_.str()), std::string::npos)
        << f.path();
  }
}

TEST_F(RouteDetectionTest, RedeliveryAndStaleCopiesAreSkipped) {
  const std::string job = QueuedPhoto();
  detector_.photo_result = TwoHolds();
  ASSERT_EQ(service_.Handle({job}).outcome, "detected");
  RouteVerdict again = service_.Handle({job, true});
  EXPECT_EQ(again.action, Action::kAck);
  EXPECT_EQ(again.outcome, "skipped");
  EXPECT_EQ(detector_.photo_calls, 1);
  // Detected again: the first job's copy (dispatch 1) is stale for dispatch 2.
  ASSERT_TRUE(routes_service_.Detect(me_, route_).ok());
  EXPECT_EQ(service_.Handle({job, true}).outcome, "skipped");
  EXPECT_EQ(detector_.photo_calls, 1);
  EXPECT_EQ(Row().status, RouteStatus::kDetecting);
}

TEST_F(RouteDetectionTest, AnUnreadableMessageIsDeadLetteredAtOnce) {
  for (const char* body : {"not json",
                           R"({"job_id":"j","route_id":"r","user_id":"u",)"
                           R"("source":"photo","image_url":"s3://b/k"})",
                           R"({"job_id":"j","route_id":7})"}) {
    RouteVerdict v = service_.Handle({body});
    EXPECT_EQ(v.action, Action::kDeadLetter) << body;
    EXPECT_EQ(v.outcome, "invalid");
  }
  EXPECT_EQ(detector_.photo_calls, 0);
}

TEST_F(RouteDetectionTest, ACorruptPhotoFailsTheRouteWithItsCode) {
  const std::string job = QueuedPhoto();
  detector_.photo_result =
      Status(ErrorKind::kInvalidArgument, "not a JPEG after all", "corrupt_image");
  RouteVerdict v = service_.Handle({job});
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(v.outcome, "failed");
  const domain::Route r = Row();
  EXPECT_EQ(r.status, RouteStatus::kFailed);
  EXPECT_EQ(r.error_code, "corrupt_image");
  EXPECT_EQ(r.error_message, "La photo est endommagée ou incomplète.");
  auto events = events_.Take();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, RouteEventKind::kFailed);
  EXPECT_EQ(events.back().error_code, "corrupt_image");
}

TEST_F(RouteDetectionTest, AMissingOrOversizedPhotoIsPermanent) {
  std::string job = QueuedPhoto();
  ASSERT_TRUE(objects_.Delete(db_.routes.at(route_).image_key).ok());
  EXPECT_EQ(service_.Handle({job}).error_code, "photo_not_found");
  EXPECT_EQ(Row().status, RouteStatus::kFailed);
  RouteDetection strict{
      repo_,
      objects_,
      detector_,
      events_,
      clock_,
      stopping_,
      RouteDetectionOptions{.tmp_dir = ::testing::TempDir(), .max_photo_bytes = 3}};
  job = QueuedPhoto("12345");
  RouteVerdict v = strict.Handle({job});
  EXPECT_EQ(v.outcome, "failed");
  EXPECT_EQ(v.error_code, "image_too_large");
  EXPECT_EQ(detector_.photo_calls, 0);
}

TEST_F(RouteDetectionTest, AStorageOutageIsRetriedWithBackoffThenDeadLettered) {
  std::string job = QueuedPhoto();
  objects_.SetOutage(Unavailable("rgw down"));
  RouteVerdict v = service_.Handle({job});
  EXPECT_EQ(v.action, Action::kRetry);
  EXPECT_EQ(v.retry_delay, std::chrono::milliseconds(2000));
  auto retried = domain::DecodeHoldsJob(v.retry_body);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->attempt, 2);
  EXPECT_EQ(Row().status, RouteStatus::kDetecting);
  v = service_.Handle({v.retry_body});
  EXPECT_EQ(v.action, Action::kRetry);
  EXPECT_EQ(v.retry_delay, std::chrono::milliseconds(4000));
  v = service_.Handle({v.retry_body});
  EXPECT_EQ(v.action, Action::kDeadLetter);
  EXPECT_EQ(v.outcome, "dead_lettered");
  EXPECT_EQ(Row().status, RouteStatus::kFailed);
  EXPECT_EQ(Row().error_code, "storage_unavailable");
  EXPECT_EQ(Row().error_message, "La détection des prises a échoué.");
  auto events = events_.Take();
  EXPECT_EQ(events.back().kind, RouteEventKind::kFailed);
}

TEST_F(RouteDetectionTest, ARouteFromAnAnalysisStoresItsWallImage) {
  const domain::Uuid analysis = domain::Uuid::Random();
  const std::string result = R"({"frames":[{"frame":0,"timestamp_ms":0,"pose_detected":false},)"
                             R"({"frame":3,"timestamp_ms":100,"pose_detected":false}]})";
  db_.analyses[analysis] = {me_.user_id, "completed", {"saved/u/v.mp4", result}};
  objects_.Put("saved/u/v.mp4", "video-bytes");
  auto r = routes_service_.FromAnalysis(me_, analysis);
  ASSERT_TRUE(r.ok());
  route_ = r->id;
  const std::string job = db_.Unsent(route_).at(0).body;
  ports::DetectedHolds d = TwoHolds();
  d.reference_ms = 4200;
  detector_.video_result = d;
  detector_.wall_bytes = "the-wall";
  RouteVerdict v = service_.Handle({job});
  EXPECT_EQ(v.outcome, "detected") << v.error_code;
  EXPECT_EQ(detector_.video_calls, 1);
  EXPECT_EQ(detector_.last_pose_frames, 2u);
  ASSERT_TRUE(objects_.Has(r->image_key));
  EXPECT_EQ(Row().status, RouteStatus::kReady);
  EXPECT_EQ(Row().reference_ms, 4200);
  EXPECT_EQ(db_.holds[route_].size(), 2u);
  std::filesystem::path got = std::filesystem::path(::testing::TempDir()) / "wall-copy";
  ASSERT_TRUE(objects_.Download(r->image_key, got, {}).ok());
  std::ifstream in(got);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, "the-wall");
}

TEST_F(RouteDetectionTest, ARouteWhoseAnalysisIsGoneFailsAndAStopGivesTheJobBack) {
  const domain::Uuid analysis = domain::Uuid::Random();
  db_.analyses[analysis] = {me_.user_id, "completed", {"saved/u/v.mp4", "not json"}};
  auto r = routes_service_.FromAnalysis(me_, analysis);
  ASSERT_TRUE(r.ok());
  route_ = r->id;
  std::string job = db_.Unsent(route_).at(0).body;
  EXPECT_EQ(service_.Handle({job}).error_code, "analysis_not_found");
  EXPECT_EQ(Row().status, RouteStatus::kFailed);

  db_.analyses[analysis].source.result_json = R"({"frames":[]})";
  objects_.Put("saved/u/v.mp4", "video-bytes");
  auto again = routes_service_.Detect(me_, route_);
  ASSERT_TRUE(again.ok());
  job = db_.Unsent(route_).back().body;
  stopping_ = true;
  detector_.video_result = TwoHolds();
  RouteVerdict v = service_.Handle({job});
  EXPECT_EQ(v.action, Action::kRequeue);
  EXPECT_EQ(v.outcome, "interrupted");
  EXPECT_EQ(Row().status, RouteStatus::kDetecting);
}

TEST(RouteReaper, RequeuesStuckDetectionsOnceEachThenGivesUp) {
  testing::FakeClock clock;
  testing::FakeRouteDatabase db;
  db.clock = &clock;
  testing::FakeRouteRepository repo{db};
  testing::FakeObjectStore objects;
  Routes routes{repo, objects, clock, RoutesOptions{.bucket = "bucket"}};
  RouteReaper reaper{
      repo, clock,
      RouteReaperOptions{
          .stuck_timeout = std::chrono::seconds(60), .max_requeues = 1, .bucket = "bucket"}};
  Principal me{domain::Uuid::Random(), "user"};
  auto t = routes.RequestUpload(me, "wall.jpg");
  objects.Put(t->route.image_key, "x");
  ASSERT_TRUE(routes.Detect(me, t->route.id).ok());
  clock.Advance(std::chrono::seconds(120));
  // Still waiting in the outbox: not lost, left alone.
  EXPECT_EQ(reaper.RunOnce().value().requeued, 0);
  db.MarkAllSent();
  auto first = reaper.RunOnce();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->requeued, 1);
  auto unsent = db.Unsent(t->route.id);
  ASSERT_EQ(unsent.size(), 1u);
  EXPECT_EQ(domain::DecodeHoldsJob(unsent[0].body)->dispatch, 2);
  EXPECT_EQ(db.routes.at(t->route.id).requeues, 1);
  // Not yet stuck again.
  db.MarkAllSent();
  EXPECT_EQ(reaper.RunOnce().value().requeued, 0);
  clock.Advance(std::chrono::seconds(120));
  auto second = reaper.RunOnce();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->failed, 1);
  EXPECT_EQ(db.routes.at(t->route.id).status, RouteStatus::kFailed);
  EXPECT_EQ(db.routes.at(t->route.id).error_code, "processing_timeout");
}

}  // namespace
}  // namespace ascension::services
