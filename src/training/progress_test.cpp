#include "training/progress.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace ascension::training {
namespace {

using domain::Indicator;
using std::chrono::days;

Date D(const char* text) {
  return *ParseDate(text);
}

ScoredAnalysis A(const char* id, const char* date, std::optional<double> global,
                 std::optional<double> technique, std::optional<double> stability = {}) {
  ScoredAnalysis a;
  a.analysis_id = id;
  a.date = D(date);
  a.global = global;
  a.indicators.Set(Indicator::kTechnique, technique);
  a.indicators.Set(Indicator::kStability, stability);
  return a;
}

constexpr std::size_t kGlobal = 0, kTechnique = 1, kStability = 3;

TEST(Progress, WeeksAreIsoWeeksEndingWithToday) {
  EXPECT_EQ(FormatDate(WeekStart(D("2026-12-03"))), "2026-11-30");  // a Thursday
  EXPECT_EQ(FormatDate(WeekStart(D("2026-11-30"))), "2026-11-30");  // a Monday
  EXPECT_EQ(FormatDate(WeekStart(D("2026-12-06"))), "2026-11-30");  // a Sunday
  const Progress p = ComputeProgress({}, D("2026-12-03"));
  ASSERT_EQ(p.weeks.size(), 12u);
  EXPECT_EQ(FormatDate(p.weeks.back().week_start), "2026-11-30");
  EXPECT_EQ(FormatDate(p.weeks.front().week_start), "2026-09-14");
  for (const auto& s : p.series) {
    EXPECT_FALSE(s.average);
    EXPECT_FALSE(s.trend);
    EXPECT_FALSE(s.best);
  }
  EXPECT_EQ(SeriesName(kGlobal), "global");
  EXPECT_EQ(SeriesName(kTechnique), "technique");
  EXPECT_EQ(SeriesName(kStability), "stability");
  EXPECT_EQ(SeriesName(kSeriesCount - 1), "pace");
}

TEST(Progress, WeeklyMeansTrendAndBest) {
  const std::vector<ScoredAnalysis> history = {
      // An old analysis: outside the 12 weeks, but the best technique ever.
      A("old", "2026-03-02", 50, 95),
      // On 2026-12-03 the last 4 weeks start on Nov 9, the 4 before them on Oct 12.
      A("b1", "2026-10-12", 40, 30),
      A("b2", "2026-10-20", 50, 50, 70),
      A("r1", "2026-11-09", 60, 60),
      A("r2", "2026-12-01", 70, 80),
      A("r3", "2026-12-02", 80, std::nullopt),
      // After today: counts only for the best.
      A("future", "2026-12-20", 99, 10),
  };
  const Progress p = ComputeProgress(history, D("2026-12-03"));
  const WeekProgress& last = p.weeks.back();
  EXPECT_DOUBLE_EQ(*last.average[kGlobal], 75);
  EXPECT_DOUBLE_EQ(*last.average[kTechnique], 80);  // r3 did not measure technique
  EXPECT_FALSE(last.average[kStability]);
  const WeekProgress& oct19 = p.weeks[5];
  EXPECT_EQ(FormatDate(oct19.week_start), "2026-10-19");
  EXPECT_DOUBLE_EQ(*oct19.average[kStability], 70);

  EXPECT_DOUBLE_EQ(*p.series[kGlobal].average, (40 + 50 + 60 + 70 + 80) / 5.0);
  EXPECT_DOUBLE_EQ(*p.series[kGlobal].trend, 70 - 45);
  EXPECT_DOUBLE_EQ(*p.series[kTechnique].trend, 70 - 40);
  EXPECT_FALSE(p.series[kStability].trend);  // nothing measured it in the last 4 weeks
  EXPECT_EQ(p.series[kTechnique].best->analysis_id, "old");
  EXPECT_DOUBLE_EQ(p.series[kTechnique].best->value, 95);
  EXPECT_EQ(p.series[kGlobal].best->analysis_id, "future");
  EXPECT_EQ(p.series[kStability].best->analysis_id, "b2");
  EXPECT_FALSE(p.series[kSeriesCount - 1].best);
}

TEST(Progress, EqualBestsKeepTheEarliestAndNonFiniteValuesAreIgnored) {
  const std::vector<ScoredAnalysis> history = {
      A("second", "2026-11-20", 70, std::numeric_limits<double>::quiet_NaN()),
      A("first", "2026-11-10", 70, std::numeric_limits<double>::infinity()),
  };
  const Progress p = ComputeProgress(history, D("2026-12-03"));
  EXPECT_EQ(p.series[kGlobal].best->analysis_id, "first");
  EXPECT_FALSE(p.series[kTechnique].best);
  EXPECT_FALSE(p.series[kTechnique].average);
}

}  // namespace
}  // namespace ascension::training
