// Stats over in-memory fakes: weekly counts beside the per-indicator progress, totals, bests.
#include "services/stats.hpp"

#include <gtest/gtest.h>

#include "services/testing/training_fakes.hpp"

namespace ascension::services {
namespace {

using domain::Indicator;

class StatsTest : public ::testing::Test {
 protected:
  StatsTest() {
    clock_.Set(At("2026-12-03"));  // a Thursday
    db_.clock = &clock_;
  }
  static domain::Time At(const char* day) {
    return std::chrono::sys_days(*training::ParseDate(day)) + std::chrono::hours(10);
  }
  domain::Uuid Add(const domain::Uuid& user, const char* day, const char* status,
                   std::optional<double> global = {}, std::optional<double> technique = {}) {
    testing::StoredAnalysis s;
    s.analysis.id = domain::Uuid::Random();
    s.analysis.user_id = user;
    s.analysis.status = status;
    s.analysis.created_at = At(day);
    if (std::string_view(status) == "completed") {
      domain::IndicatorValues v;
      v.Set(Indicator::kTechnique, technique);
      s.analysis.result_json = testing::ResultWithScores(global, v);
    }
    db_.analyses[s.analysis.id] = s;
    return s.analysis.id;
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeScoreHistory history_{db_};
  Stats stats_{history_, clock_};
  Principal me_{domain::Uuid::Random(), "user"};
};

TEST_F(StatsTest, CountsPerWeekTotalsAndTheProgressOfEachScore) {
  const auto best = Add(me_.user_id, "2026-06-01", "completed", 90, 80);  // before the 12 weeks
  Add(me_.user_id, "2026-11-30", "completed", 60, 40);
  Add(me_.user_id, "2026-12-01", "completed", 70, std::nullopt);
  Add(me_.user_id, "2026-12-02", "failed");
  Add(me_.user_id, "2026-12-02", "pending");
  Add(me_.user_id, "2026-10-13", "completed", 50, 30);
  Add(domain::Uuid::Random(), "2026-12-01", "completed", 99, 99);  // someone else's
  auto page = stats_.Of(me_);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->analyses, 6);
  EXPECT_EQ(page->completed, 4);
  EXPECT_EQ(page->failed, 1);
  ASSERT_EQ(page->counts.size(), 12u);
  ASSERT_EQ(page->progress.weeks.size(), 12u);
  EXPECT_EQ(training::FormatDate(page->progress.weeks.back().week_start), "2026-11-30");
  EXPECT_EQ(page->counts.back().analyses, 4);
  EXPECT_EQ(page->counts.back().completed, 2);
  EXPECT_EQ(page->counts[4].analyses, 1);  // the week of 2026-10-12
  EXPECT_DOUBLE_EQ(*page->progress.weeks.back().average[0], 65);
  EXPECT_DOUBLE_EQ(*page->progress.weeks.back().average[1], 40);  // technique measured once
  EXPECT_DOUBLE_EQ(*page->progress.series[0].trend, 65 - 50);
  EXPECT_EQ(page->progress.series[0].best->analysis_id, best.str());
  EXPECT_EQ(page->progress.series[1].best->analysis_id, best.str());
  EXPECT_FALSE(page->progress.series[2].best);  // fluidity never measured
}

TEST_F(StatsTest, NoAnalysisAndAnOutage) {
  auto page = stats_.Of(me_);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->analyses, 0);
  EXPECT_EQ(page->counts.size(), 12u);
  EXPECT_FALSE(page->progress.series[0].average);
  db_.outage = Unavailable("down");
  EXPECT_EQ(stats_.Of(me_).status().kind(), ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace ascension::services
