#include "api/training_views.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "domain/profile_json.hpp"

namespace ascension::api {
namespace {

using nlohmann::json;

json Rounded(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return json();
  const double r = std::round(*v * 10) / 10;
  return r == 0 ? 0.0 : r;
}

std::string_view In(const training::Reason& r, domain::Language language) {
  return language == domain::Language::kFr ? r.fr : r.en;
}

json DrillJson(const training::PlannedDrill& d, domain::Language language) {
  const training::Drill* drill = training::FindDrill(d.drill_id);
  const bool fr = language == domain::Language::kFr;
  json j = {{"id", d.drill_id},   {"sets", d.sets},     {"reps", d.reps},
            {"work_s", d.work_s}, {"rest_s", d.rest_s}, {"minutes", d.minutes}};
  if (drill != nullptr) {
    j["name"] = drill->name.In(fr);
    j["aim"] = drill->aim.In(fr);
    j["how"] = drill->how.In(fr);
    j["indicator"] = domain::IndicatorName(drill->indicator);
    j["load"] = training::LoadName(drill->load);
    json limbs = json::array();
    for (domain::BodyLimb l : domain::kBodyLimbs) {
      if (drill->asks_for[static_cast<std::size_t>(l)]) limbs.push_back(domain::BodyLimbName(l));
    }
    j["limbs"] = std::move(limbs);
  }
  return j;
}

// Reads the fields of a request body (of the object at `prefix` in it), keeping the first
// problem as a message naming the field.
class Body {
 public:
  Body(const json& body, std::initializer_list<const char*> known, std::string prefix = "")
      : body_(body), prefix_(std::move(prefix)) {
    for (const auto& [key, value] : body.items()) {
      bool ok = false;
      for (const char* k : known) ok |= key == k;
      if (!ok) {
        Fail(Shown(key), "is not a field of this request");
        break;
      }
    }
  }

