// The storage figures by prefix: sums over every page, bounded passes, store errors passed on.
#include "services/storage_usage.hpp"

#include <gtest/gtest.h>

#include "services/testing/fakes.hpp"

namespace ascension::services {
namespace {

TEST(StorageUsage, SumsBytesAndObjectsPerPrefix) {
  testing::FakeObjectStore store;
  store.Put("uploads/u1/a.mp4", std::string(100, 'a'));
  store.Put("uploads/u2/b.mp4", std::string(50, 'b'));
  store.Put("saved/u1/c.mp4", std::string(7, 'c'));
  store.Put("thumbnails/c.jpg", std::string(1000, 't'));
  const std::vector<std::string> prefixes = {"uploads/", "saved/", "routes/"};
  auto usage = MeasureStorage(store, prefixes);
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  ASSERT_EQ(usage->size(), 3u);
  EXPECT_EQ((*usage)[0].prefix, "uploads/");
  EXPECT_EQ((*usage)[0].objects, 2u);
  EXPECT_EQ((*usage)[0].bytes, 150u);
  EXPECT_EQ((*usage)[1].bytes, 7u);
  EXPECT_EQ((*usage)[2].objects, 0u);
  EXPECT_EQ((*usage)[2].bytes, 0u);
}

// Two objects a page, with continuation tokens; optionally a store that repeats its token.
class PagedStore final : public ports::ObjectStore {
 public:
  bool stuck = false;
  mutable int lists = 0;
  Result<ports::SignedUrl> PresignPut(std::string_view, std::string_view,
                                      std::optional<std::uint64_t>, std::chrono::seconds,
                                      domain::Time) const override {
    return Internal("unused");
  }
  Result<ports::SignedUrl> PresignGet(std::string_view, std::chrono::seconds,
                                      domain::Time) const override {
    return Internal("unused");
  }
  Result<ports::StoredObject> Head(std::string_view) const override { return Internal("unused"); }
  Status Copy(std::string_view, std::string_view) const override { return Internal("unused"); }
  Status Delete(std::string_view) const override { return Internal("unused"); }
  Result<std::vector<std::string>> DeleteMany(std::span<const std::string>) const override {
    return Internal("unused");
  }
  Result<ports::ObjectListing> List(std::string_view prefix,
                                    std::string_view token) const override {
    ++lists;
    int page = token.empty() ? 0 : std::stoi(std::string(token));
    ports::ObjectListing out;
    for (int i = 0; i < 2; ++i)
      out.objects.push_back({std::string(prefix) + std::to_string(page * 2 + i), 10, "", "", {}});
    if (page < 4) out.next_token = stuck ? "1" : std::to_string(page + 1);
    return out;
  }
  Status Download(std::string_view, const std::filesystem::path&,
                  const ports::DownloadCondition&) const override {
    return Internal("unused");
  }
  Status Upload(std::string_view, const std::filesystem::path&, std::string_view) const override {
    return Internal("unused");
  }
  Status Ping() const override { return Status::Ok(); }
};

TEST(StorageUsage, FollowsEveryPageAndStopsOnALoopingStoreOrTooManyPages) {
  PagedStore store;
  const std::vector<std::string> one = {"saved/"};
  auto usage = MeasureStorage(store, one);
  ASSERT_TRUE(usage.ok());
  EXPECT_EQ((*usage)[0].objects, 10u);
  EXPECT_EQ((*usage)[0].bytes, 100u);
  EXPECT_EQ(store.lists, 5);
  EXPECT_EQ(MeasureStorage(store, one, 3).status().kind(), ErrorKind::kResourceExhausted);
  store.stuck = true;
  EXPECT_EQ(MeasureStorage(store, one).status().kind(), ErrorKind::kDataLoss);
}

TEST(StorageUsage, AStoreErrorIsReturned) {
  testing::FakeObjectStore store;
  store.SetOutage(Unavailable("s3 down"));
  const std::vector<std::string> one = {"uploads/"};
  EXPECT_EQ(MeasureStorage(store, one).status().kind(), ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace ascension::services
