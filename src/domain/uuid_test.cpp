#include "domain/uuid.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ascension::domain {
namespace {

TEST(Uuid, ParsesAnyCaseIntoOneCanonicalForm) {
  auto lower = Uuid::Parse("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
  auto upper = Uuid::Parse("0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D");
  ASSERT_TRUE(lower && upper);
  EXPECT_EQ(*lower, *upper);
  EXPECT_EQ(upper->str(), "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
}

TEST(Uuid, RefusesEverythingElse) {
  for (std::string_view bad :
       {"", "0b1c2d3e4f504a6b8c7d9e0f1a2b3c4d", "{0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d}",
        " 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4g",
        "0b1c2d3e-4f50-4a6b-8c7d_9e0f1a2b3c4d", "urn:uuid:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c"}) {
    EXPECT_FALSE(Uuid::Parse(bad)) << bad;
  }
  std::string with_nul = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
  with_nul[35] = '\0';
  EXPECT_FALSE(Uuid::Parse(with_nul));
}

TEST(Uuid, RandomIdsAreVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    Uuid u = Uuid::Random();
    EXPECT_EQ(u.str()[14], '4');
    EXPECT_NE(std::string("89ab").find(u.str()[19]), std::string::npos);
    EXPECT_TRUE(Uuid::Parse(u.str()));
    seen.insert(u.str());
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_TRUE(Uuid().is_nil());
  EXPECT_FALSE(Uuid::Random().is_nil());
}

}  // namespace
}  // namespace ascension::domain
