// Training programs (F10): a plan of weeks of sessions of drills, generated from the weakest
// indicators of the climber's own analyses, and its adaptation to what happened since (missed
// weeks, indicators that improved). Pure and deterministic: the caller passes the dates, the
// history and the journal. docs/training.md states every rule; the tests check them.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "domain/indicators.hpp"
#include "domain/profile.hpp"
#include "training/drills.hpp"

namespace ascension::training {

using Date = std::chrono::sys_days;
// "2026-12-01".
std::string FormatDate(Date date);
// A strict "YYYY-MM-DD" calendar date; nullopt otherwise (2026-02-30 included).
std::optional<Date> ParseDate(std::string_view text);

// Limits of a request (inclusive).
inline constexpr int kMinSessionsPerWeek = 1, kMaxSessionsPerWeek = 7;
inline constexpr int kMinSessionMinutes = 30, kMaxSessionMinutes = 240;
inline constexpr int kMaxWeeks = 52;

struct ProgramRequest {
  std::optional<domain::Grade> goal_grade;
  std::optional<Date> target_date;  // the program ends on the week holding this date
  int sessions_per_week = 3;
  int session_minutes = 90;          // warm-up and cool-down included
  std::vector<Equipment> equipment;  // what the climber has; empty = a climbing gym
  Date start{};                      // the first day of week 1
};

// The first problem with `request`, naming the field as the API spells it; nullopt when valid.
std::optional<domain::FieldError> ValidateRequest(const ProgramRequest& request);

// One analysis's indicators on its day: the history programs are built from.
struct IndicatorSample {
  Date date{};
  domain::IndicatorValues values;
};

// A sentence in both languages (why the plan is what it is, what changed and why).
struct Reason {
  std::string en;
  std::string fr;
};

// An indicator the program trains, with what it rests on.
struct Focus {
  domain::Indicator indicator = domain::Indicator::kTechnique;
  std::optional<double> average;  // mean over the samples of the window; none without history
  int samples = 0;
  Reason reason;
};

struct PlannedDrill {
  std::string_view drill_id;
  int sets = 1;
  int reps = 0;  // 0: timed sets of work_s seconds
  int work_s = 0;
  int rest_s = 0;
  int minutes = 0;  // the time the drill takes, rests included
};

struct Session {
  Date date{};
  Load intensity = Load::kModerate;
  domain::Indicator focus = domain::Indicator::kTechnique;
  int warm_up_minutes = 0;
  int cool_down_minutes = 0;
  std::vector<PlannedDrill> drills;
  int minutes = 0;  // warm-up + drills + cool-down; never more than requested
};

struct Week {
  int index = 1;  // 1-based, in program order
  Date start{};
  bool lighter = false;      // a recovery week: no hard session, less volume
  double load_factor = 1.0;  // the volume multiplier of the week's drills
  std::vector<Session> sessions;
};

// What the adaptation changed, and why.
struct Change {
  Date date{};  // the day the change was made
  Reason reason;
};

struct Program {
  ProgramRequest request;
  domain::ClimberProfile profile;
  domain::ClimbingLevel level = domain::ClimbingLevel::kIntermediate;
  std::vector<Focus> focus;  // weakest first
  std::vector<Week> weeks;
  std::vector<Change> changes;  // adaptations, oldest first
};

// Generates a program for the climber of `profile` from `history` (any order; samples after the
// start are ignored). Focus: the kFocusCount indicators with the lowest mean over the analyses of
// the kFocusWindowDays before the start (the last kFallbackSamples analyses when none is that
// recent; the level's foundations without any). Weeks: up to the target date's week, else four
// per grade between the level and the goal in one system (4–16), else 8. Every week has exactly
// `sessions_per_week` sessions; never two hard days in a row; every kLighterWeekEvery-th week is
// lighter; the load grows within each block; no drill asks for an injured or absent limb or
// needs equipment the climber lacks. Errors (kInvalidArgument, message naming the field): an
// invalid request, or no drill of the catalogue fits the profile and equipment.
Result<Program> GeneratePlan(const ProgramRequest& request, const domain::ClimberProfile& profile,
                             std::span<const IndicatorSample> history);

inline constexpr int kFocusCount = 2;
inline constexpr int kFocusWindowDays = 28;
inline constexpr int kFallbackSamples = 5;
inline constexpr int kLighterWeekEvery = 4;
// A focus indicator whose mean rose by at least this (points) is improved.
inline constexpr double kImprovedBy = 10;

// A session the climber logged.
struct DoneSession {
  Date date{};
  std::vector<std::string> drills_done;  // drill ids
  int perceived_effort = 5;              // 1..10
  std::string notes;
};

// The program brought up to date on `today`, with the reason of each change appended to
// `changes` (the program is returned unchanged when nothing calls for a change):
// - a week that ended before today without any logged session is missed: it and every later
//   week move to start on the first week boundary on or after today (weeks past the target
//   date's week are dropped, never the missed one);
// - when a focus indicator's mean over the kFocusWindowDays before today (analyses after the
//   program's start only) rose by kImprovedBy or more above the mean the focus was chosen on,
//   the focus is chosen again from the analyses of the kFocusWindowDays before today, and the
//   sessions after today follow it; a focus that was the level's foundations (no analysis at
//   the start) is likewise chosen from the first analyses since the start.
Program Adapt(const Program& program, std::span<const DoneSession> journal,
              std::span<const IndicatorSample> history, Date today);

}  // namespace ascension::training
