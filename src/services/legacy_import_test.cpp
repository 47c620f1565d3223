// The import from the original system over in-memory stand-ins for its database, the object
// store and this system's tables: what is imported, what is skipped and why, idempotence, the
// dry run.
#include "services/legacy_import.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::services {
namespace {

const std::string kBcrypt =
    "$2b$04$" + std::string(53, 'a');  // the shape only: never verified here

domain::Time At(std::int64_t ms) {
  return domain::FromUnixMillis(ms);
}

struct FakeSource : ports::LegacySource {
  std::vector<ports::LegacyUser> users;
  std::vector<ports::LegacyVideo> videos;
  std::vector<ports::LegacyAnalysis> analyses;
  Result<std::vector<ports::LegacyUser>> Users() override { return users; }
  Result<std::vector<ports::LegacyVideo>> VideosOf(const std::string& user_id) override {
    std::vector<ports::LegacyVideo> out;
    for (const auto& v : videos)
      if (v.user_id == user_id) out.push_back(v);
    return out;
  }
  Result<std::vector<ports::LegacyAnalysis>> AnalysesOf(const std::string& video_id) override {
    std::vector<ports::LegacyAnalysis> out;
    for (const auto& a : analyses)
      if (a.video_id == video_id) out.push_back(a);
    return out;
  }
};

struct FakeObjects : ports::LegacyObjects {
  std::map<std::string, std::uint64_t> legacy;  // "bucket/key" -> size
  mutable std::set<std::string> ours;
  mutable int copies = 0;
  Result<std::uint64_t> Size(const std::string& bucket, const std::string& key) const override {
    auto it = legacy.find(bucket + "/" + key);
    if (it == legacy.end()) return NotFound("no such object");
    return it->second;
  }
  Result<bool> Exists(const std::string& key) const override { return ours.count(key) > 0; }
  Status CopyIn(const std::string& bucket, const std::string& key,
                const std::string& to) const override {
    if (!legacy.count(bucket + "/" + key)) return NotFound("no such object");
    ++copies;
    ours.insert(to);
    return Status::Ok();
  }
};

struct FakeTarget : ports::ImportTarget {
  std::map<domain::Uuid, domain::User> users;
  std::map<domain::Uuid, ports::ImportedVideo> videos;
  std::map<domain::Uuid, ports::ImportedAnalysis> analyses;
  Result<std::optional<domain::Uuid>> AccountWithEmail(std::string_view email) override {
    for (const auto& [id, u] : users)
      if (Lowercase(u.email) == Lowercase(email)) return std::optional(id);
    return std::optional<domain::Uuid>();
  }
  Result<std::optional<domain::Uuid>> AccountWithUsername(std::string_view name) override {
    for (const auto& [id, u] : users)
      if (Lowercase(u.username) == Lowercase(name)) return std::optional(id);
    return std::optional<domain::Uuid>();
  }
  Result<ports::BatchOutcome> Write(const ports::ImportBatch& b, bool dry_run) override {
    ports::BatchOutcome out;
    out.user_inserted = !users.count(b.user.id);
    for (const auto& v : b.videos) out.videos_inserted += videos.count(v.id) ? 0 : 1;
    for (const auto& a : b.analyses) out.analyses_inserted += analyses.count(a.id) ? 0 : 1;
    if (dry_run) return out;
    users.emplace(b.user.id, b.user);
    for (const auto& v : b.videos) videos.emplace(v.id, v);
    for (const auto& a : b.analyses) analyses.emplace(a.id, a);
    return out;
  }
};

class LegacyImportTest : public ::testing::Test {
 protected:
  LegacyImportTest() {
    // An account of this system already has bob's email.
    domain::User here;
    here.id = domain::Uuid::Random();
    here.username = "bob_here";
    here.email = "bob@example.com";
    target_.users.emplace(here.id, here);

    source_.users = {
        {"u-1", "Alice@Example.com", "alice", kBcrypt, "user", At(1000)},
        {"u-2", "bob@example.com", "bob", kBcrypt, "user", At(2000)},
        {"7d4d5b1e-4b8a-4f8e-9a43-2f3c5e6a7b8c", "carol@example.com", "carol.climbs!", kBcrypt,
         "admin", At(3000)},
        {"u-4", "ALICE@example.com", "alice2", kBcrypt, "user", At(4000)},  // same email as u-1
        {"u-5", "dan@example.com", "dan", "plain-text-password", "user", At(5000)},
        {"u-6", "not an email", "erin", kBcrypt, "user", At(6000)},
    };
    source_.videos = {
        {"v-1", "u-1", "videos/u-1/a.mp4", "videos", "a.mp4", "uploaded", At(1100)},
        {"v-2", "u-1", "videos/u-1/gone.mov", "videos", "gone.mov", "uploaded", At(1200)},
        {"v-3", "7d4d5b1e-4b8a-4f8e-9a43-2f3c5e6a7b8c", "c.mp4", "old", "c.mp4", "", At(3100)},
        {"v-4", "u-2", "b.mp4", "videos", "b.mp4", "", At(2100)},
    };
    source_.analyses = {
        {"a-1", "v-1", "j-1", "completed", R"({"frames":[]})", "- Garde les bras tendus", 4200, 100,
         At(1150), At(1160)},
        {"a-2", "v-1", "j-2", "processing", std::nullopt, std::nullopt, std::nullopt, 40, At(1170),
         std::nullopt},
        {"a-3", "v-2", "j-3", "failed", std::nullopt, std::nullopt, std::nullopt, 250, At(1250),
         std::nullopt},
        {"a-4", "v-3", "", "completed", "{not json", std::nullopt, std::nullopt, 100, At(3150),
         At(3160)},
        {"a-5", "v-3", "j-5", "COMPLETED", std::nullopt, "hints", std::nullopt, 0, At(3170),
         std::nullopt},
    };
    objects_.legacy = {{"videos/videos/u-1/a.mp4", 1234}, {"old/c.mp4", 99}};
  }

