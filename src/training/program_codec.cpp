#include "training/program_codec.hpp"

#include <cmath>
#include <limits>

#include "domain/profile_json.hpp"

namespace ascension::training {
namespace {

using nlohmann::json;

json Opt(const std::optional<double>& v) {
  return v ? json(*v) : json();
}

json ReasonJson(const Reason& r) {
  return {{"en", r.en}, {"fr", r.fr}};
}

json GradeJson(const std::optional<domain::Grade>& g) {
  if (!g) return json();
  return {{"system", domain::GradeSystemName(g->system())}, {"grade", g->text()}};
}

// Reads fields of a stored document, keeping the first problem (its path) as a kDataLoss.
class Reader {
 public:
  bool ok() const { return error_.empty(); }
  Status status() const { return DataLoss("stored program: " + error_); }
  Status status(std::string_view what) const { return DataLoss(std::string(what) + ": " + error_); }

  void Fail(const std::string& path, std::string_view problem) {
    if (error_.empty()) error_ = path + " " + std::string(problem);
  }
  // A problem whose message already starts with the field's name relative to `path`.
  void FailWithin(const std::string& path, const std::string& message) {
    if (error_.empty()) error_ = path + "." + message;
  }

  const json* Field(const json& obj, const std::string& path, const char* name,
                    bool required = true) {
    if (!ok()) return nullptr;
    if (!obj.is_object()) {
      Fail(path, "is not an object");
      return nullptr;
    }
    auto it = obj.find(name);
    if (it == obj.end() || (it->is_null() && !required)) {
      if (required) Fail(Join(path, name), "is missing");
      return nullptr;
    }
    return &*it;
  }

  std::optional<double> Number(const json& obj, const std::string& path, const char* name,
                               bool required, double min, double max) {
    const json* v = Field(obj, path, name, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) {
      Fail(Join(path, name), "is not a number");
      return std::nullopt;
    }
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < min || d > max) {
      Fail(Join(path, name), "is out of range");
      return std::nullopt;
    }
    return d;
  }

  int Int(const json& obj, const std::string& path, const char* name, int min, int max) {
    const json* v = Field(obj, path, name);
    if (v == nullptr) return min;
    if (!v->is_number_integer()) {
      Fail(Join(path, name), "is not an integer");
      return min;
    }
    const auto i = v->get<std::int64_t>();
    if (i < min || i > max) {
      Fail(Join(path, name), "is out of range");
      return min;
    }
    return static_cast<int>(i);
  }

