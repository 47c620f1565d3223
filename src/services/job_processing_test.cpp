// JobProcessing over fakes: completion, permanent failure, retry with backoff then dead-letter,
// redelivery after completion, stale dispatch, a malformed job, SIGTERM interrupt; the document
// built for the owner's climber profile, and with the defaults when it cannot be read.
#include "services/job_processing.hpp"

#include <gtest/gtest.h>

#include "domain/failure.hpp"
#include "services/analyses.hpp"
#include "services/testing/fakes.hpp"
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
  int documents_built_ = 0;
  std::optional<domain::ClimberProfile> built_for_;  // the profile of the last document
  JobProcessing processing_{
      analyses_,
      profiles_,
      objects_,
      poses_,
      events_,
      [this](const domain::PoseSequence& p, domain::Language lang,
             const domain::ClimberProfile& profile) {
        ++documents_built_;
        built_for_ = profile;
        return AnalysisDocument{
            {{"frames", p.frames.size()}, {"language", domain::LanguageCode(lang)}}, "## hints"};
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
      analyses_, profiles_, small_store, poses_, events_,
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