  Result<ImportReport> Run(LegacyImportOptions options = {}) {
    LegacyImport import(source_, objects_, target_, options);
    return import.Run();
  }
  static bool Mentions(const std::vector<std::string>& lines, const std::string& a,
                       const std::string& b) {
    for (const auto& l : lines)
      if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
    return false;
  }

  FakeSource source_;
  FakeObjects objects_;
  FakeTarget target_;
};

TEST_F(LegacyImportTest, ImportsAccountsVideosAndFinishedAnalysesAndSaysWhatItSkipped) {
  auto r = Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->users.found, 6);
  EXPECT_EQ(r->users.imported, 2);  // alice, carol
  EXPECT_EQ(r->users.skipped, 4);
  EXPECT_TRUE(Mentions(r->skipped, "\"u-2\"", "duplicate email: another account here"));
  EXPECT_TRUE(Mentions(r->skipped, "\"u-4\"", "earlier account of the original system"));
  EXPECT_TRUE(Mentions(r->skipped, "\"u-5\"", "neither bcrypt"));
  EXPECT_TRUE(Mentions(r->skipped, "\"u-6\"", "invalid email"));

  const domain::Uuid alice = LegacyUuid("user", "u-1");
  ASSERT_TRUE(target_.users.count(alice));
  EXPECT_EQ(target_.users[alice].email, "alice@example.com");
  EXPECT_EQ(target_.users[alice].password_hash, kBcrypt);
  EXPECT_EQ(target_.users[alice].role, "user");
  EXPECT_FALSE(target_.users[alice].language.has_value());
  EXPECT_EQ(target_.users[alice].created_at, At(1000));
  // A UUID id is kept; an invalid username is made valid and reported.
  const domain::Uuid carol = *domain::Uuid::Parse("7d4d5b1e-4b8a-4f8e-9a43-2f3c5e6a7b8c");
  ASSERT_TRUE(target_.users.count(carol));
  EXPECT_EQ(target_.users[carol].username, "carol_climbs_");
  EXPECT_EQ(target_.users[carol].role, "admin");
  EXPECT_TRUE(Mentions(r->notes, "carol.climbs!", "carol_climbs_"));

  // Videos: copied into the layout; a missing object is reported, the video kept as expired.
  EXPECT_EQ(r->videos.found, 3);
  EXPECT_EQ(r->videos.imported, 3);
  EXPECT_EQ(r->objects_copied, 2);
  EXPECT_EQ(r->objects_missing, 1);
  auto v1 = target_.videos.at(LegacyUuid("video", "v-1"));
  EXPECT_EQ(v1.object_key,
            "saved/" + alice.str() + "/" + LegacyUuid("video", "v-1").str() + ".mp4");
  EXPECT_EQ(v1.status, "saved");
  EXPECT_EQ(v1.size_bytes, 1234u);
  EXPECT_TRUE(objects_.ours.count(v1.object_key));
  auto v2 = target_.videos.at(LegacyUuid("video", "v-2"));
  EXPECT_EQ(v2.status, "expired");
  EXPECT_EQ(v2.content_type, "video/quicktime");
  EXPECT_TRUE(Mentions(r->skipped, "\"v-2\"", "missing"));
  EXPECT_EQ(
      objects_.ours.count("saved/" + carol.str() + "/" + LegacyUuid("video", "v-3").str() + ".mp4"),
      1u)
      << "the row's bucket (\"old\") is where the object was read";

