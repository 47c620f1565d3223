// The statistics page (F04): the caller's analyses per ISO week (UTC) over the last 12 weeks,
// each score (global and indicators) per week, its average and trend, and the personal bests.
//
// Rules held here: weeks are ISO weeks in UTC, the current one last; a score counts in a week's
// mean only when the analysis measured it (a null indicator is not a 0); the trend is the mean of
// the last 4 weeks' analyses minus the mean of the 4 weeks before (unset when either has none);
// the personal best is the highest value of all time, the earliest of equal ones.
#pragma once

#include <cstdint>
#include <vector>

#include "ports/clock.hpp"
#include "ports/score_history.hpp"
#include "services/principal.hpp"
#include "training/progress.hpp"

namespace ascension::services {

struct WeekCounts {
  std::int64_t analyses = 0;   // created that week
  std::int64_t completed = 0;  // of those, completed
};

struct StatsPage {
  training::Progress progress;     // the weeks, and per series the average, trend and best
  std::vector<WeekCounts> counts;  // beside progress.weeks
  std::int64_t analyses = 0, completed = 0, failed = 0;  // all time
};

class Stats {
 public:
  Stats(ports::ScoreHistory& history, const ports::Clock& clock)
      : history_(history), clock_(clock) {}

  Result<StatsPage> Of(const Principal& caller);

 private:
  ports::ScoreHistory& history_;
  const ports::Clock& clock_;
};

}  // namespace ascension::services
