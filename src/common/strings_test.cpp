#include "common/strings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ascension {
namespace {

TEST(LowercaseTest, LowersAsciiLettersOnly) {
  EXPECT_EQ(Lowercase("Content-Type: ABC xyz 09_-"), "content-type: abc xyz 09_-");
  EXPECT_EQ(Lowercase(""), "");
}

TEST(LowercaseTest, KeepsNonAsciiBytesAndNul) {
  const std::string utf8 = "\xC3\x89T\xC3\x89";  // "ÉTÉ": only the ASCII T changes
  EXPECT_EQ(Lowercase(utf8), "\xC3\x89t\xC3\x89");
  const std::string with_nul("A\0B", 3);
  EXPECT_EQ(Lowercase(with_nul), std::string("a\0b", 3));
}

}  // namespace
}  // namespace ascension
