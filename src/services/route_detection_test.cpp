#include "services/route_detection.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "domain/messages.hpp"
#include "services/route_reaper.hpp"
#include "services/route_section.hpp"
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

// An analysed climb of 640 x 480 px whose left hand rests on the blue hold of TwoHolds (x 100,
// y 200 px) and whose right foot rests far from both; `extra` is merged into the document.
std::string ClimbOnTwoHolds(const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json doc = {
      {"video", {{"width", 640}, {"height", 480}, {"fps", 30}}},
      {"frames",
       {{{"frame", 0}, {"timestamp_ms", 0}, {"pose_detected", false}},
        {{"frame", 3}, {"timestamp_ms", 100}, {"pose_detected", false}}}},
      {"biomechanics",
       {{"summary", {{"body_height", 0.5}}},
        {"placements",
         {{{"limb", "left_hand"},
           {"start_ms", 500},
           {"end_ms", 1500},
           {"position", {{"x", 100.0 / 640}, {"y", 202.0 / 480}}}},
          {{"limb", "right_foot"},
           {"start_ms", 0},
           {"end_ms", 900},
           {"position", {{"x", 0.9}, {"y", 0.95}}}}}}}}};
  doc.update(extra);
  return doc.dump();
}

TEST_F(RouteDetectionTest, TheRoutesDetectionFillsTheHoldsUsedOfItsCompletedAnalyses) {
  // Built from `source` (POST /v1/routes {analysis_id}): it completed before the route existed.
  const domain::Uuid source = domain::Uuid::Random();
  db_.analyses[source] = {me_.user_id, "completed", {"saved/u/v.mp4", ClimbOnTwoHolds()}};
  objects_.Put("saved/u/v.mp4", "video-bytes");
  auto r = routes_service_.FromAnalysis(me_, source);
  ASSERT_TRUE(r.ok());
  route_ = r->id;
  // Climbed on the route, completed while its holds were being detected.
  const domain::Uuid on_route = domain::Uuid::Random();
  const std::string waiting = ClimbOnTwoHolds(
      {{"route",
        {{"id", route_.str()}, {"error", {{"code", "route_not_ready"}, {"message", "m"}}}}}});
  db_.analyses[on_route] = {me_.user_id, "completed", {"k", waiting}, route_};
  // Left alone: one climbed on another route, another user's, one still processing, one that
  // already has its holds used, one whose result is not a JSON object.
  const domain::Uuid other_route = domain::Uuid::Random(), theirs = domain::Uuid::Random(),
                     processing = domain::Uuid::Random(), done = domain::Uuid::Random(),
                     broken = domain::Uuid::Random();
  const std::string done_result =
      ClimbOnTwoHolds({{"route", {{"id", route_.str()}, {"holds_used", nlohmann::json::array()}}}});
  db_.analyses[other_route] = {me_.user_id, "completed", {"k", ClimbOnTwoHolds()},
                               domain::Uuid::Random()};
  db_.analyses[theirs] = {domain::Uuid::Random(), "completed", {"k", ClimbOnTwoHolds()}, route_};
  db_.analyses[processing] = {me_.user_id, "processing", {"k", ClimbOnTwoHolds()}, route_};
  db_.analyses[done] = {me_.user_id, "completed", {"k", done_result}, route_};
  db_.analyses[broken] = {me_.user_id, "completed", {"k", "[1, 2]"}, route_};

  const std::string job = db_.Unsent(route_).at(0).body;
  detector_.video_result = TwoHolds();
  ASSERT_EQ(service_.Handle({job}).outcome, "detected");
  const auto& holds = db_.holds[route_];
  ASSERT_EQ(holds.size(), 2u);
  const domain::Uuid blue = holds[0].colour == "blue" ? holds[0].id : holds[1].id;
  for (const domain::Uuid& id : {source, on_route}) {
    SCOPED_TRACE(id.str());
    auto result = nlohmann::json::parse(db_.analyses[id].source.result_json);
    const nlohmann::json& section = result.at("route");
    EXPECT_EQ(section.at("id"), route_.str());
    EXPECT_FALSE(section.contains("error"));
    ASSERT_EQ(section.at("holds_used").size(), 1u) << section.dump();
    EXPECT_EQ(section["holds_used"][0].at("hold_id"), blue.str());
    EXPECT_EQ(section["holds_used"][0].at("limb"), "left_hand");
    EXPECT_EQ(section["holds_used"][0].at("from_ms"), 500);
    EXPECT_EQ(section.at("unmatched_placements"), 1);
    EXPECT_EQ(section.at("hold_count"), 2);
    EXPECT_TRUE(result.contains("frames"));  // the rest of the result kept
  }
  for (const domain::Uuid& id : {other_route, theirs, processing}) {
    EXPECT_EQ(db_.analyses[id].source.result_json, ClimbOnTwoHolds()) << id.str();
  }
  EXPECT_EQ(db_.analyses[done].source.result_json, done_result);
  EXPECT_EQ(db_.analyses[broken].source.result_json, "[1, 2]");

  // Redelivered (the worker stopped after the commit, before the ack and the fill): the copy is
  // skipped, and the analysis still gains its holds used; once filled, nothing changes.
  db_.analyses[source].source.result_json = ClimbOnTwoHolds();
  const std::string filled_on_route = db_.analyses[on_route].source.result_json;
  EXPECT_EQ(service_.Handle({job, true}).outcome, "skipped");
  EXPECT_TRUE(nlohmann::json::parse(db_.analyses[source].source.result_json)
                  .at("route")
                  .contains("holds_used"));
  EXPECT_EQ(db_.analyses[on_route].source.result_json, filled_on_route);
  EXPECT_EQ(detector_.video_calls, 1);
}

TEST_F(RouteDetectionTest, AnAnalysisChangedDuringTheFillKeepsItsOwnResult) {
  const domain::Uuid source = domain::Uuid::Random();
  db_.analyses[source] = {me_.user_id, "completed", {"saved/u/v.mp4", ClimbOnTwoHolds()}};
  objects_.Put("saved/u/v.mp4", "video-bytes");
  auto r = routes_service_.FromAnalysis(me_, source);
  ASSERT_TRUE(r.ok());
  route_ = r->id;
  // Between the fill's read and its write, another writer replaces the result.
  const std::string theirs = ClimbOnTwoHolds({{"note", "written meanwhile"}});
  db_.before_replace = [&](testing::FakeRouteDatabase::Analysis& a) {
    a.source.result_json = theirs;
  };
  detector_.video_result = TwoHolds();
  ASSERT_EQ(service_.Handle({db_.Unsent(route_).at(0).body}).outcome, "detected");
  EXPECT_EQ(db_.analyses[source].source.result_json, theirs);
  EXPECT_EQ(Row().status, RouteStatus::kReady);

  // The fill itself, run again on the ready route, now writes (idempotent otherwise).
  db_.before_replace = nullptr;
  auto filled = FillHoldsUsed(repo_, Row());
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(filled->filled, 1);
  auto result = nlohmann::json::parse(db_.analyses[source].source.result_json);
  EXPECT_EQ(result.at("note"), "written meanwhile");
  EXPECT_EQ(result.at("route").at("holds_used").size(), 1u);
  auto again = FillHoldsUsed(repo_, Row());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->filled, 0);
  EXPECT_EQ(again->unchanged, 1);
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
