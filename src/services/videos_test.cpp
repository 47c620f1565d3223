#include "services/videos.hpp"

#include <gtest/gtest.h>

#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

class VideosTest : public ::testing::Test {
 protected:
  VideosTest() {
    db_.clock = &clock_;
    for (auto* u : {&me_, &you_}) {
      domain::User user;
      user.id = u->user_id;
      user.username = u == &me_ ? "me" : "you";
      db_.users[user.id] = user;
    }
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeVideoRepository videos_{db_};
  testing::FakeObjectStore objects_;
  Videos service_{videos_, objects_, clock_};
  Principal me_{domain::Uuid::Random(), "user"};
  Principal you_{domain::Uuid::Random(), "user"};
};

TEST_F(VideosTest, UploadTicketsNameTheCallersKeyAndType) {
  auto t = service_.RequestUpload(me_, "Clip.MOV", std::nullopt);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->video.content_type, "video/quicktime");
  EXPECT_EQ(t->video.object_key, "uploads/" + me_.user_id.str() + "/" + t->video.id.str() + ".mov");
  EXPECT_EQ(t->video.status, "awaiting_upload");
  EXPECT_EQ(service_.RequestUpload(me_, "x.mp4", you_.user_id.str()).status().kind(),
            ErrorKind::kPermissionDenied);
  EXPECT_EQ(service_.RequestUpload(me_, "x.mp4", "not-a-uuid").status().kind(),
            ErrorKind::kPermissionDenied);
  EXPECT_TRUE(service_.RequestUpload(me_, "x.mp4", me_.user_id.str()).ok());
  EXPECT_EQ(service_.RequestUpload(me_, "", std::nullopt).status().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(service_.RequestUpload(me_, std::string(256, 'a'), std::nullopt).status().kind(),
            ErrorKind::kInvalidArgument);
}

TEST_F(VideosTest, ShowRecordsTheUploadAndSaveMovesItOutOfUploads) {
  auto t = service_.RequestUpload(me_, "climb.mp4", std::nullopt);
  ASSERT_TRUE(t.ok());
  auto before = service_.Show(me_, t->video.id);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->url.has_value());
  EXPECT_EQ(service_.Save(me_, t->video.id).status().code(), "video_not_uploaded");
  objects_.Put(t->video.object_key, "12345");
  auto after = service_.Show(me_, t->video.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->video.status, "uploaded");
  EXPECT_EQ(after->video.size_bytes, 5);
  ASSERT_TRUE(after->url.has_value());
  EXPECT_EQ(db_.videos[t->video.id].status, "uploaded");
  auto saved = service_.Save(me_, t->video.id);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->status, "saved");
  EXPECT_EQ(saved->object_key.rfind("saved/" + me_.user_id.str() + "/", 0), 0u);
  EXPECT_FALSE(objects_.Has(t->video.object_key));
  EXPECT_TRUE(objects_.Has(saved->object_key));
}

TEST_F(VideosTest, SomeoneElsesVideoIsNotFound) {
  auto t = service_.RequestUpload(me_, "climb.mp4", std::nullopt);
  ASSERT_TRUE(t.ok());
  objects_.Put(t->video.object_key, "x");
  EXPECT_EQ(service_.Show(you_, t->video.id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.Save(you_, t->video.id).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(service_.Delete(you_, t->video.id).kind(), ErrorKind::kNotFound);
  EXPECT_TRUE(objects_.Has(t->video.object_key));
  ASSERT_TRUE(service_.Delete(me_, t->video.id).ok());
  EXPECT_FALSE(objects_.Has(t->video.object_key));
  EXPECT_EQ(service_.Show(me_, t->video.id).status().kind(), ErrorKind::kNotFound);
}

TEST_F(VideosTest, ListingIsNewestFirstWithoutExpired) {
  auto a = service_.RequestUpload(me_, "a.mp4", std::nullopt);
  clock_.Advance(std::chrono::seconds(1));
  auto b = service_.RequestUpload(me_, "b.mp4", std::nullopt);
  ASSERT_TRUE(a.ok() && b.ok());
  (void)service_.RequestUpload(you_, "c.mp4", std::nullopt);
  db_.videos[a->video.id].status = "expired";
  auto page = service_.List(me_, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, b->video.id);
}

}  // namespace
}  // namespace ascension::services
