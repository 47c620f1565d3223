// The sweeper over fakes: objects first, rows only once their object is gone, refused deletes
// retried, saved videos untouched, no storage call while a row is locked (none are).
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
    v.object_key = "uploads/" + user_.str() + "/" + v.id.str() + ".mp4";
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

}  // namespace
}  // namespace ascension::services
