// The sweeper over fakes: objects first, rows only once their object is gone, refused deletes
// retried, saved videos untouched, no storage call while a row is locked (none are); orphans under
// uploads/ deleted, uploads seen first by the sweeper counted as arrived once.
#include "services/sweeper.hpp"

#include <gtest/gtest.h>

#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

using namespace std::chrono_literals;

class SweeperTest : public ::testing::Test {
 protected:
  SweeperTest() {
    db_.clock = &clock_;
    domain::User u;
    u.id = user_;
    db_.users[u.id] = u;
  }
  domain::Video Add(const std::string& status, domain::Time created) {
    domain::Video v;
    v.id = domain::Uuid::Random();
    v.user_id = user_;
    v.status = status;
    // A saved video's row names its saved/ copy (MarkSaved), like the real one.
    v.object_key = std::string(status == "saved" ? "saved/" : "uploads/") + user_.str() + "/" +
                   v.id.str() + ".mp4";
    v.created_at = created;
    db_.videos[v.id] = v;
    objects_.Put(v.object_key, "bytes");
    return v;
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeVideoRepository videos_{db_};
  testing::FakeObjectStore objects_;
  domain::Uuid user_ = domain::Uuid::Random();
  Sweeper sweeper_{videos_, objects_, clock_, std::chrono::hours(24 * 7), /*batch=*/2};
};

TEST_F(SweeperTest, ExpiresOldUnsavedUploadsInBatchesAndKeepsTheRest) {
  auto old1 = Add("awaiting_upload", clock_.Now() - 8 * 24h);
  auto old2 = Add("uploaded", clock_.Now() - 9 * 24h);
  auto old3 = Add("uploaded", clock_.Now() - 10 * 24h);
  auto saved = Add("saved", clock_.Now() - 30 * 24h);
  auto recent = Add("uploaded", clock_.Now() - 6 * 24h);
  auto r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->expired, 3);
  for (const auto& v : {old1, old2, old3}) {
    EXPECT_EQ(db_.videos[v.id].status, "expired");
    EXPECT_FALSE(objects_.Has(v.object_key));
  }
  EXPECT_EQ(db_.videos[saved.id].status, "saved");
  EXPECT_TRUE(objects_.Has(saved.object_key));
  EXPECT_EQ(db_.videos[recent.id].status, "uploaded");
  EXPECT_EQ(objects_.calls("DeleteMany"), 2);  // batches of two
}

// issue 11: rows were marked expired even when the delete failed.
TEST_F(SweeperTest, ARowIsMarkedOnlyOnceItsObjectIsGoneAndFailuresAreRetried) {
  auto refused = Add("uploaded", clock_.Now() - 8 * 24h);
  auto fine = Add("uploaded", clock_.Now() - 8 * 24h);
  objects_.RefuseDelete(refused.object_key);
  auto r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->expired, 1);
  EXPECT_EQ(r->refused, 1);
  EXPECT_EQ(db_.videos[refused.id].status, "uploaded");
  EXPECT_EQ(db_.videos[fine.id].status, "expired");
  objects_.AllowDelete(refused.object_key);
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(db_.videos[refused.id].status, "expired");
  EXPECT_FALSE(objects_.Has(refused.object_key));
}

TEST_F(SweeperTest, AStorageOutageMarksNothing) {
  auto v = Add("uploaded", clock_.Now() - 8 * 24h);
  objects_.SetOutage(Unavailable("rgw down"));
  EXPECT_EQ(sweeper_.RunOnce().status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(db_.videos[v.id].status, "uploaded");
  objects_.SetOutage(std::nullopt);
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(db_.videos[v.id].status, "expired");
}

TEST_F(SweeperTest, NoDatabaseCallHoldsALockWhileStorageIsCalled) {
  Add("uploaded", clock_.Now() - 8 * 24h);
  // The fake database's mutex stands for any row lock: it must be free during every S3 call.
  objects_.on_call = [&](const std::string& call) {
    EXPECT_TRUE(db_.mu.try_lock()) << call << " ran while the database was held";
    db_.mu.unlock();
  };
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_GE(objects_.calls("DeleteMany"), 1);
}

// issue 10 #2: an upload URL still valid after its video was saved or deleted stored an object no
// row tracked, for ever.
TEST_F(SweeperTest, ObjectsUnderUploadsThatNoUnsavedVideoOwnsAreDeleted) {
  auto saved = Add("saved", clock_.Now() - 1h);
  const std::string reuploaded = "uploads/" + user_.str() + "/" + saved.id.str() + ".mp4";
  objects_.Put(reuploaded, "bytes sent again after the save");
  const std::string deleted = "uploads/" + user_.str() + "/" + domain::Uuid::Random().str() + ".mp4";
  objects_.Put(deleted, "bytes sent after the video was deleted");
  auto expired = Add("expired", clock_.Now() - 9 * 24h);  // its object came back somehow
  auto live = Add("uploaded", clock_.Now() - 1h);
  objects_.Put("routes/" + user_.str() + "/wall.jpg", "not the sweeper's");
  auto r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->orphans, 3);
  EXPECT_FALSE(objects_.Has(reuploaded));
  EXPECT_FALSE(objects_.Has(deleted));
  EXPECT_FALSE(objects_.Has(expired.object_key));
  EXPECT_TRUE(objects_.Has(saved.object_key)) << "the saved copy was deleted";
  EXPECT_TRUE(objects_.Has(live.object_key)) << "a tracked upload was deleted";
  EXPECT_TRUE(objects_.Has("routes/" + user_.str() + "/wall.jpg"));
  EXPECT_EQ(db_.videos[saved.id].status, "saved");
}

TEST_F(SweeperTest, ARefusedOrphanDeleteIsRetriedNextPass) {
  const std::string orphan = "uploads/" + user_.str() + "/" + domain::Uuid::Random().str() + ".mp4";
  objects_.Put(orphan, "x");
  objects_.RefuseDelete(orphan);
  auto r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orphans, 0);
  EXPECT_EQ(r->refused, 1);
  EXPECT_TRUE(objects_.Has(orphan));
  objects_.AllowDelete(orphan);
  r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orphans, 1);
  EXPECT_FALSE(objects_.Has(orphan));
}

// issue 18 item 5: an upload never analysed (nor looked at) was never counted as arrived.
TEST_F(SweeperTest, AnUploadNobodyAnalysedArrivesWhenTheSweeperSeesItOnce) {
  auto waiting = Add("awaiting_upload", clock_.Now() - 1h);  // its object is there
  domain::Video empty;                                         // a URL issued, nothing sent
  empty.id = domain::Uuid::Random();
  empty.user_id = user_;
  empty.status = "awaiting_upload";
  empty.object_key = "uploads/" + user_.str() + "/" + empty.id.str() + ".mp4";
  empty.created_at = clock_.Now() - 1h;
  db_.videos[empty.id] = empty;
  auto r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->arrived, 1);
  EXPECT_EQ(r->orphans, 0);
  EXPECT_EQ(db_.videos[waiting.id].status, "uploaded");
  EXPECT_EQ(db_.videos[waiting.id].size_bytes, 5);  // "bytes"
  EXPECT_TRUE(objects_.Has(waiting.object_key));
  EXPECT_EQ(db_.videos[empty.id].status, "awaiting_upload");
  r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->arrived, 0) << "counted twice";
  // Past the retention it is swept like any unsaved upload.
  clock_.Advance(8 * 24h);
  r = sweeper_.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(db_.videos[waiting.id].status, "expired");
  EXPECT_FALSE(objects_.Has(waiting.object_key));
}

}  // namespace
}  // namespace ascension::services
