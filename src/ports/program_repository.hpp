// Training programs and their journal in storage. A climber has at most one active program;
// creating one replaces the previous (kept, with its journal, but no longer current). Errors are
// kUnavailable when the database cannot be reached and kDataLoss when a stored row cannot be
// read.
#pragma once

#include <optional>
#include <vector>

#include "common/status.hpp"
#include "domain/page.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"
#include "training/plan.hpp"

namespace ascension::ports {

struct StoredProgram {
  domain::Uuid id;
  domain::Uuid user_id;
  int version = 1;  // grows with every write
  domain::Time created_at{};
  domain::Time updated_at{};
  training::Program program;
};

struct LoggedSession {
  domain::Uuid id;
  domain::Uuid program_id;
  domain::Time created_at{};
  training::DoneSession session;
};

class ProgramRepository {
 public:
  virtual ~ProgramRepository() = default;

  // Atomically: the user's active program (if any) is replaced, and `program` is inserted as the
  // active one with id `id` (version 1; times assigned here). kNotFound when there is no such
  // account.
  virtual Result<StoredProgram> CreateActive(const domain::Uuid& id, const domain::Uuid& user_id,
                                             const training::Program& program) = 0;
  // The user's active program; nullopt when there is none.
  virtual Result<std::optional<StoredProgram>> FindActive(const domain::Uuid& user_id) = 0;
  // The program `id` when it is the user's (active or not); nullopt otherwise.
  virtual Result<std::optional<StoredProgram>> FindOwned(const domain::Uuid& id,
                                                         const domain::Uuid& user_id) = 0;
  // Replaces the program's document when its version is still `version` (then version + 1);
  // nullopt when another write came first (the caller reads it again) or it no longer exists.
  virtual Result<std::optional<StoredProgram>> Update(const domain::Uuid& id, int version,
                                                      const training::Program& program) = 0;

  // Appends a done session to the journal of program `program_id` (which the caller checked is
  // `user_id`'s), with id `id`.
  virtual Result<LoggedSession> AddSession(const domain::Uuid& id, const domain::Uuid& program_id,
                                           const domain::Uuid& user_id,
                                           const training::DoneSession& session) = 0;
  // The program's journal, oldest first (by date done, then by when it was logged).
  virtual Result<domain::PageOf<LoggedSession>> Sessions(const domain::Uuid& program_id,
                                                         const domain::Page& page) = 0;
  // The whole journal (for the adaptation), oldest first.
  virtual Result<std::vector<training::DoneSession>> Journal(const domain::Uuid& program_id) = 0;
};

}  // namespace ascension::ports