  std::optional<std::string> String(const json& obj, const std::string& path, const char* name,
                                    bool required = true) {
    const json* v = Field(obj, path, name, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      Fail(Join(path, name), "is not a string");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  bool Bool(const json& obj, const std::string& path, const char* name) {
    const json* v = Field(obj, path, name);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      Fail(Join(path, name), "is not a boolean");
      return false;
    }
    return v->get<bool>();
  }

  const json* Array(const json& obj, const std::string& path, const char* name,
                    std::size_t max_size) {
    const json* v = Field(obj, path, name);
    if (v == nullptr) return nullptr;
    if (!v->is_array() || v->size() > max_size) {
      Fail(Join(path, name), "is not an array of at most " + std::to_string(max_size));
      return nullptr;
    }
    return v;
  }

  std::optional<Date> DateField(const json& obj, const std::string& path, const char* name,
                                bool required = true) {
    const auto s = String(obj, path, name, required);
    if (!s) return std::nullopt;
    const auto d = ParseDate(*s);
    if (!d) Fail(Join(path, name), "is not a date");
    return d;
  }

  Reason ReasonField(const json& obj, const std::string& path, const char* name) {
    Reason r;
    const json* v = Field(obj, path, name);
    if (v == nullptr) return r;
    const std::string at = Join(path, name);
    r.en = String(*v, at, "en").value_or("");
    r.fr = String(*v, at, "fr").value_or("");
    return r;
  }

  template <typename T, typename Parse>
  std::optional<T> Name(const json& obj, const std::string& path, const char* name, Parse parse,
                        bool required = true) {
    const auto s = String(obj, path, name, required);
    if (!s) return std::nullopt;
    auto v = parse(*s);
    if (!v) Fail(Join(path, name), "is not a known name");
    return v;
  }

  std::optional<domain::Grade> GradeField(const json& obj, const std::string& path,
                                          const char* name) {
    const json* v = Field(obj, path, name, false);
    if (v == nullptr) return std::nullopt;
    const std::string at = Join(path, name);
    const auto system = Name<domain::GradeSystem>(*v, at, "system", domain::ParseGradeSystem);
    const auto text = String(*v, at, "grade");
    if (!system || !text) return std::nullopt;
    auto g = domain::Grade::Parse(*system, *text);
    if (!g) Fail(at + ".grade", "is not a grade of its system");
    return g;
  }

  static std::string Join(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
  }
  static std::string Index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  std::string error_;
};

domain::ClimberProfile ReadProfile(Reader& r, const json& j, const std::string& path) {
  if (!j.is_object()) {
    r.Fail(path, "is not an object");
    return {};
  }
  auto p = domain::ProfileFromJson(j);
  if (!p.ok()) {
    r.FailWithin(path, p.status().message());
    return {};
  }
  return std::move(p).value();
}

std::optional<Load> ParseLoad(std::string_view name) {
  for (Load l : {Load::kLight, Load::kModerate, Load::kHard}) {
    if (LoadName(l) == name) return l;
  }
  return std::nullopt;
}

constexpr double kMaxScore = 100;
constexpr int kMaxSeconds = 24 * 3600;

}  // namespace

std::string EncodeProgram(const Program& p) {
  json equipment = json::array();
  for (Equipment e : p.request.equipment) equipment.push_back(EquipmentName(e));
  json request = {
      {"goal_grade", GradeJson(p.request.goal_grade)},
      {"target_date", p.request.target_date ? json(FormatDate(*p.request.target_date)) : json()},
      {"sessions_per_week", p.request.sessions_per_week},
      {"session_minutes", p.request.session_minutes},
      {"equipment", std::move(equipment)},
      {"start", FormatDate(p.request.start)}};
  json focus = json::array();
  for (const Focus& f : p.focus) {
    focus.push_back({{"indicator", domain::IndicatorName(f.indicator)},
                     {"average", Opt(f.average)},
                     {"samples", f.samples},
                     {"reason", ReasonJson(f.reason)}});
  }
  json weeks = json::array();
  for (const Week& w : p.weeks) {
    json sessions = json::array();
    for (const Session& s : w.sessions) {
      json drills = json::array();
      for (const PlannedDrill& d : s.drills) {
        drills.push_back({{"drill", d.drill_id},
                          {"sets", d.sets},
                          {"reps", d.reps},
                          {"work_s", d.work_s},
                          {"rest_s", d.rest_s},
                          {"minutes", d.minutes}});
      }
      sessions.push_back({{"date", FormatDate(s.date)},
                          {"intensity", LoadName(s.intensity)},
                          {"focus", domain::IndicatorName(s.focus)},
                          {"warm_up_minutes", s.warm_up_minutes},
                          {"cool_down_minutes", s.cool_down_minutes},
                          {"minutes", s.minutes},
                          {"drills", std::move(drills)}});
    }
    weeks.push_back({{"index", w.index},
                     {"start", FormatDate(w.start)},
                     {"lighter", w.lighter},
                     {"load_factor", w.load_factor},
                     {"sessions", std::move(sessions)}});
  }
  json changes = json::array();
  for (const Change& c : p.changes) {
    changes.push_back({{"date", FormatDate(c.date)}, {"reason", ReasonJson(c.reason)}});
  }
  const json doc = {{"format", kProgramFormat},
                    {"request", std::move(request)},
                    {"profile", domain::ProfileJson(p.profile)},
                    {"level", domain::ClimbingLevelName(p.level)},
                    {"focus", std::move(focus)},
                    {"weeks", std::move(weeks)},
                    {"changes", std::move(changes)}};
  return doc.dump();
}

Result<Program> DecodeProgram(std::string_view document) {
  const json doc = json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return DataLoss("stored program: is not a JSON object");
  }
  Reader r;
  Program p;
  if (r.Int(doc, "", "format", 0, std::numeric_limits<int>::max()) != kProgramFormat && r.ok()) {
    return DataLoss("stored program: format is not " + std::to_string(kProgramFormat));
  }
  // The request.
  if (const json* q = r.Field(doc, "", "request")) {
    const std::string at = "request";
    p.request.goal_grade = r.GradeField(*q, at, "goal_grade");
    p.request.target_date = r.DateField(*q, at, "target_date", false);
    p.request.sessions_per_week =
        r.Int(*q, at, "sessions_per_week", kMinSessionsPerWeek, kMaxSessionsPerWeek);
    p.request.session_minutes =
        r.Int(*q, at, "session_minutes", kMinSessionMinutes, kMaxSessionMinutes);
    if (const json* eq = r.Array(*q, at, "equipment", kEquipment.size())) {
      for (std::size_t i = 0; i < eq->size() && r.ok(); ++i) {
        const auto e =
            (*eq)[i].is_string() ? ParseEquipment((*eq)[i].get<std::string>()) : std::nullopt;
        if (!e) r.Fail(Reader::Index(at + ".equipment", i), "is not equipment");
        if (e) p.request.equipment.push_back(*e);
      }
    }
    p.request.start = r.DateField(*q, at, "start").value_or(Date{});
  }
  if (const json* prof = r.Field(doc, "", "profile")) p.profile = ReadProfile(r, *prof, "profile");
  p.level = r.Name<domain::ClimbingLevel>(doc, "", "level", domain::ParseClimbingLevel)
                .value_or(domain::ClimbingLevel::kIntermediate);
  if (const json* focus = r.Array(doc, "", "focus", domain::kIndicators.size())) {
    for (std::size_t i = 0; i < focus->size() && r.ok(); ++i) {
      const std::string at = Reader::Index("focus", i);
      const json& f = (*focus)[i];
      Focus x;
      x.indicator = r.Name<domain::Indicator>(f, at, "indicator", domain::ParseIndicator)
                        .value_or(domain::Indicator::kTechnique);
      x.average = r.Number(f, at, "average", false, 0, kMaxScore);
      x.samples = r.Int(f, at, "samples", 0, std::numeric_limits<int>::max());
      x.reason = r.ReasonField(f, at, "reason");
      p.focus.push_back(std::move(x));
    }
    if (r.ok() && p.focus.empty()) r.Fail("focus", "is empty");
  }
  if (const json* weeks = r.Array(doc, "", "weeks", kMaxWeeks)) {
    for (std::size_t i = 0; i < weeks->size() && r.ok(); ++i) {
      const std::string at = Reader::Index("weeks", i);
      const json& w = (*weeks)[i];
      Week x;
      x.index = r.Int(w, at, "index", 1, std::numeric_limits<int>::max());
      x.start = r.DateField(w, at, "start").value_or(Date{});
      x.lighter = r.Bool(w, at, "lighter");
      x.load_factor = r.Number(w, at, "load_factor", true, 0, 10).value_or(1.0);
      if (const json* sessions = r.Array(w, at, "sessions", kMaxSessionsPerWeek)) {
        for (std::size_t k = 0; k < sessions->size() && r.ok(); ++k) {
          const std::string sat = Reader::Index(at + ".sessions", k);
          const json& s = (*sessions)[k];
          Session y;
          y.date = r.DateField(s, sat, "date").value_or(Date{});
          y.intensity = r.Name<Load>(s, sat, "intensity", ParseLoad).value_or(Load::kModerate);
          y.focus = r.Name<domain::Indicator>(s, sat, "focus", domain::ParseIndicator)
                        .value_or(domain::Indicator::kTechnique);
          y.warm_up_minutes = r.Int(s, sat, "warm_up_minutes", 0, kMaxSessionMinutes);
          y.cool_down_minutes = r.Int(s, sat, "cool_down_minutes", 0, kMaxSessionMinutes);
          y.minutes = r.Int(s, sat, "minutes", 0, kMaxSessionMinutes);
          if (const json* drills = r.Array(s, sat, "drills", 16)) {
            for (std::size_t d = 0; d < drills->size() && r.ok(); ++d) {
              const std::string dat = Reader::Index(sat + ".drills", d);
              const json& dj = (*drills)[d];
              PlannedDrill z;
              const auto id = r.String(dj, dat, "drill");
              const Drill* drill = id ? FindDrill(*id) : nullptr;
              if (id && drill == nullptr) r.Fail(dat + ".drill", "is not a drill of the catalogue");
              if (drill != nullptr) z.drill_id = drill->id;
              z.sets = r.Int(dj, dat, "sets", 1, 1000);
              z.reps = r.Int(dj, dat, "reps", 0, 1000);
              z.work_s = r.Int(dj, dat, "work_s", 0, kMaxSeconds);
              z.rest_s = r.Int(dj, dat, "rest_s", 0, kMaxSeconds);
              z.minutes = r.Int(dj, dat, "minutes", 0, kMaxSessionMinutes);
              y.drills.push_back(z);
            }
          }
          x.sessions.push_back(std::move(y));
        }
      }
      p.weeks.push_back(std::move(x));
    }
  }
  if (const json* changes = r.Array(doc, "", "changes", 10000)) {
    for (std::size_t i = 0; i < changes->size() && r.ok(); ++i) {
      const std::string at = Reader::Index("changes", i);
      Change c;
      c.date = r.DateField((*changes)[i], at, "date").value_or(Date{});
      c.reason = r.ReasonField((*changes)[i], at, "reason");
      p.changes.push_back(std::move(c));
    }
  }
  if (!r.ok()) return r.status();
  return p;
}

}  // namespace ascension::training
