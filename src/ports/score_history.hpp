// The climber's analyses as the statistics and the training programs read them: when each was
// made, how it ended, and the scores of the completed ones (kept beside the result, so that no
// result document is parsed again). Errors are kUnavailable when the database cannot be reached
// and kDataLoss when a stored row cannot be read.
#pragma once

#include <string>
#include <vector>

#include "common/status.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"
#include "training/progress.hpp"

namespace ascension::ports {

struct AnalysisOutcome {
  domain::Time created_at{};
  std::string status;  // domain/rules.hpp analysis states
  // For completed analyses: the scores (analysis_id and date filled in); a score the analysis
  // could not measure, or a result without scores, is unset.
  training::ScoredAnalysis scores;
};

class ScoreHistory {
 public:
  virtual ~ScoreHistory() = default;

  // Every analysis of `user_id`, oldest first.
  virtual Result<std::vector<AnalysisOutcome>> Outcomes(const domain::Uuid& user_id) = 0;
};

}  // namespace ascension::ports
