// Training programs and their journal in PostgreSQL (ports/program_repository.hpp): programs
// and program_sessions of migration 0040; a program's plan is its document
// (training/program_codec.hpp).
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/program_repository.hpp"

namespace ascension::store {

class PgProgramRepository final : public ports::ProgramRepository {
 public:
  explicit PgProgramRepository(pg::Pool& primary) : db_(primary) {}

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

 private:
  pg::Pool& db_;
};

}  // namespace ascension::store
