#include "domain/text.hpp"

#include <gtest/gtest.h>

namespace ascension::domain {
namespace {

TEST(Text, AcceptsUtf8WithNewlinesWithinTheLength) {
  EXPECT_FALSE(CheckText("", 10));
  EXPECT_FALSE(CheckText("Séance dure\n\tbras 🔥", 100));
  EXPECT_FALSE(CheckText("ééééé", 5));  // characters, not bytes
  EXPECT_TRUE(CheckText("éééééé", 5));
  EXPECT_NE(CheckText(std::string(11, 'a'), 10)->find("10 characters"), std::string::npos);
}

TEST(Text, RefusesInvalidUtf8AndControlCharacters) {
  for (const std::string& bad : {std::string("a\0b", 3), std::string("\x01"), std::string("\x7F"),
                                 std::string("\x1B[31m")}) {
    ASSERT_TRUE(CheckText(bad, 100));
    EXPECT_EQ(*CheckText(bad, 100), "must not contain control characters");
  }
  for (const std::string& bad : {std::string("\xC3"), std::string("\xC3\x28"), std::string("\xFF"),
                                 std::string("\xC0\xAF"),             // overlong '/'
                                 std::string("\xED\xA0\x80"),         // a surrogate
                                 std::string("\xF4\x90\x80\x80")}) {  // past U+10FFFF
    ASSERT_TRUE(CheckText(bad, 100));
    EXPECT_EQ(*CheckText(bad, 100), "must be valid UTF-8");
  }
}

}  // namespace
}  // namespace ascension::domain
