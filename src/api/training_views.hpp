// The JSON shapes of the climber profile, training programs, their journal and the statistics
// (api/openapi.json), and the decoding of their request bodies: types checked, unknown fields
// refused, the first problem a 422 naming the field (the services check the values).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "domain/language.hpp"
#include "http/message.hpp"
#include "ports/program_repository.hpp"
#include "services/programs.hpp"
#include "services/stats.hpp"

namespace ascension::api {

// A program in `language` (drill texts, reasons). `sessions_logged` is the journal's length.
nlohmann::json ProgramJson(const ports::StoredProgram& p, domain::Language language);
nlohmann::json LoggedSessionJson(const ports::LoggedSession& s);
nlohmann::json StatsJson(const services::StatsPage& page);

// POST /v1/programs: {goal_grade:{system,grade}, target_date?, sessions_per_week,
// session_minutes, equipment?:[...]}.
std::optional<services::ProgramOrder> ReadProgramOrder(const nlohmann::json& body,
                                                       http::Response* error);
// POST /v1/programs/{id}/sessions: {date, drills_done?:[...], perceived_effort, notes?}.
std::optional<services::SessionEntry> ReadSessionEntry(const nlohmann::json& body,
                                                       http::Response* error);

}  // namespace ascension::api
