// JobProcessing over fakes: completion, permanent failure, retry with backoff then dead-letter,
// redelivery after completion, stale dispatch, a malformed job, SIGTERM interrupt; the document
// built for the owner's climber profile, and with the defaults when it cannot be read.
#include "services/job_processing.hpp"

#include <gtest/gtest.h>

#include "domain/failure.hpp"
#include "services/analyses.hpp"
#include "services/testing/fakes.hpp"
#include "services/testing/ghost_fakes.hpp"
#include "services/testing/route_fakes.hpp"
#include "services/testing/training_fakes.hpp"

namespace ascension::services {
namespace {

using namespace std::chrono_literals;
using Action = Verdict::Action;

// The fake profiles, or a stored row that cannot be read (kDataLoss) while `broken` is set.
class BreakableProfiles final : public ports::ProfileRepository {
 public:
  explicit BreakableProfiles(testing::FakeDatabase& db) : fake_(db) {}
  Result<domain::ClimberProfile> Find(const domain::Uuid& user_id) override {
    if (broken) return DataLoss("climber_profiles: height_cm is not a number");
    return fake_.Find(user_id);
  }
  Result<domain::ClimberProfile> Update(
      const domain::Uuid& user_id,
      const std::function<Result<domain::ClimberProfile>(const domain::ClimberProfile&)>& change)
      override {
    return fake_.Update(user_id, change);
  }
  bool broken = false;

 private:
  testing::FakeProfileRepository fake_;
};

class JobProcessingTest : public ::testing::Test {
 protected:
  JobProcessingTest() {
    db_.clock = &clock_;
    domain::User u;
    u.id = user_;
    db_.users[u.id] = u;
    domain::Video v;
    v.id = domain::Uuid::Random();
    v.user_id = user_;
    v.object_key = "uploads/" + user_.str() + "/" + v.id.str() + ".mp4";
    db_.videos[v.id] = v;
    objects_.Put(v.object_key, "video bytes");
    analysis_ = analyses_.Add(user_, v.id, "pending", clock_.Now());
    body_ = JobFor(analysis_, "bucket", v.object_key, 0).body;
    poses_.clock = &clock_;
    poses_.result = domain::PoseSequence{};
    poses_.result->frames.resize(3);
  }

  Verdict Handle(const std::string& body) { return processing_.Handle({body, false, nullptr}); }
  domain::Analysis Row() {
    std::lock_guard l(db_.mu);
    return db_.analyses[analysis_.id].analysis;
  }

  static std::filesystem::path MakeTmp() {
    auto p = std::filesystem::temp_directory_path() / ("jp-test-" + domain::Uuid::Random().str());
    std::filesystem::create_directories(p);
    return p;
  }
  ~JobProcessingTest() override { std::filesystem::remove_all(tmp_); }