  // Analyses: finished ones, with their results and hints; the others reported.
  EXPECT_EQ(r->analyses.found, 5);
  EXPECT_EQ(r->analyses.imported, 3);  // a-1, a-3, a-5
  EXPECT_EQ(r->analyses.skipped, 2);
  auto a1 = target_.analyses.at(LegacyUuid("analysis", "a-1"));
  EXPECT_EQ(a1.status, "completed");
  EXPECT_EQ(a1.result_json, R"({"frames":[]})");
  EXPECT_EQ(a1.hints, "- Garde les bras tendus");
  EXPECT_EQ(a1.processing_time_ms, 4200);
  EXPECT_EQ(a1.completed_at, At(1160));
  EXPECT_EQ(a1.language, "fr");
  EXPECT_EQ(a1.video_id, LegacyUuid("video", "v-1"));
  auto a3 = target_.analyses.at(LegacyUuid("analysis", "a-3"));
  EXPECT_EQ(a3.status, "failed");
  EXPECT_EQ(a3.error_code, "legacy_failed");
  EXPECT_EQ(a3.progress, 100) << "progress is clamped";
  EXPECT_EQ(target_.analyses.at(LegacyUuid("analysis", "a-5")).status, "completed");
  EXPECT_TRUE(Mentions(r->skipped, "\"a-2\"",
                       "not finished in the original system (status \"processing\")"));
  EXPECT_TRUE(Mentions(r->skipped, "\"a-4\"", "not JSON"));
  EXPECT_NE(r->Text().find("users: 6 found, 2 imported, 0 already here, 4 skipped"),
            std::string::npos)
      << r->Text();
}

TEST_F(LegacyImportTest, ASecondRunChangesNothing) {
  ASSERT_TRUE(Run().ok());
  auto users = target_.users.size();
  auto videos = target_.videos.size();
  auto analyses = target_.analyses.size();
  int copies = objects_.copies;
  auto again = Run();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->users.imported, 0);
  EXPECT_EQ(again->users.already, 2);
  EXPECT_EQ(again->videos.imported, 0);
  EXPECT_EQ(again->videos.already, 3);
  EXPECT_EQ(again->analyses.imported, 0);
  EXPECT_EQ(again->analyses.already, 3);
  EXPECT_EQ(again->objects_copied, 0);
  EXPECT_EQ(again->objects_already, 2);
  EXPECT_EQ(objects_.copies, copies);
  EXPECT_EQ(target_.users.size(), users);
  EXPECT_EQ(target_.videos.size(), videos);
  EXPECT_EQ(target_.analyses.size(), analyses);
  // The same skips, for the same reasons (no account of the first run counts as a duplicate).
  EXPECT_EQ(again->users.skipped, 4);
  EXPECT_TRUE(again->notes.size() == 1 && Mentions(again->notes, "carol.climbs!", "carol_climbs_"));
}

TEST_F(LegacyImportTest, ADryRunWritesAndCopiesNothingAndCountsTheSame) {
  auto before = target_.users.size();
  auto dry = Run({.dry_run = true, .bucket = std::nullopt});
  ASSERT_TRUE(dry.ok());
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(target_.users.size(), before);
  EXPECT_TRUE(target_.videos.empty());
  EXPECT_TRUE(target_.analyses.empty());
  EXPECT_EQ(objects_.copies, 0);
  EXPECT_NE(dry->Text().find("dry run"), std::string::npos);
  auto real = Run();
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(dry->users.imported, real->users.imported);
  EXPECT_EQ(dry->videos.imported, real->videos.imported);
  EXPECT_EQ(dry->analyses.imported, real->analyses.imported);
  EXPECT_EQ(dry->objects_copied, real->objects_copied);
  EXPECT_EQ(dry->skipped, real->skipped);
}

TEST_F(LegacyImportTest, ATakenUsernameGetsASuffixFromTheIdAndTheBucketOptionWins) {
  domain::User here;
  here.id = domain::Uuid::Random();
  here.username = "Alice";
  here.email = "someone@example.com";
  target_.users.emplace(here.id, here);
  objects_.legacy["mirror/videos/u-1/a.mp4"] = 1234;
  auto r = Run({.dry_run = false, .bucket = "mirror"});
  ASSERT_TRUE(r.ok());
  const auto& alice = target_.users.at(LegacyUuid("user", "u-1"));
  EXPECT_EQ(alice.username.rfind("alice_", 0), 0u) << alice.username;
  EXPECT_EQ(alice.username.size(), 10u);
  EXPECT_TRUE(Mentions(r->notes, "\"alice\"", alice.username));
  // Only the mirror is read: v-1 is there, v-3 (bucket "old" in its row) is not.
  EXPECT_EQ(target_.videos.at(LegacyUuid("video", "v-1")).status, "saved");
  EXPECT_EQ(target_.videos.at(LegacyUuid("video", "v-3")).status, "expired");
}

TEST(LegacyUuidTest, KeepsUuidsAndDerivesTheSameUuidForTheSameIdOfTheSameKind) {
  EXPECT_EQ(LegacyUuid("user", "7d4d5b1e-4b8a-4f8e-9a43-2f3c5e6a7b8c").str(),
            "7d4d5b1e-4b8a-4f8e-9a43-2f3c5e6a7b8c");
  EXPECT_EQ(LegacyUuid("user", "42"), LegacyUuid("user", "42"));
  EXPECT_NE(LegacyUuid("user", "42"), LegacyUuid("video", "42"));
  EXPECT_NE(LegacyUuid("user", "42"), LegacyUuid("user", "43"));
  EXPECT_TRUE(domain::Uuid::Parse(LegacyUuid("user", "42").str()).has_value());
}

}  // namespace
}  // namespace ascension::services
