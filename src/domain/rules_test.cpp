#include "domain/rules.hpp"

#include <gtest/gtest.h>

namespace ascension::domain {
namespace {

TEST(Rules, CleanText) {
  for (std::string_view ok : {"", "climb.mp4", "émile", "日本語", "emoji 🧗", "a\u00A0b", "\U0010FFFF"}) {
    EXPECT_TRUE(IsCleanText(ok)) << ok;
  }
  const std::string nul("a\0b", 3);
  for (std::string_view bad : {std::string_view(nul), std::string_view("tab\there"), std::string_view("line\n"),
                               std::string_view("\x7f"), std::string_view("\xC2\x85"),         // DEL, U+0085
                               std::string_view("\xC3\x28"), std::string_view("\xC3"),         // bad and cut
                               std::string_view("\xC0\xAF"), std::string_view("\xE0\x80\xAF"),  // overlong
                               std::string_view("\xED\xA0\x80"),                            // a surrogate
                               std::string_view("\xF4\x90\x80\x80"), std::string_view("\xFF"), std::string_view("\x80")}) {
    EXPECT_FALSE(IsCleanText(bad)) << testing::PrintToString(std::string(bad));
  }
  EXPECT_FALSE(ValidateText("email", "a@b.co"));
  EXPECT_EQ(ValidateText("email", nul).value_or(""), "email must be valid UTF-8 text without control characters");
}

TEST(Rules, Username) {
  EXPECT_FALSE(ValidateUsername("abc"));
  EXPECT_FALSE(ValidateUsername("Climber_2024"));
  EXPECT_TRUE(ValidateUsername("ab"));
  EXPECT_TRUE(ValidateUsername(std::string(25, 'a')));
  EXPECT_TRUE(ValidateUsername("bad name"));
  EXPECT_TRUE(ValidateUsername("bad-name"));
  EXPECT_TRUE(ValidateUsername("émile"));
}

TEST(Rules, Email) {
  EXPECT_FALSE(ValidateEmail("a@b.co"));
  EXPECT_FALSE(ValidateEmail("First.Last+tag@sub.example.org"));
  for (const char* bad : {"", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.de", "a@b@c.de"}) {
    EXPECT_TRUE(ValidateEmail(bad)) << bad;
  }
}

TEST(Rules, Password) {
  EXPECT_FALSE(ValidatePassword("12345678"));
  EXPECT_FALSE(ValidatePassword(std::string(72, 'x')));
  EXPECT_TRUE(ValidatePassword("1234567"));
  EXPECT_TRUE(ValidatePassword(std::string(73, 'x')));
  EXPECT_TRUE(ValidatePassword("has space1"));
  EXPECT_TRUE(ValidatePassword("tab\there1"));
}

TEST(Rules, TiersAndQuotas) {
  EXPECT_EQ(MonthlyQuota("freemium"), 10);
  EXPECT_EQ(MonthlyQuota("premium"), 30);
  EXPECT_EQ(MonthlyQuota("infinity"), 100);
  EXPECT_GT(JobPriority("infinity"), JobPriority("premium"));
  EXPECT_GT(JobPriority("premium"), JobPriority("freemium"));
  EXPECT_FALSE(IsTier("gold"));
}

TEST(Rules, VideoTypes) {
  EXPECT_EQ(VideoTypeForFilename("climb.MOV").content_type, "video/quicktime");
  EXPECT_EQ(VideoTypeForFilename("climb.avi").content_type, "video/x-msvideo");
  EXPECT_EQ(VideoTypeForFilename("climb.webm").extension, "webm");
  EXPECT_EQ(VideoTypeForFilename("climb.mkv").content_type, "video/mp4");
  EXPECT_EQ(VideoTypeForFilename("noext").extension, "mp4");
  EXPECT_EQ(UploadKey("u", "v", "mp4"), "uploads/u/v.mp4");
}

}  // namespace
}  // namespace ascension::domain
