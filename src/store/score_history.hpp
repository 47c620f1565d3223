// The climber's analyses for the statistics and programs, in PostgreSQL
// (ports/score_history.hpp): the scores column that migration 0040's trigger keeps beside each
// result, never the result documents themselves.
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/score_history.hpp"

namespace ascension::store {

class PgScoreHistory final : public ports::ScoreHistory {
 public:
  // `db`: a replica may serve it (statistics tolerate its lag); programs pass the primary.
  explicit PgScoreHistory(pg::Pool& db) : db_(db) {}

  Result<std::vector<ports::AnalysisOutcome>> Outcomes(const domain::Uuid& user_id) override;

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
