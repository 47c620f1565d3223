// Analyses over fakes: the quota (burst, month boundary, failed and deleted analyses), the
// upload checks, the job message it queues, the language choice.
#include "services/analyses.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "domain/messages.hpp"
#include "services/testing/fakes.hpp"
#include "services/testing/route_fakes.hpp"

namespace ascension::services {
namespace {

using namespace std::chrono_literals;

class AnalysesTest : public ::testing::Test {
 protected:
  AnalysesTest() {
    db_.clock = &clock_;
    domain::User u;
    u.id = me_.user_id;
    u.username = "climber";
    db_.users[u.id] = u;
    video_ = NewVideo("12345");
  }

  domain::Uuid NewVideo(const std::string& bytes) {
    domain::Video v;
    v.id = domain::Uuid::Random();
    v.user_id = me_.user_id;
    v.object_key = "uploads/" + me_.user_id.str() + "/" + v.id.str() + ".mp4";
    v.content_type = "video/mp4";
    db_.videos[v.id] = v;
    objects_.Put(v.object_key, bytes);
    return v.id;
  }

  Result<domain::Analysis> Start(std::optional<domain::Language> lang = std::nullopt) {
    return service_.Start(me_, {video_, "heavy", lang, std::nullopt});
  }

  testing::FakeClock clock_{domain::FromUnixMillis(1772323200000 - 60000)};  // 2026-02-28T23:59Z
  testing::FakeDatabase db_;
  testing::FakeAnalysisRepository analyses_{db_};
  testing::FakeVideoRepository videos_{db_};
  testing::FakeUserRepository users_{db_};
  testing::FakeObjectStore objects_;
  testing::FakeRouteDatabase routes_db_;
  testing::FakeRouteRepository routes_{routes_db_};
  Principal me_{domain::Uuid::Random(), "user"};
  domain::Uuid video_;
  Analyses service_{analyses_, videos_, users_,  routes_,
                    objects_,  clock_,  AnalysesOptions{1000, "bucket", domain::Language::kFr}};

  domain::Uuid NewRoute(const domain::Uuid& owner, domain::RouteStatus status) {
    domain::Route r;
    r.id = domain::Uuid::Random();
    r.user_id = owner;
    r.status = status;
    routes_db_.routes[r.id] = r;
    return r.id;
  }
};

TEST_F(AnalysesTest, QueuesTheJobMessageOfTheDesignWithTheTiersPriority) {
  db_.users[me_.user_id].subscription_tier = "infinity";
  auto a = Start();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->status, "pending");
  EXPECT_EQ(a->job_id, a->id);
  ASSERT_EQ(db_.outbox.size(), 1u);
  const auto& m = db_.outbox[0];
  EXPECT_EQ(m.routing_key, "vision.skeleton");
  EXPECT_EQ(m.priority, 9);
  EXPECT_EQ(m.analysis_id, a->id);
  auto job = domain::DecodeJob(m.body);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->analysis_id, a->id.str());
  EXPECT_EQ(job->user_id, me_.user_id.str());
  EXPECT_EQ(job->video_url, "s3://bucket/" + db_.videos[video_].object_key);
  EXPECT_EQ(job->attempt, 1);
  EXPECT_EQ(job->dispatch, 0);
  EXPECT_EQ(job->language, "fr");  // neither header nor profile: DEFAULT_LANGUAGE
  EXPECT_EQ(db_.videos[video_].status, "uploaded");
  // issue 10 #2: the version accepted is recorded, for the worker's If-Match.
  EXPECT_EQ(a->object_etag, testing::FakeEtag("12345"));
  EXPECT_EQ(a->object_size, 5);
  EXPECT_EQ(db_.analyses[a->id].analysis.object_etag, testing::FakeEtag("12345"));
}

TEST_F(AnalysesTest, LanguageIsTheHeaderThenTheProfileThenTheDefault) {
  db_.users[me_.user_id].language = domain::Language::kEn;
  auto profile = Start();
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->language, domain::Language::kEn);
  auto header = Start(domain::Language::kFr);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->language, domain::Language::kFr);
}

TEST_F(AnalysesTest, QuotaCountsThisMonthsAnalysesThatDidNotFail) {
  // Nine this month (one failed: not counted, so eight), two last month.
  for (int i = 0; i < 8; ++i) analyses_.Add(me_.user_id, video_, "completed", clock_.Now() - 1h);
  analyses_.Add(me_.user_id, video_, "failed", clock_.Now() - 1h);
  analyses_.Add(me_.user_id, video_, "completed", clock_.Now() - 24h * 40);
  analyses_.Add(me_.user_id, video_, "completed", clock_.Now() - 24h * 40);
  ASSERT_TRUE(Start().ok());
  ASSERT_TRUE(Start().ok());  // the tenth
  auto refused = Start();
  EXPECT_EQ(refused.status().code(), "quota_exceeded");
  EXPECT_EQ(refused.status().kind(), ErrorKind::kPermissionDenied);
  EXPECT_EQ(refused.status().message(),
            "Monthly analysis quota reached (10 for the freemium plan)");
  // issue 10 #6: deleting one does not give its slot back (it was started this month).
  auto page = service_.List(me_, std::string("completed"), {1, 1});
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(service_.Delete(me_, page->items[0].id).ok());
  EXPECT_EQ(Start().status().code(), "quota_exceeded") << "a deletion gave a slot back";
  // A failure does: the analysis was not delivered.
  {
    std::lock_guard l(db_.mu);
    for (auto& [id, a] : db_.analyses) {
      if (a.analysis.status == "pending") {
        a.analysis.status = "failed";
        break;
      }
    }
  }
  ASSERT_TRUE(Start().ok());
  EXPECT_FALSE(Start().ok());
  // A minute later it is March (UTC): a new month, a new quota.
  clock_.Advance(61s);
  EXPECT_TRUE(Start().ok()) << "the quota did not reset at the month boundary";
}