  std::filesystem::path tmp_ = MakeTmp();
  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeAnalysisRepository analyses_{db_};
  testing::FakeObjectStore objects_;
  testing::FakePoseEstimator poses_;
  testing::FakeEventPublisher events_;
  std::atomic<bool> stopping_{false};
  domain::Uuid user_ = domain::Uuid::Random();
  domain::Analysis analysis_;
  std::string body_;
  BreakableProfiles profiles_{db_};
  testing::FakeRouteDatabase routes_db_;
  testing::FakeRouteRepository routes_{routes_db_};
  testing::FakeUserRepository users_{db_};
  testing::FakeGhostRepository ghosts_{clock_};
  ClimbOnRoute climbs_{routes_, profiles_, ghosts_, users_};
  nlohmann::json extra_result_ = nlohmann::json::object();  // merged into each document built
  int documents_built_ = 0;
  std::optional<domain::ClimberProfile> built_for_;  // the profile of the last document
  JobProcessing processing_{
      analyses_,
      profiles_,
      climbs_,
      objects_,
      poses_,
      events_,
      [this](const domain::PoseSequence& p, domain::Language lang,
             const domain::ClimberProfile& profile) {
        ++documents_built_;
        built_for_ = profile;
        nlohmann::json result = {{"frames", p.frames.size()},
                                 {"language", domain::LanguageCode(lang)}};
        result.update(extra_result_);
        return AnalysisDocument{std::move(result), "## hints"};
      },
      clock_,
      stopping_,
      JobProcessingOptions{3, 30s, tmp_, domain::Language::kFr, "heavy"}};
};

TEST_F(JobProcessingTest, CompletesStoresTheResultAndPublishesProgressThenCompleted) {
  auto v = Handle(body_);
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(v.outcome, "completed");
  auto row = Row();
  EXPECT_EQ(row.status, "completed");
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(*row.result_json, R"({"frames":3,"language":"fr"})");
  auto events = events_.events();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().kind, domain::EventKind::kProgress);
  EXPECT_EQ(events.front().stage, "downloading");
  EXPECT_EQ(events.back().kind, domain::EventKind::kCompleted);
  EXPECT_EQ(events.back().user_id, user_.str());
  EXPECT_EQ(poses_.last_model, "heavy");
  EXPECT_TRUE(std::filesystem::is_empty(tmp_)) << "the temporary video was left behind";
}

TEST_F(JobProcessingTest, TheDocumentIsBuiltForTheOwnersProfile) {
  domain::ClimberProfile p;
  p.height_cm = 168;
  p.arm_span_cm = 172;
  p.limbs[static_cast<int>(domain::BodyLimb::kRightArm)] = domain::LimbCondition::kInjured;
  {
    std::lock_guard l(db_.mu);
    db_.profiles[user_] = p;
    db_.profiles[domain::Uuid::Random()].height_cm = 190;  // another climber's
  }
  ASSERT_EQ(Handle(body_).outcome, "completed");
  ASSERT_TRUE(built_for_.has_value());
  EXPECT_EQ(*built_for_, p);
}

TEST_F(JobProcessingTest, AnUnreadableProfileDoesNotFailTheAnalysis) {
  {
    std::lock_guard l(db_.mu);
    db_.profiles[user_].height_cm = 168;
  }
  profiles_.broken = true;
  auto v = Handle(body_);
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(v.outcome, "completed");
  EXPECT_EQ(Row().status, "completed");
  ASSERT_TRUE(built_for_.has_value());
  EXPECT_EQ(*built_for_, domain::ClimberProfile{}) << "the coaching falls back to the defaults";
}

// A ready route of the user's, 1000 x 500 px, with a hold around (0.25, 0.5) and one around
// (0.75, 0.5) (normalized); the climb: the left hand on the first, the right foot on nothing.
struct RouteFixture {
  domain::Uuid route_id = domain::Uuid::Random();
  domain::Uuid near_hold = domain::Uuid::Random();
  domain::Uuid far_hold = domain::Uuid::Random();
};

RouteFixture AddRoute(testing::FakeRouteDatabase& db, const domain::Uuid& user) {
  RouteFixture f;
  domain::Route r;
  r.id = f.route_id;
  r.user_id = user;
  r.status = domain::RouteStatus::kReady;
  r.image_width = 1000;
  r.image_height = 500;
  db.routes[r.id] = r;
  for (auto [id, cx] : {std::pair{f.near_hold, 250.0}, std::pair{f.far_hold, 750.0}}) {
    domain::RouteHold h;
    h.id = id;
    h.outline = domain::CircleOutline({cx, 250}, 20);
    h.colour = "blue";
    h.size = "small";
    db.holds[r.id].push_back(h);
  }
  return f;
}

nlohmann::json Placements() {
  return {{"video", {{"width", 1000}, {"height", 500}}},
          {"biomechanics",
           {{"summary", {{"body_height", 0.6}}},
            {"placements",
             {{{"limb", "left_hand"},
               {"start_ms", 400},
               {"end_ms", 2400},
               {"position", {{"x", 0.252}, {"y", 0.51}}}},
              {{"limb", "right_foot"},
               {"start_ms", 0},
               {"end_ms", 3000},
               {"position", {{"x", 0.5}, {"y", 0.9}}}}}}}}};
}

TEST_F(JobProcessingTest, AClimbOnARouteGetsTheHoldsItUsed) {
  RouteFixture route = AddRoute(routes_db_, user_);
  {
    std::lock_guard l(db_.mu);
    db_.analyses[analysis_.id].analysis.route_id = route.route_id;
  }
  extra_result_ = Placements();
  auto v = Handle(body_);
  EXPECT_EQ(v.outcome, "completed");
  auto row = Row();
  ASSERT_TRUE(row.result_json);
  auto result = nlohmann::json::parse(*row.result_json);
  const auto& section = result.at("route");
  EXPECT_EQ(section.at("id"), route.route_id.str());
  ASSERT_EQ(section.at("holds_used").size(), 1u) << section.dump();
  const auto& used = section["holds_used"][0];
  EXPECT_EQ(used.at("hold_id"), route.near_hold.str());
  EXPECT_EQ(used.at("limb"), "left_hand");
  EXPECT_EQ(used.at("from_ms"), 400);
  EXPECT_EQ(used.at("to_ms"), 2400);
  EXPECT_NEAR(used.at("hold_centre").at("x").get<double>(), 0.25, 1e-3);
  EXPECT_EQ(section.at("unmatched_placements"), 1);
  EXPECT_EQ(section.at("hold_count"), 2);
  EXPECT_FALSE(section.contains("error"));
}

TEST_F(JobProcessingTest, AnAnalysisWithoutARouteHasNoRouteSection) {
  AddRoute(routes_db_, user_);
  extra_result_ = Placements();
  EXPECT_EQ(Handle(body_).outcome, "completed");
  auto result = nlohmann::json::parse(*Row().result_json);
  EXPECT_FALSE(result.contains("route"));
}

TEST_F(JobProcessingTest, ARouteThatCannotBeReadLeavesTheSectionOutAndSaysWhy) {
  RouteFixture route = AddRoute(routes_db_, user_);
  {
    std::lock_guard l(db_.mu);
    db_.analyses[analysis_.id].analysis.route_id = route.route_id;
  }
  extra_result_ = Placements();
  auto error_code = [&] {
    auto result = nlohmann::json::parse(*Row().result_json);
    EXPECT_FALSE(result.at("route").contains("holds_used"));
    return result.at("route").at("error").at("code").get<std::string>();
  };
  routes_db_.outage = Unavailable("database away");
  EXPECT_EQ(Handle(body_).outcome, "completed");
  EXPECT_EQ(Row().status, "completed");
  EXPECT_EQ(error_code(), "route_unavailable");

  // Deleted since (or another user's: FindOwned looks the same).
  routes_db_.outage.reset();
  auto again = [&] {
    std::lock_guard l(db_.mu);
    auto& a = db_.analyses[analysis_.id].analysis;
    a.status = "pending";
    a.attempts = 0;
    a.result_json.reset();
  };
  again();
  routes_db_.routes[route.route_id].user_id = domain::Uuid::Random();
  EXPECT_EQ(Handle(body_).outcome, "completed");
  EXPECT_EQ(error_code(), "route_not_found");

  again();
  routes_db_.routes[route.route_id].user_id = user_;
  routes_db_.routes[route.route_id].status = domain::RouteStatus::kDetecting;
  EXPECT_EQ(Handle(body_).outcome, "completed");
  EXPECT_EQ(error_code(), "route_not_ready");

  // The result's placements unusable: said, not thrown.
  again();
  routes_db_.routes[route.route_id].status = domain::RouteStatus::kReady;
  extra_result_["biomechanics"]["placements"] = "none";
  EXPECT_EQ(Handle(body_).outcome, "completed");
  EXPECT_EQ(error_code(), "route_unreadable");
}

TEST_F(JobProcessingTest, RedeliveryAfterCompletionIsAckedAndSkipped) {
  ASSERT_EQ(Handle(body_).outcome, "completed");
  auto again = Handle(body_);
  EXPECT_EQ(again.action, Action::kAck);
  EXPECT_EQ(again.outcome, "skipped");
  EXPECT_EQ(poses_.calls, 1) << "a completed analysis was analysed again";
  EXPECT_EQ(Row().attempts, 1);
}

TEST_F(JobProcessingTest, AStaleDispatchIsSkipped) {
  {
    std::lock_guard l(db_.mu);
    db_.analyses[analysis_.id].analysis.dispatch = 1;  // re-queued since this copy was sent
  }
  EXPECT_EQ(Handle(body_).outcome, "skipped");
  EXPECT_EQ(poses_.calls, 0);
}

TEST_F(JobProcessingTest, PermanentFailureFailsAtOnceWithItsCodeAndMessage) {
  poses_.result = Status(ErrorKind::kInvalidArgument, "no moov atom", "corrupt_video");
  auto v = Handle(body_);
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(v.outcome, "failed");
  auto row = Row();
  EXPECT_EQ(row.status, "failed");
  EXPECT_EQ(row.error_code, "corrupt_video");
  EXPECT_EQ(row.error_message, "La vidéo est endommagée ou incomplète.");
  EXPECT_EQ(events_.events().back().kind, domain::EventKind::kFailed);
  EXPECT_EQ(events_.events().back().error_code, "corrupt_video");
}

TEST_F(JobProcessingTest, TransientFailureRetriesWithBackoffThenDeadLetters) {
  objects_.SetOutage(Unavailable("rgw down"));
  std::string body = body_;
  std::vector<std::chrono::milliseconds> delays;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto v = Handle(body);
    if (attempt < 3) {
      ASSERT_EQ(v.action, Action::kRetry) << attempt;
      EXPECT_EQ(v.outcome, "retried");
      EXPECT_EQ(domain::DecodeJob(v.retry_body)->attempt, attempt + 1);
      delays.push_back(v.retry_delay);
      EXPECT_EQ(Row().status, "processing") << "a retry must not fail the analysis";
      body = v.retry_body;
    } else {
      EXPECT_EQ(v.action, Action::kDeadLetter);
      EXPECT_EQ(v.outcome, "dead_lettered");
    }
  }
  EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{2000ms, 4000ms}));
  EXPECT_EQ(Row().status, "failed");
  EXPECT_EQ(Row().error_code, "storage_unavailable");
}

