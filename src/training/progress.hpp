// Progress over time (F04): each indicator of the climber's completed analyses per ISO week, its
// trend and the personal best. Pure: the caller passes the analyses and today's date.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/indicators.hpp"
#include "training/plan.hpp"

namespace ascension::training {

// One completed analysis's scores, on the UTC day it was made.
struct ScoredAnalysis {
  std::string analysis_id;
  Date date{};
  std::optional<double> global;
  domain::IndicatorValues indicators;
};

// The series followed: the global score, then each indicator in domain::kIndicators order.
inline constexpr std::size_t kSeriesCount = 1 + domain::kIndicators.size();
// "global", then the indicator names.
std::string_view SeriesName(std::size_t series);

// The value of `series` in `a` (nullopt when that analysis could not measure it).
std::optional<double> SeriesValue(const ScoredAnalysis& a, std::size_t series);

struct WeekProgress {
  Date week_start{};  // a Monday
  // Mean of each series over the week's analyses that measured it; nullopt when none did.
  std::array<std::optional<double>, kSeriesCount> average{};
};

struct Best {
  double value = 0;
  std::string analysis_id;
  Date date{};
};

struct SeriesProgress {
  std::optional<double> average;  // over the analyses of the weeks shown
  // Mean of the last kTrendWeeks weeks' analyses minus the mean of the kTrendWeeks before;
  // nullopt when either window has no analysis measuring the series.
  std::optional<double> trend;
  std::optional<Best> best;  // the highest value ever (the earliest of equal ones)
};

struct Progress {
  std::vector<WeekProgress> weeks;  // oldest first, the week holding `today` last
  std::array<SeriesProgress, kSeriesCount> series{};
};

inline constexpr int kStatsWeeks = 12;
inline constexpr int kTrendWeeks = 4;

// The Monday on or before `day`.
Date WeekStart(Date day);

// The progress of `analyses` (any order) over the `weeks` ISO weeks up to the one holding
// `today`; analyses after today count only for the personal best.
Progress ComputeProgress(std::span<const ScoredAnalysis> analyses, Date today,
                         int weeks = kStatsWeeks);

}  // namespace ascension::training