TEST_F(AnalysesTest, QuotaHoldsUnderAConcurrentBurst) {
  for (int i = 0; i < 9; ++i) analyses_.Add(me_.user_id, video_, "completed", clock_.Now());
  // Make every request count before any inserts, the worst interleaving for a check-then-insert.
  analyses_.between_count_and_insert = [] { std::this_thread::sleep_for(2ms); };
  std::vector<std::future<Result<domain::Analysis>>> burst;
  for (int i = 0; i < 6; ++i)
    burst.push_back(std::async(std::launch::async, [&] { return Start(); }));
  int accepted = 0, refused = 0;
  for (auto& f : burst) {
    auto r = f.get();
    accepted += r.ok();
    refused += r.status().code() == "quota_exceeded";
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(refused, 5);
}

TEST_F(AnalysesTest, TheVideoMustBeTheCallersUploadedAndWithinTheLimit) {
  Principal other{domain::Uuid::Random(), "user"};
  EXPECT_EQ(service_.Start(other, {video_, "heavy", std::nullopt, std::nullopt}).status().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(service_.Start(me_, {domain::Uuid::Random(), "heavy", std::nullopt, std::nullopt}).status().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(service_.Start(me_, {video_, "giant", std::nullopt, std::nullopt}).status().kind(),
            ErrorKind::kInvalidArgument);
  video_ = NewVideo("");
  EXPECT_EQ(Start().status().code(), "video_empty");
  video_ = NewVideo(std::string(1001, 'x'));
  EXPECT_EQ(Start().status().code(), "video_too_large");
  video_ = NewVideo("ok");
  objects_.Put(db_.videos[video_].object_key, "");
  db_.videos[video_].status = "expired";
  EXPECT_EQ(Start().status().code(), "video_expired");
  video_ = NewVideo("ok");
  (void)objects_.Delete(db_.videos[video_].object_key);
  EXPECT_EQ(Start().status().code(), "video_not_uploaded");
  EXPECT_TRUE(db_.outbox.empty()) << "a refused start queued a job";
}

TEST_F(AnalysesTest, ARouteMustBeTheCallersAndReady) {
  auto mine = NewRoute(me_.user_id, domain::RouteStatus::kReady);
  StartAnalysis request{video_, "heavy", std::nullopt, mine};
  auto a = service_.Start(me_, request);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->route_id, mine);
  {
    std::lock_guard l(db_.mu);
    EXPECT_EQ(db_.analyses[a->id].analysis.route_id, mine);
  }
  // Another climber's route, or none: 404 with its own code; nothing queued.
  request.route_id = NewRoute(domain::Uuid::Random(), domain::RouteStatus::kReady);
  auto other = service_.Start(me_, request);
  EXPECT_EQ(other.status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(other.status().code(), "route_not_found");
  request.route_id = domain::Uuid::Random();
  EXPECT_EQ(service_.Start(me_, request).status().code(), "route_not_found");
  // Its holds still being detected: 409 route_not_ready.
  request.route_id = NewRoute(me_.user_id, domain::RouteStatus::kDetecting);
  auto detecting = service_.Start(me_, request);
  EXPECT_EQ(detecting.status().kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(detecting.status().code(), "route_not_ready");
  std::lock_guard l(db_.mu);
  EXPECT_EQ(db_.analyses.size(), 1u);
}

TEST_F(AnalysesTest, WithoutARouteNoneIsRecorded) {
  auto a = Start();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->route_id);
}

TEST_F(AnalysesTest, TheResultIsOnlyThereOnceCompleted) {
  auto a = Start();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(service_.ResultOf(me_, a->id).status().code(), "result_not_ready");
  ASSERT_TRUE(analyses_.Complete(a->id, "{\"frames\":[]}", "## hints", 10).ok());
  auto doc = service_.ResultOf(me_, a->id);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(*doc, "{\"frames\":[]}");
  Principal other{domain::Uuid::Random(), "user"};
  EXPECT_EQ(service_.Show(other, a->id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.List(me_, std::string("bogus"), {}).status().kind(),
            ErrorKind::kInvalidArgument);
}

// GET /v1/analyses/{id}/result's path: the repository's stored representation, passed through
// as it is; not ready before completion, not found for anyone else.
TEST_F(AnalysesTest, TheServedResultIsTheRepositorysWithItsEtag) {
  auto a = Start();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(service_.ServeResult(me_, a->id, true, std::nullopt).status().code(),
            "result_not_ready");
  ASSERT_TRUE(analyses_.Complete(a->id, "{\"frames\":[]}", "## hints", 10).ok());
  auto doc = service_.ServeResult(me_, a->id, false, std::nullopt);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->body, "{\"frames\":[]}");
  EXPECT_FALSE(doc->gzip);
  EXPECT_FALSE(doc->not_modified);
  ASSERT_TRUE(doc->etag);
  auto same = service_.ServeResult(me_, a->id, true, doc->etag);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->not_modified);
  EXPECT_EQ(same->etag, doc->etag);
  EXPECT_TRUE(same->body.empty());
  EXPECT_FALSE(service_.ServeResult(me_, a->id, false, std::string("\"other\""))->not_modified);
  Principal other{domain::Uuid::Random(), "user"};
  EXPECT_EQ(service_.ServeResult(other, a->id, false, std::nullopt).status().kind(),
            ErrorKind::kNotFound);
}

}  // namespace
}  // namespace ascension::services