TEST_F(JobProcessingTest, AMissingVideoIsPermanent) {
  (void)objects_.Delete(db_.videos.begin()->second.object_key);
  EXPECT_EQ(Handle(body_).outcome, "failed");
  EXPECT_EQ(Row().error_code, "video_not_found");
}

// issue 10 #2: the object was replaced after the 202 (its ETag is not the recorded one): the
// analysis fails with video_changed and the replacement is never analysed.
TEST_F(JobProcessingTest, AnObjectReplacedAfterTheAnalysisWasAcceptedIsNotAnalysed) {
  const std::string key = db_.videos.begin()->second.object_key;
  {
    std::lock_guard l(db_.mu);
    db_.analyses[analysis_.id].analysis.object_etag = testing::FakeEtag("video bytes");
    db_.analyses[analysis_.id].analysis.object_size = 11;
  }
  objects_.Put(key, "other bytes");
  auto v = Handle(body_);
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(v.outcome, "failed");
  EXPECT_EQ(Row().status, "failed");
  EXPECT_EQ(Row().error_code, "video_changed");
  EXPECT_EQ(poses_.calls, 0);
  EXPECT_EQ(documents_built_, 0);
}

TEST_F(JobProcessingTest, TheRecordedVersionIsAnalysed) {
  {
    std::lock_guard l(db_.mu);
    db_.analyses[analysis_.id].analysis.object_etag = testing::FakeEtag("video bytes");
    db_.analyses[analysis_.id].analysis.object_size = 11;
  }
  EXPECT_EQ(Handle(body_).outcome, "completed");
  EXPECT_EQ(Row().status, "completed");
}

