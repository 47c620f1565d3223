// In-memory profiles, programs, journal and score history for the unit tests of the Profiles,
// Programs and Stats services: views of the FakeDatabase of fakes.hpp (so erasing an account
// cascades to them), failing with its outage like every fake.
#pragma once

#include "ports/profile_repository.hpp"
#include "ports/program_repository.hpp"
#include "ports/score_history.hpp"
#include "services/testing/fakes.hpp"

namespace ascension::services::testing {

class FakeProfileRepository final : public ports::ProfileRepository {
 public:
  explicit FakeProfileRepository(FakeDatabase& db) : db_(db) {}
  Result<domain::ClimberProfile> Find(const domain::Uuid& user_id) override;
  Result<domain::ClimberProfile> Update(
      const domain::Uuid& user_id,
      const std::function<Result<domain::ClimberProfile>(const domain::ClimberProfile&)>& change)
      override;

 private:
  FakeDatabase& db_;
};

class FakeProgramRepository final : public ports::ProgramRepository {
 public:
  explicit FakeProgramRepository(FakeDatabase& db) : db_(db) {}
  Result<ports::StoredProgram> CreateActive(const domain::Uuid& id, const domain::Uuid& user_id,
                                            const training::Program& program) override;
  Result<std::optional<ports::StoredProgram>> FindActive(const domain::Uuid& user_id) override;
  Result<std::optional<ports::StoredProgram>> FindOwned(const domain::Uuid& id,
                                                        const domain::Uuid& user_id) override;
  Result<std::optional<ports::StoredProgram>> Update(const domain::Uuid& id, int version,
                                                     const training::Program& program) override;
  Result<ports::LoggedSession> AddSession(const domain::Uuid& id, const domain::Uuid& program_id,
                                          const domain::Uuid& user_id,
                                          const training::DoneSession& session) override;
  Result<domain::PageOf<ports::LoggedSession>> Sessions(const domain::Uuid& program_id,
                                                        const domain::Page& page) override;
  Result<std::vector<training::DoneSession>> Journal(const domain::Uuid& program_id) override;

  // Called inside Update before the version check: lets a test write first (a concurrent
  // adaptation).
  std::function<void()> before_update;

 private:
  FakeDatabase& db_;
};

// Reads db.analyses; a completed analysis's scores are its result_json's
// biomechanics.summary.scores, as the trigger of migration 0040 keeps them.
class FakeScoreHistory final : public ports::ScoreHistory {
 public:
  explicit FakeScoreHistory(FakeDatabase& db) : db_(db) {}
  Result<std::vector<ports::AnalysisOutcome>> Outcomes(const domain::Uuid& user_id) override;

 private:
  FakeDatabase& db_;
};

// A result document whose scores section holds `global` and `indicators` (for tests that put
// analyses in db.analyses).
std::string ResultWithScores(std::optional<double> global,
                             const domain::IndicatorValues& indicators);

}  // namespace ascension::services::testing