  const json* Get(const char* name, bool required) {
    if (problem_) return nullptr;
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
      if (required) Fail(name, "is required");
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> String(const char* name, bool required) {
    const json* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      Fail(name, "must be a string");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<int> Integer(const char* name, bool required) {
    const json* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    // 3.0 is an integer written as a float by some clients; 3.5 is not. Out-of-range integers
    // are clamped, so the service's range check names them.
    if (v->is_number_float()) {
      const double d = v->get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 1e6) return static_cast<int>(d);
    } else if (v->is_number_unsigned()) {
      return static_cast<int>(std::min<std::uint64_t>(v->get<std::uint64_t>(), 1000000));
    } else if (v->is_number_integer()) {
      return static_cast<int>(std::clamp<std::int64_t>(v->get<std::int64_t>(), -1000000, 1000000));
    }
    Fail(name, "must be an integer");
    return std::nullopt;
  }

  std::vector<std::string> Strings(const char* name, std::size_t max) {
    std::vector<std::string> out;
    const json* v = Get(name, false);
    if (v == nullptr) return out;
    if (!v->is_array() || v->size() > max) {
      Fail(name, "must be an array of at most " + std::to_string(max) + " strings");
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        Fail(std::string(name) + "[" + std::to_string(i) + "]", "must be a string");
        return {};
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }

  void Fail(const std::string& field, const std::string& problem) {
    if (!problem_) problem_ = prefix_ + field + " " + problem;
  }
  // A problem found elsewhere (in a nested object), already naming its field.
  void Take(const Body& nested) {
    if (!problem_ && nested.problem_) problem_ = nested.problem_;
  }
  bool ok() const { return !problem_.has_value(); }
  http::Response error() const { return http::Error(422, "validation_failed", *problem_); }

  // A client's name in a message: at most 40 bytes, cut on a character boundary.
  static std::string Shown(const std::string& name) {
    if (name.size() <= 40) return name;
    std::size_t end = 40;
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    return name.substr(0, end) + "...";
  }

 private:
  const json& body_;
  std::string prefix_;
  std::optional<std::string> problem_;
};

}  // namespace

json ProgramJson(const ports::StoredProgram& stored, domain::Language language) {
  const training::Program& p = stored.program;
  json equipment = json::array();
  for (training::Equipment e : p.request.equipment) equipment.push_back(training::EquipmentName(e));
  json focus = json::array();
  for (const training::Focus& f : p.focus) {
    focus.push_back({{"indicator", domain::IndicatorName(f.indicator)},
                     {"average", Rounded(f.average)},
                     {"analyses", f.samples},
                     {"reason", In(f.reason, language)}});
  }
  json weeks = json::array();
  for (const training::Week& w : p.weeks) {
    json sessions = json::array();
    for (const training::Session& s : w.sessions) {
      json drills = json::array();
      for (const training::PlannedDrill& d : s.drills) drills.push_back(DrillJson(d, language));
      sessions.push_back({{"date", training::FormatDate(s.date)},
                          {"intensity", training::LoadName(s.intensity)},
                          {"focus", domain::IndicatorName(s.focus)},
                          {"minutes", s.minutes},
                          {"warm_up_minutes", s.warm_up_minutes},
                          {"cool_down_minutes", s.cool_down_minutes},
                          {"drills", std::move(drills)}});
    }
    weeks.push_back({{"index", w.index},
                     {"start_date", training::FormatDate(w.start)},
                     {"lighter", w.lighter},
                     {"load_factor", std::round(w.load_factor * 100) / 100},
                     {"sessions", std::move(sessions)}});
  }
  json changes = json::array();
  for (const training::Change& c : p.changes) {
    changes.push_back({{"date", training::FormatDate(c.date)}, {"reason", In(c.reason, language)}});
  }
  json goal;
  if (p.request.goal_grade) {
    goal = {{"system", domain::GradeSystemName(p.request.goal_grade->system())},
            {"grade", p.request.goal_grade->text()}};
  }
  return {{"id", stored.id.str()},
          {"language", domain::LanguageCode(language)},
          {"version", stored.version},
          {"created_at", domain::FormatTime(stored.created_at)},
          {"updated_at", domain::FormatTime(stored.updated_at)},
          {"goal_grade", std::move(goal)},
          {"target_date",
           p.request.target_date ? json(training::FormatDate(*p.request.target_date)) : json()},
          {"sessions_per_week", p.request.sessions_per_week},
          {"session_minutes", p.request.session_minutes},
          {"equipment", std::move(equipment)},
          {"start_date", training::FormatDate(p.request.start)},
          {"level", domain::ClimbingLevelName(p.level)},
          {"profile", domain::ProfileJson(p.profile)},
          {"focus", std::move(focus)},
          {"weeks", std::move(weeks)},
          {"changes", std::move(changes)}};
}

json LoggedSessionJson(const ports::LoggedSession& s) {
  return {{"id", s.id.str()},
          {"program_id", s.program_id.str()},
          {"date", training::FormatDate(s.session.date)},
          {"drills_done", s.session.drills_done},
          {"perceived_effort", s.session.perceived_effort},
          {"notes", s.session.notes},
          {"created_at", domain::FormatTime(s.created_at)}};
}

json StatsJson(const services::StatsPage& page) {
  const training::Progress& p = page.progress;
  auto series = [](auto value) {
    json out = json::object();
    for (std::size_t s = 0; s < training::kSeriesCount; ++s) {
      out[std::string(training::SeriesName(s))] = value(s);
    }
    return out;
  };
  json weeks = json::array();
  for (std::size_t w = 0; w < p.weeks.size(); ++w) {
    const training::WeekProgress& week = p.weeks[w];
    const services::WeekCounts counts =
        w < page.counts.size() ? page.counts[w] : services::WeekCounts{};
    weeks.push_back(
        {{"week_start", training::FormatDate(week.week_start)},
         {"analyses", counts.analyses},
         {"completed", counts.completed},
         {"average_scores", series([&](std::size_t s) { return Rounded(week.average[s]); })}});
  }
  return {{"weeks", std::move(weeks)},
          {"average_scores", series([&](std::size_t s) { return Rounded(p.series[s].average); })},
          {"trend", series([&](std::size_t s) { return Rounded(p.series[s].trend); })},
          {"personal_best", series([&](std::size_t s) -> json {
             const auto& best = p.series[s].best;
             if (!best) return json();
             return {{"value", Rounded(best->value)},
                     {"analysis_id", best->analysis_id},
                     {"date", training::FormatDate(best->date)}};
           })},
          {"totals",
           {{"analyses", page.analyses}, {"completed", page.completed}, {"failed", page.failed}}}};
}

std::optional<services::ProgramOrder> ReadProgramOrder(const json& body, http::Response* error) {
  Body b(body, {"goal_grade", "target_date", "sessions_per_week", "session_minutes", "equipment"});
  services::ProgramOrder o;
  if (const json* g = b.Get("goal_grade", true)) {
    if (!g->is_object()) {
      b.Fail("goal_grade", "must be an object {system, grade}");
    } else {
      Body grade(*g, {"system", "grade"}, "goal_grade.");
      auto system = grade.String("system", true);
      auto text = grade.String("grade", true);
      b.Take(grade);
      if (grade.ok()) o.goal_grade = {*system, *text};
    }
  }
  o.target_date = b.String("target_date", false);
  o.sessions_per_week = b.Integer("sessions_per_week", true).value_or(0);
  o.session_minutes = b.Integer("session_minutes", true).value_or(0);
  o.equipment = b.Strings("equipment", 16);
  if (!b.ok()) {
    *error = b.error();
    return std::nullopt;
  }
  return o;
}

std::optional<services::SessionEntry> ReadSessionEntry(const json& body, http::Response* error) {
  Body b(body, {"date", "drills_done", "perceived_effort", "notes"});
  services::SessionEntry e;
  e.date = b.String("date", true).value_or("");
  e.drills_done = b.Strings("drills_done", services::kMaxDrillsDone);
  e.perceived_effort = b.Integer("perceived_effort", true).value_or(0);
  e.notes = b.String("notes", false).value_or("");
  if (!b.ok()) {
    *error = b.error();
    return std::nullopt;
  }
  return e;
}

}  // namespace ascension::api