// An object over MAX_VIDEO_BYTES (an analysis from before the ETag was recorded, or a store
// without the put limit) is not downloaded: video_too_large, at once.
TEST_F(JobProcessingTest, AnObjectOverTheSizeLimitIsNotDownloaded) {
  testing::FakeObjectStore small_store;
  small_store.Put(db_.videos.begin()->second.object_key, std::string(64, 'x'));
  JobProcessingOptions options{3, 30s, tmp_, domain::Language::kFr, "heavy"};
  options.max_video_bytes = 63;
  JobProcessing limited(
      analyses_, profiles_, climbs_, small_store, poses_, events_,
      [](const domain::PoseSequence&, domain::Language, const domain::ClimberProfile&) {
        return AnalysisDocument{};
      },
      clock_, stopping_, options);
  auto v = limited.Handle({body_, false, nullptr});
  EXPECT_EQ(v.action, Action::kAck);
  EXPECT_EQ(Row().status, "failed");
  EXPECT_EQ(Row().error_code, "video_too_large");
  EXPECT_EQ(poses_.calls, 0);
}

// issue 11: {"model":1} crashed every worker. It is dead-lettered at once and its analysis fails.
TEST_F(JobProcessingTest, AMalformedJobIsDeadLetteredAtOnceAndItsAnalysisFails) {
  auto j = nlohmann::json::parse(body_);
  j["model"] = 1;
  auto v = Handle(j.dump());
  EXPECT_EQ(v.action, Action::kDeadLetter);
  EXPECT_EQ(v.outcome, "invalid");
  EXPECT_EQ(Row().status, "failed");
  EXPECT_EQ(Row().error_code, "invalid_job");
  for (const char* body : {"", "not json", "[]", R"({"analysis_id":"x"})"})
    EXPECT_EQ(Handle(body).action, Action::kDeadLetter) << body;
  EXPECT_EQ(poses_.calls, 0);
}

TEST_F(JobProcessingTest, SigtermFinishesWithinTheGraceOrGivesTheJobBack) {
  // Stop requested at the first step; the job needs 4 × 100 ms: within 30 s of grace.
  poses_.on_step = [&](int step) {
    if (step == 1) stopping_ = true;
  };
  EXPECT_EQ(Handle(body_).outcome, "completed");
  // Now a job that would need 40 s after the stop.
  stopping_ = false;
  auto second = analyses_.Add(user_, db_.videos.begin()->first, "pending", clock_.Now());
  poses_.step_time = 10s;
  poses_.steps = 8;
  auto v = Handle(JobFor(second, "bucket", db_.videos.begin()->second.object_key, 0).body);
  EXPECT_EQ(v.action, Action::kRequeue);
  EXPECT_EQ(v.outcome, "interrupted");
  std::lock_guard l(db_.mu);
  EXPECT_EQ(db_.analyses[second.id].analysis.status, "processing") << "interrupted, not failed";
}

TEST_F(JobProcessingTest, ADatabaseOutageAtStartIsRetried) {
  db_.outage = Unavailable("postgres down");
  auto v = Handle(body_);
  EXPECT_EQ(v.action, Action::kRetry);
  db_.outage.reset();
}

}  // namespace
}  // namespace ascension::services
