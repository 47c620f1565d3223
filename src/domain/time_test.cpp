#include "domain/time.hpp"

#include <gtest/gtest.h>

namespace ascension::domain {
namespace {

TEST(Time, FormatsRfc3339WithMilliseconds) {
  EXPECT_EQ(FormatTime(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(FromUnixMillis(1764578400123)), "2025-12-01T08:40:00.123Z");
  EXPECT_EQ(ToUnixMillis(FromUnixMillis(1764578400123)), 1764578400123);
}

TEST(Time, MonthStartIsMidnightOnTheFirstInUtc) {
  // 2026-03-01T00:00:00Z = 1772323200 s; one millisecond before is still February.
  Time march = FromUnixMillis(1772323200000);
  EXPECT_EQ(MonthStart(march), march);
  EXPECT_EQ(MonthStart(march + std::chrono::hours(24 * 30)), march);
  EXPECT_EQ(FormatTime(MonthStart(march - std::chrono::milliseconds(1))),
            "2026-02-01T00:00:00.000Z");
}

}  // namespace
}  // namespace ascension::domain
