// Training programs (F10): generating the caller's plan from their own analyses and profile,
// reading it brought up to date, and the journal of done sessions.
//
// Rules held here (the plan's own rules are training/plan.hpp's, docs/training.md):
// - a program starts today (UTC) and is built from the caller's completed analyses (their
//   indicators) and current profile (level, injured or absent limbs); a new program replaces
//   the active one;
// - reading the active program adapts it to today first (a missed week rescheduled, a focus
//   indicator that improved in the analyses since the start shifts the next sessions), and
//   stores the change with its reason in both languages; two readers adapting at once store
//   it once;
// - a logged session is dated within the program (from its start to tomorrow, for climbers
//   ahead of UTC), names catalogue drills at most once each, has a perceived effort 1–10 and
//   notes of at most kMaxNotesChars characters (UTF-8, no control character);
// - someone else's program is indistinguishable from a missing one (kNotFound).
// Validation errors are kInvalidArgument whose message starts with the field's name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/page.hpp"
#include "domain/profile.hpp"
#include "ports/clock.hpp"
#include "ports/profile_repository.hpp"
#include "ports/program_repository.hpp"
#include "ports/score_history.hpp"
#include "services/principal.hpp"

namespace ascension::services {

inline constexpr std::size_t kMaxNotesChars = 2000;
inline constexpr std::size_t kMaxDrillsDone = 20;

// A program request as the client sent it (types checked by the caller, values here).
struct ProgramOrder {
  domain::LevelText goal_grade;
  std::optional<std::string> target_date;  // YYYY-MM-DD
  int sessions_per_week = 0;
  int session_minutes = 0;
  std::vector<std::string> equipment;  // training::EquipmentName; empty = a climbing gym
};

// A done session as the client sent it.
struct SessionEntry {
  std::string date;  // YYYY-MM-DD
  std::vector<std::string> drills_done;
  int perceived_effort = 0;
  std::string notes;
};

class Programs {
 public:
  Programs(ports::ProgramRepository& programs, ports::ProfileRepository& profiles,
           ports::ScoreHistory& history, const ports::Clock& clock)
      : programs_(programs), profiles_(profiles), history_(history), clock_(clock) {}

  // The new active program of the caller.
  Result<ports::StoredProgram> Create(const Principal& caller, const ProgramOrder& order);
  // The caller's active program adapted to today; kNotFound "no_program" without one.
  Result<ports::StoredProgram> Current(const Principal& caller);
  // Appends a done session to the caller's program `program_id`.
  Result<ports::LoggedSession> LogSession(const Principal& caller, const domain::Uuid& program_id,
                                          const SessionEntry& entry);
  // The journal of the caller's program `program_id`, oldest first.
  Result<domain::PageOf<ports::LoggedSession>> Sessions(const Principal& caller,
                                                        const domain::Uuid& program_id,
                                                        const domain::Page& page);

 private:
  training::Date Today() const;
  Result<std::vector<training::IndicatorSample>> History(const domain::Uuid& user_id);
  Result<ports::StoredProgram> Owned(const Principal& caller, const domain::Uuid& id);

  ports::ProgramRepository& programs_;
  ports::ProfileRepository& profiles_;
  ports::ScoreHistory& history_;
  const ports::Clock& clock_;
};

}  // namespace ascension::services
