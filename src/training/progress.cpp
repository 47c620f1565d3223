#include "training/progress.hpp"

#include <cmath>

namespace ascension::training {
namespace {

struct Mean {
  double sum = 0;
  int n = 0;
  void Add(double v) {
    sum += v;
    ++n;
  }
  std::optional<double> value() const {
    return n > 0 ? std::optional<double>(sum / n) : std::nullopt;
  }
};

}  // namespace

std::string_view SeriesName(std::size_t series) {
  if (series == 0) return "global";
  if (series > domain::kIndicators.size()) return "";
  return domain::IndicatorName(domain::kIndicators[series - 1]);
}

std::optional<double> SeriesValue(const ScoredAnalysis& a, std::size_t series) {
  const std::optional<double> v =
      series == 0 ? a.global : a.indicators.Get(domain::kIndicators[series - 1]);
  if (v && !std::isfinite(*v)) return std::nullopt;
  return v;
}

Date WeekStart(Date day) {
  const std::chrono::weekday wd{day};
  const int from_monday = static_cast<int>((wd.c_encoding() + 6) % 7);
  return day - std::chrono::days(from_monday);
}

Progress ComputeProgress(std::span<const ScoredAnalysis> analyses, Date today, int weeks) {
  Progress p;
  if (weeks < 1) weeks = 1;
  const Date last = WeekStart(today);
  const Date first = last - std::chrono::days(7 * (weeks - 1));
  std::vector<std::array<Mean, kSeriesCount>> by_week(static_cast<std::size_t>(weeks));
  std::array<Mean, kSeriesCount> shown{}, recent{}, before{};
  const Date recent_from = last - std::chrono::days(7 * (kTrendWeeks - 1));
  const Date before_from = recent_from - std::chrono::days(7 * kTrendWeeks);
  for (const ScoredAnalysis& a : analyses) {
    for (std::size_t s = 0; s < kSeriesCount; ++s) {
      const auto v = SeriesValue(a, s);
      if (!v) continue;
      auto& best = p.series[s].best;
      if (!best || *v > best->value || (*v == best->value && a.date < best->date)) {
        best = Best{*v, a.analysis_id, a.date};
      }
      if (a.date > today) continue;
      if (a.date >= first) {
        const auto w = static_cast<std::size_t>((WeekStart(a.date) - first).count() / 7);
        by_week[w][s].Add(*v);
        shown[s].Add(*v);
      }
      if (a.date >= recent_from) {
        recent[s].Add(*v);
      } else if (a.date >= before_from) {
        before[s].Add(*v);
      }
    }
  }
  for (int w = 0; w < weeks; ++w) {
    WeekProgress week;
    week.week_start = first + std::chrono::days(7 * w);
    for (std::size_t s = 0; s < kSeriesCount; ++s) {
      week.average[s] = by_week[static_cast<std::size_t>(w)][s].value();
    }
    p.weeks.push_back(week);
  }
  for (std::size_t s = 0; s < kSeriesCount; ++s) {
    p.series[s].average = shown[s].value();
    if (recent[s].n > 0 && before[s].n > 0) {
      p.series[s].trend = *recent[s].value() - *before[s].value();
    }
  }
  return p;
}

}  // namespace ascension::training
