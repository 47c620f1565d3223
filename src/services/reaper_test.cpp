// The reaper over fakes: stuck analyses re-queued with a new dispatch then given up; lost pending
// jobs re-published once their message is old; the admin's dry run.
#include "services/reaper.hpp"

#include <gtest/gtest.h>

#include "domain/messages.hpp"
#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

using namespace std::chrono_literals;

class ReaperTest : public ::testing::Test {
 protected:
  ReaperTest() {
    db_.clock = &clock_;
    domain::User u;
    u.id = user_;
    db_.users[u.id] = u;
    video_.id = domain::Uuid::Random();
    video_.user_id = user_;
    video_.object_key = "uploads/u/v.mp4";
    db_.videos[video_.id] = video_;
  }
  domain::Analysis Add(const std::string& status) {
    return analyses_.Add(user_, video_.id, status, clock_.Now());
  }
  domain::Analysis Row(const domain::Uuid& id) { return db_.analyses[id].analysis; }
  // The relay hands every outbox message to the broker now.
  void OutboxRelayForTest() {
    ASSERT_TRUE(
        outbox_.Relay(100, [&](const ports::OutboxMessage& m) { return publisher_.Publish(m); })
            .ok());
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeAnalysisRepository analyses_{db_};
  testing::FakeOutboxRepository outbox_{db_};
  testing::FakeJobPublisher publisher_;
  domain::Uuid user_ = domain::Uuid::Random();
  domain::Video video_;
  Reaper reaper_{analyses_, clock_, ReaperOptions{15min, 2, 30min, "bucket"}};
};

TEST_F(ReaperTest, StuckAnalysesAreRequeuedWithANewDispatchThenGivenUp) {
  auto a = Add("processing");
  auto fresh = Add("processing");
  clock_.Advance(16min);
  db_.analyses[fresh.id].updated_at = clock_.Now();  // a worker is making progress on this one
  for (int round = 1; round <= 2; ++round) {
    auto r = reaper_.RunOnce();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->requeued_stuck, 1) << round;
    EXPECT_EQ(Row(a.id).status, "pending");
    EXPECT_EQ(Row(a.id).dispatch, round);
    auto job = domain::DecodeJob(db_.outbox.back().body);
    ASSERT_TRUE(job.ok());
    EXPECT_EQ(job->dispatch, round) << "the new message must carry the new dispatch";
    EXPECT_EQ(job->video_url, "s3://bucket/uploads/u/v.mp4");
    // A worker takes it and dies again.
    ASSERT_TRUE(analyses_.StartProcessing(a.id, job->dispatch).ok());
    clock_.Advance(16min);
    db_.analyses[fresh.id].updated_at = clock_.Now();
  }
  auto r = reaper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed_stuck, 1);
  EXPECT_EQ(Row(a.id).status, "failed");
  EXPECT_EQ(Row(a.id).error_code, "processing_timeout");
  EXPECT_EQ(Row(fresh.id).status, "processing");
  EXPECT_EQ(Row(fresh.id).dispatch, 0);
}

// issue 18 item 6: the broker lost its data; the pending analyses' messages are gone.
TEST_F(ReaperTest, LostPendingJobsAreRepublishedOnceTheirMessageIsOld) {
  auto a = Add("pending");
  db_.outbox.push_back({db_.next_outbox_id++, "", "vision.skeleton", "{}", 1, a.id});
  OutboxRelayForTest();
  clock_.Advance(10min);
  EXPECT_EQ(reaper_.RunOnce()->requeued_lost, 0) << "sent 10 min ago: maybe still queued";
  clock_.Advance(25min);
  auto r = reaper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requeued_lost, 1);
  EXPECT_EQ(Row(a.id).dispatch, 1);
  EXPECT_EQ(db_.outbox.size(), 1u);
  // Until that message is handed over and ages again, nothing more happens.
  EXPECT_EQ(reaper_.RunOnce()->requeued_lost, 0);
  OutboxRelayForTest();
  EXPECT_EQ(reaper_.RunOnce()->requeued_lost, 0);
}

TEST_F(ReaperTest, AJobStillWaitingInTheOutboxIsNotLost) {
  auto a = Add("pending");
  db_.outbox.push_back({db_.next_outbox_id++, "", "vision.skeleton", "{}", 1, a.id});
  clock_.Advance(5h);  // RabbitMQ has been down all that time
  EXPECT_EQ(reaper_.RunOnce()->requeued_lost, 0);
}

TEST_F(ReaperTest, AdminRequeueDryRunChangesNothing) {
  auto stuck = Add("processing");
  auto pending = Add("pending");
  auto busy = Add("processing");
  clock_.Advance(16min);
  db_.analyses[busy.id].updated_at = clock_.Now();  // a worker still reports progress
  auto dry = reaper_.RequeueNow(60s, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->requeued_stuck, 1);
  EXPECT_EQ(dry->requeued_lost, 1);
  EXPECT_EQ(Row(stuck.id).status, "processing");
  EXPECT_EQ(Row(pending.id).dispatch, 0);
  EXPECT_TRUE(db_.outbox.empty());
  auto real = reaper_.RequeueNow(60s, false);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(real->total_requeued(), 2);
  EXPECT_EQ(db_.outbox.size(), 2u);
  EXPECT_EQ(Row(busy.id).status, "processing");
  // Idempotent: run again at once, nothing new (both just got a fresh message).
  EXPECT_EQ(reaper_.RequeueNow(60s, false)->total_requeued(), 0);
}

}  // namespace
}  // namespace ascension::services
