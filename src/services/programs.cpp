#include "services/programs.hpp"

#include <algorithm>
#include <set>

#include "domain/rules.hpp"
#include "domain/text.hpp"

namespace ascension::services {
namespace {

Status NoSuchProgram() {
  return NotFound("Program not found");
}

}  // namespace

training::Date Programs::Today() const {
  return std::chrono::floor<std::chrono::days>(clock_.Now());
}

Result<std::vector<training::IndicatorSample>> Programs::History(const domain::Uuid& user_id) {
  auto outcomes = history_.Outcomes(user_id);
  if (!outcomes.ok()) return outcomes.status();
  std::vector<training::IndicatorSample> samples;
  for (const ports::AnalysisOutcome& o : *outcomes) {
    if (o.status != domain::kCompleted) continue;
    samples.push_back({o.scores.date, o.scores.indicators});
  }
  return samples;
}

Result<ports::StoredProgram> Programs::Owned(const Principal& caller, const domain::Uuid& id) {
  auto p = programs_.FindOwned(id, caller.user_id);
  if (!p.ok()) return p.status();
  if (!*p) return NoSuchProgram();
  return std::move(**p);
}

Result<ports::StoredProgram> Programs::Create(const Principal& caller, const ProgramOrder& order) {
  training::ProgramRequest r;
  const auto system = domain::ParseGradeSystem(order.goal_grade.system);
  if (!system) {
    return InvalidArgument("goal_grade.system must be one of fontainebleau, french, v_scale, yds");
  }
  r.goal_grade = domain::Grade::Parse(*system, order.goal_grade.grade);
  if (!r.goal_grade) {
    return InvalidArgument("goal_grade.grade is not a grade of the " +
                           std::string(domain::GradeSystemName(*system)) + " system");
  }
  if (order.target_date) {
    r.target_date = training::ParseDate(*order.target_date);
    if (!r.target_date) return InvalidArgument("target_date must be a date YYYY-MM-DD");
  }
  r.sessions_per_week = order.sessions_per_week;
  r.session_minutes = order.session_minutes;
  for (std::size_t i = 0; i < order.equipment.size(); ++i) {
    const auto e = training::ParseEquipment(order.equipment[i]);
    if (!e) {
      return InvalidArgument("equipment[" + std::to_string(i) +
                             "] must be one of gym, board, hangboard, outdoor, home");
    }
    r.equipment.push_back(*e);
  }
  r.start = Today();
  if (const auto e = training::ValidateRequest(r)) return InvalidArgument(e->message);

  auto profile = profiles_.Find(caller.user_id);
  if (!profile.ok()) return profile.status();
  auto history = History(caller.user_id);
  if (!history.ok()) return history.status();
  auto plan = training::GeneratePlan(r, *profile, *history);
  if (!plan.ok()) return plan.status();
  return programs_.CreateActive(domain::Uuid::Random(), caller.user_id, *plan);
}

Result<ports::StoredProgram> Programs::Current(const Principal& caller) {
  // A concurrent adaptation that wins the write is read again; the second pass finds nothing
  // left to change.
  for (int attempt = 0;; ++attempt) {
    auto active = programs_.FindActive(caller.user_id);
    if (!active.ok()) return active.status();
    if (!*active) return NoSuchProgram().WithCode("no_program");
    ports::StoredProgram stored = std::move(**active);
    auto journal = programs_.Journal(stored.id);
    if (!journal.ok()) return journal.status();
    auto history = History(caller.user_id);
    if (!history.ok()) return history.status();
    training::Program adapted = training::Adapt(stored.program, *journal, *history, Today());
    if (adapted.changes.size() == stored.program.changes.size()) return stored;
    auto updated = programs_.Update(stored.id, stored.version, adapted);
    if (!updated.ok()) return updated.status();
    if (*updated) return std::move(**updated);
    if (attempt == 2) return Unavailable("the program is being changed, please retry");
  }
}

Result<ports::LoggedSession> Programs::LogSession(const Principal& caller,
                                                  const domain::Uuid& program_id,
                                                  const SessionEntry& entry) {
  auto program = Owned(caller, program_id);
  if (!program.ok()) return program.status();
  training::DoneSession done;
  const auto date = training::ParseDate(entry.date);
  if (!date) return InvalidArgument("date must be a date YYYY-MM-DD");
  const training::Date start = program->program.request.start;
  if (*date < start || *date > Today() + std::chrono::days(1)) {
    return InvalidArgument("date must be between the program's start (" +
                           training::FormatDate(start) + ") and today");
  }
  done.date = *date;
  if (entry.drills_done.size() > kMaxDrillsDone) {
    return InvalidArgument("drills_done must list at most " + std::to_string(kMaxDrillsDone) +
                           " drills");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entry.drills_done.size(); ++i) {
    const std::string& id = entry.drills_done[i];
    if (training::FindDrill(id) == nullptr) {
      return InvalidArgument("drills_done[" + std::to_string(i) +
                             "] is not a drill of the catalogue");
    }
    if (!seen.insert(id).second) {
      return InvalidArgument("drills_done[" + std::to_string(i) + "] is listed twice");
    }
    done.drills_done.push_back(id);
  }
  if (entry.perceived_effort < 1 || entry.perceived_effort > 10) {
    return InvalidArgument("perceived_effort must be an integer between 1 and 10");
  }
  done.perceived_effort = entry.perceived_effort;
  if (const auto problem = domain::CheckText(entry.notes, kMaxNotesChars)) {
    return InvalidArgument("notes " + *problem);
  }
  done.notes = entry.notes;
  return programs_.AddSession(domain::Uuid::Random(), program_id, caller.user_id, done);
}

Result<domain::PageOf<ports::LoggedSession>> Programs::Sessions(const Principal& caller,
                                                                const domain::Uuid& program_id,
                                                                const domain::Page& page) {
  auto program = Owned(caller, program_id);
  if (!program.ok()) return program.status();
  return programs_.Sessions(program_id, page);
}

}  // namespace ascension::services
