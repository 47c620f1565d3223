#include "training/plan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace ascension::training {
namespace {

using domain::ClimbingLevel;
using domain::Indicator;
using std::chrono::days;

// Warm-up and cool-down: a quarter and a sixth of the session, within these bounds.
constexpr int kWarmUpMinutes = 15, kMinWarmUpMinutes = 5;
constexpr int kCoolDownMinutes = 10, kMinCoolDownMinutes = 5;
constexpr int kMaxDrillsPerSession = 3;
constexpr int kDefaultWeeks = 8;
constexpr int kWeeksPerGrade = 4;
constexpr int kMinGoalWeeks = 4, kMaxGoalWeeks = 16;
// Volume: the lighter week's share, and the growth per week within a block.
constexpr double kLighterLoad = 0.6;
constexpr double kLoadStepPerWeek = 0.1;

// Session days within a week (offsets from the week's first day) for 1..7 sessions: spread so
// that rest days fall between sessions.
constexpr std::array<std::array<int, 7>, 8> kSessionDays = {{{},
                                                             {2},
                                                             {1, 4},
                                                             {0, 2, 4},
                                                             {0, 1, 3, 5},
                                                             {0, 1, 3, 4, 6},
                                                             {0, 1, 2, 4, 5, 6},
                                                             {0, 1, 2, 3, 4, 5, 6}}};

// Hard sessions allowed in a normal week, by level.
int MaxHardPerWeek(ClimbingLevel level) {
  switch (level) {
    case ClimbingLevel::kBeginner:
      return 1;
    case ClimbingLevel::kIntermediate:
      return 2;
    case ClimbingLevel::kAdvanced:
    case ClimbingLevel::kElite:
      return 3;
  }
  return 1;
}

// Dose multiplier by level.
double LevelFactor(ClimbingLevel level) {
  switch (level) {
    case ClimbingLevel::kBeginner:
      return 0.75;
    case ClimbingLevel::kIntermediate:
      return 1.0;
    case ClimbingLevel::kAdvanced:
      return 1.25;
    case ClimbingLevel::kElite:
      return 1.5;
  }
  return 1.0;
}

// The foundations trained when there is no analysis yet.
std::array<Indicator, kFocusCount> DefaultFocus(ClimbingLevel level) {
  switch (level) {
    case ClimbingLevel::kBeginner:
      return {Indicator::kTechnique, Indicator::kStability};
    case ClimbingLevel::kIntermediate:
      return {Indicator::kTechnique, Indicator::kFluidity};
    case ClimbingLevel::kAdvanced:
    case ClimbingLevel::kElite:
      return {Indicator::kEfficiency, Indicator::kPace};
  }
  return {Indicator::kTechnique, Indicator::kFluidity};
}

std::string_view NameEn(Indicator i) {
  return domain::IndicatorName(i);
}

// "la technique", "la fluidité", ...: the French name with its article.
std::string_view NameFr(Indicator i) {
  switch (i) {
    case Indicator::kTechnique:
      return "la technique";
    case Indicator::kFluidity:
      return "la fluidité";
    case Indicator::kStability:
      return "la stabilité";
    case Indicator::kEfficiency:
      return "l'efficacité";
    case Indicator::kPace:
      return "le rythme";
  }
  return "";
}

std::string Score(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  return buf;
}

std::string Capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// French: "La technique" from "la technique", "L'efficacité" from "l'efficacité".
std::string CapitalisedFr(std::string_view s) {
  return Capitalised(s);
}

// Agreement of a French participle or pronoun with the indicator's gender ("le rythme" is the
// only masculine one).
bool Masculine(Indicator i) {
  return i == Indicator::kPace;
}

struct Mean {
  double sum = 0;
  int n = 0;
  std::optional<double> value() const {
    return n > 0 ? std::optional<double>(sum / n) : std::nullopt;
  }
};

// Per-indicator means over `samples`.
std::array<Mean, 5> Means(const std::vector<const IndicatorSample*>& samples) {
  std::array<Mean, 5> means{};
  for (const IndicatorSample* s : samples) {
    for (Indicator i : domain::kIndicators) {
      if (const auto v = s->values.Get(i)) {
        means[static_cast<int>(i)].sum += *v;
        ++means[static_cast<int>(i)].n;
      }
    }
  }
  return means;
}

// The samples dated in (end − window, end], or when none the last kFallbackSamples up to `end`.
std::vector<const IndicatorSample*> Window(std::span<const IndicatorSample> history, Date end,
                                           std::optional<Date> not_before) {
  std::vector<const IndicatorSample*> recent, before;
  for (const IndicatorSample& s : history) {
    if (s.date > end || (not_before && s.date < *not_before)) continue;
    before.push_back(&s);
    if (s.date > end - days(kFocusWindowDays)) recent.push_back(&s);
  }
  if (!recent.empty() || not_before) return recent;
  std::stable_sort(
      before.begin(), before.end(),
      [](const IndicatorSample* a, const IndicatorSample* b) { return a->date < b->date; });
  if (before.size() > static_cast<std::size_t>(kFallbackSamples)) {
    before.erase(before.begin(), before.end() - kFallbackSamples);
  }
  return before;
}

// The kFocusCount weakest measured indicators (ties in indicator order), else the defaults.
std::vector<Focus> ChooseFocus(const std::vector<const IndicatorSample*>& samples,
                               ClimbingLevel level) {
  const auto means = Means(samples);
  std::vector<Indicator> measured;
  for (Indicator i : domain::kIndicators) {
    if (means[static_cast<int>(i)].n > 0) measured.push_back(i);
  }
  std::stable_sort(measured.begin(), measured.end(), [&](Indicator a, Indicator b) {
    return *means[static_cast<int>(a)].value() < *means[static_cast<int>(b)].value();
  });
  std::vector<Focus> focus;
  for (Indicator i : measured) {
    if (focus.size() == static_cast<std::size_t>(kFocusCount)) break;
    const Mean& m = means[static_cast<int>(i)];
    Focus f{i, m.value(), m.n, {}};
    const std::string avg = Score(*m.value()), n = std::to_string(m.n);
    f.reason.en = Capitalised(NameEn(i)) + " is among your weakest indicators: " + avg +
                  "/100 on average over " + n + (m.n == 1 ? " analysis." : " analyses.");
    f.reason.fr = CapitalisedFr(NameFr(i)) +
                  " fait partie de vos indicateurs les plus faibles : " + avg +
                  "/100 en moyenne sur " + n + (m.n == 1 ? " analyse." : " analyses.");
    focus.push_back(std::move(f));
  }
  for (Indicator i : DefaultFocus(level)) {
    if (focus.size() == static_cast<std::size_t>(kFocusCount)) break;
    if (std::any_of(focus.begin(), focus.end(), [i](const Focus& f) { return f.indicator == i; })) {
      continue;
    }
    Focus f{i, std::nullopt, 0, {}};
    f.reason.en = Capitalised(NameEn(i)) +
                  ": a foundation at your level, trained until your analyses show your weakest "
                  "indicators.";
    f.reason.fr = CapitalisedFr(NameFr(i)) +
                  " : une base à votre niveau, travaillée jusqu'à ce que vos analyses montrent vos "
                  "indicateurs les plus faibles.";
    focus.push_back(std::move(f));
  }
  return focus;
}

int WeekCount(const ProgramRequest& r, const domain::ClimberProfile& profile) {
  if (r.target_date) {
    const int d = static_cast<int>((*r.target_date - r.start).count());
    return std::clamp(d / 7 + 1, 1, kMaxWeeks);
  }
  if (r.goal_grade && profile.level && r.goal_grade->system() == profile.level->system()) {
    const int gap = r.goal_grade->rank() - profile.level->rank();
    return std::clamp(kWeeksPerGrade * gap, kMinGoalWeeks, kMaxGoalWeeks);
  }
  return kDefaultWeeks;
}

bool IsLighter(int index) {
  return index % kLighterWeekEvery == 0;
}

// Volume of week `index`: grows by a step each week of a block, drops in the lighter week.
double LoadFactor(int index) {
  if (IsLighter(index)) return kLighterLoad;
  const int in_block = (index - 1) % kLighterWeekEvery;
  return 1.0 + kLoadStepPerWeek * in_block;
}

PlannedDrill Plan(const Drill& d, double factor, int max_minutes) {
  PlannedDrill p;
  p.drill_id = d.id;
  p.reps = d.dose.reps;
  p.work_s = d.dose.work_s;
  p.rest_s = d.dose.rest_s;
  const int set_seconds = std::max(1, d.dose.reps) * d.dose.work_s + d.dose.rest_s;
  const int wanted = std::max(1, static_cast<int>(std::lround(d.dose.sets * factor)));
  const int fitting = std::max(1, max_minutes * 60 / set_seconds);
  p.sets = std::min(wanted, fitting);
  p.minutes = (p.sets * set_seconds + 59) / 60;
  return p;
}

// The drills to try for a session, in order: the main indicator's at the session's load (a hard
// session starts with its hard drill), the main indicator's lighter ones (a session trains the
// focus it shows first), the other focus indicators', then any indicator's — never above the
// session's load.
std::vector<const Drill*> Candidates(Indicator main, const std::vector<Focus>& focus, Load load,
                                     const Program& p) {
  std::vector<const Drill*> out;
  auto add = [&](Indicator indicator, std::optional<Load> exact) {
    for (const Drill* d : DrillsFor(indicator, p.level, p.profile, p.request.equipment)) {
      if (d->load > load || (exact && d->load != *exact)) continue;
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    }
  };
  add(main, load);
  add(main, std::nullopt);
  for (const Focus& f : focus) {
    if (f.indicator != main) add(f.indicator, std::nullopt);
  }
  for (Indicator i : domain::kIndicators) add(i, std::nullopt);
  return out;
}

Session BuildSession(Date date, Load intensity, Indicator main, const std::vector<Focus>& focus,
                     double factor, double factor_of_week, const Program& p) {
  Session s;
  s.date = date;
  s.intensity = intensity;
  s.focus = main;
  const int minutes = p.request.session_minutes;
  s.warm_up_minutes = std::clamp(minutes / 4, kMinWarmUpMinutes, kWarmUpMinutes);
  s.cool_down_minutes = std::clamp(minutes / 6, kMinCoolDownMinutes, kCoolDownMinutes);
  int budget = minutes - s.warm_up_minutes - s.cool_down_minutes;
  // A lighter week's sessions are shorter too (its factor is below 1), not only easier.
  if (factor_of_week < 1.0) budget = static_cast<int>(budget * factor_of_week);
  for (const Drill* d : Candidates(main, focus, intensity, p)) {
    if (s.drills.size() == static_cast<std::size_t>(kMaxDrillsPerSession)) break;
    // One hard drill per session at most; the rest of a hard session is lighter work.
    if (d->load == Load::kHard &&
        std::any_of(s.drills.begin(), s.drills.end(), [](const PlannedDrill& x) {
          return FindDrill(x.drill_id)->load == Load::kHard;
        })) {
      continue;
    }
    const int set_seconds = std::max(1, d->dose.reps) * d->dose.work_s + d->dose.rest_s;
    if (set_seconds > budget * 60) continue;  // not even one set fits
    const PlannedDrill planned = Plan(*d, factor, budget);
    budget -= planned.minutes;
    s.drills.push_back(planned);
  }
  int drills = 0;
  for (const PlannedDrill& d : s.drills) drills += d.minutes;
  s.minutes = s.warm_up_minutes + drills + s.cool_down_minutes;
  return s;
}

// Builds week `index` starting on `start`; `hard_before` is whether the day before `start` held
// a hard session. The sessions of `kept` dated on or before `keep_until` are kept as they are
// (and counted for the hard-day rules).
Week BuildWeek(int index, Date start, bool hard_before, const std::vector<Focus>& focus,
               const Program& p, const Week* kept = nullptr, Date keep_until = Date{}) {
  Week w;
  w.index = index;
  w.start = start;
  w.lighter = IsLighter(index);
  w.load_factor = LoadFactor(index);
  const int n = p.request.sessions_per_week;
  const int max_hard = w.lighter ? 0 : std::min(MaxHardPerWeek(p.level), (n + 1) / 2);
  int hard = 0;
  std::optional<int> previous_day;
  bool previous_hard = false;
  const double factor = LevelFactor(p.level) * w.load_factor;
  for (int k = 0; k < n; ++k) {
    const int day = kSessionDays[n][k];
    const bool hard_yesterday =
        previous_day ? (previous_hard && *previous_day == day - 1) : (hard_before && day == 0);
    Load load = Load::kModerate;
    if (hard_yesterday) {
      load = Load::kLight;
    } else if (hard < max_hard) {
      load = Load::kHard;
    } else if (w.lighter && k % 2 == 1) {
      load = Load::kLight;
    }
    Session s;
    if (kept != nullptr && static_cast<std::size_t>(k) < kept->sessions.size() &&
        kept->sessions[k].date <= keep_until) {
      s = kept->sessions[k];
    } else {
      const Indicator main = focus[static_cast<std::size_t>(k) % focus.size()].indicator;
      s = BuildSession(start + days(day), load, main, focus, factor, w.load_factor, p);
      // The session is as hard as its hardest drill (a hard day without a hard drill suited to
      // the climber is moderate).
      Load actual = Load::kLight;
      for (const PlannedDrill& d : s.drills) actual = std::max(actual, FindDrill(d.drill_id)->load);
      s.intensity = std::min(load, actual);
    }
    hard += s.intensity == Load::kHard ? 1 : 0;
    previous_day = day;
    previous_hard = s.intensity == Load::kHard;
    w.sessions.push_back(std::move(s));
  }
  return w;
}

bool EndsHard(const Week& w) {
  return !w.sessions.empty() && w.sessions.back().intensity == Load::kHard &&
         w.sessions.back().date == w.start + days(6);
}

// Rebuilds the sessions of weeks [from, end) with `focus`, keeping their dates and indices.
void Rebuild(Program& p, std::size_t from, const std::vector<Focus>& focus) {
  for (std::size_t w = from; w < p.weeks.size(); ++w) {
    const bool hard_before =
        w > 0 && EndsHard(p.weeks[w - 1]) && p.weeks[w - 1].start + days(7) == p.weeks[w].start;
    p.weeks[w] = BuildWeek(p.weeks[w].index, p.weeks[w].start, hard_before, focus, p);
  }
}

}  // namespace

std::string FormatDate(Date date) {
  const std::chrono::year_month_day ymd{date};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (std::size_t c = starts[k]; c < starts[k] + lengths[k]; ++c) {
      if (text[c] < '0' || text[c] > '9') return std::nullopt;
      parts[k] = parts[k] * 10 + (text[c] - '0');
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year(parts[0]),
                                        std::chrono::month(static_cast<unsigned>(parts[1])),
                                        std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!ymd.ok() || parts[0] < 1970) return std::nullopt;
  return Date(ymd);
}

std::optional<domain::FieldError> ValidateRequest(const ProgramRequest& r) {
  if (r.sessions_per_week < kMinSessionsPerWeek || r.sessions_per_week > kMaxSessionsPerWeek) {
    return domain::FieldError{"sessions_per_week", "sessions_per_week must be between 1 and 7"};
  }
  if (r.session_minutes < kMinSessionMinutes || r.session_minutes > kMaxSessionMinutes) {
    return domain::FieldError{"session_minutes", "session_minutes must be between 30 and 240"};
  }
  if (r.target_date && *r.target_date < r.start + days(6)) {
    return domain::FieldError{"target_date", "target_date must be at least a week after the start"};
  }
  if (r.target_date && *r.target_date > r.start + days(7 * kMaxWeeks - 1)) {
    return domain::FieldError{"target_date", "target_date must be within a year of the start"};
  }
  for (std::size_t i = 0; i < r.equipment.size(); ++i) {
    for (std::size_t j = i + 1; j < r.equipment.size(); ++j) {
      if (r.equipment[i] == r.equipment[j]) {
        return domain::FieldError{"equipment", "equipment lists the same item twice"};
      }
    }
  }
  return std::nullopt;
}

Result<Program> GeneratePlan(const ProgramRequest& request, const domain::ClimberProfile& profile,
                             std::span<const IndicatorSample> history) {
  if (const auto e = ValidateRequest(request)) return InvalidArgument(e->field + ": " + e->message);
  if (const auto e = domain::ValidateProfile(profile)) {
    return InvalidArgument(e->field + ": " + e->message);
  }
  Program p;
  p.request = request;
  if (p.request.equipment.empty()) p.request.equipment = {Equipment::kGym};
  p.profile = profile;
  p.level = LevelOf(profile);
  bool any = false;
  for (const Drill& d : Catalogue()) {
    any |= SuitsLevel(d, p.level) && Suits(d, profile) && Available(d, p.request.equipment);
  }
  if (!any) {
    return InvalidArgument(
        "equipment: no drill of the catalogue suits this climber with this "
        "equipment");
  }
  p.focus = ChooseFocus(Window(history, request.start, std::nullopt), p.level);
  const int weeks = WeekCount(request, profile);
  for (int w = 1; w <= weeks; ++w) {
    const bool hard_before = !p.weeks.empty() && EndsHard(p.weeks.back());
    p.weeks.push_back(BuildWeek(w, request.start + days(7 * (w - 1)), hard_before, p.focus, p));
  }
  return p;
}

Program Adapt(const Program& program, std::span<const DoneSession> journal,
              std::span<const IndicatorSample> history, Date today) {
  Program p = program;

  // Missed week: ended before today, nothing logged within it.
  for (std::size_t w = 0; w < p.weeks.size(); ++w) {
    const Date start = p.weeks[w].start, end = start + days(7);
    if (end > today) break;
    const bool done = std::any_of(journal.begin(), journal.end(), [&](const DoneSession& s) {
      return s.date >= start && s.date < end;
    });
    if (done) continue;
    // The first week boundary (start + 7k) on or after today.
    const int k = static_cast<int>(((today - start).count() + 6) / 7);
    const days shift(7 * k);
    for (std::size_t v = w; v < p.weeks.size(); ++v) {
      p.weeks[v].start += shift;
      for (Session& s : p.weeks[v].sessions) s.date += shift;
    }
    std::size_t dropped = 0;
    if (p.request.target_date) {
      while (p.weeks.size() > w + 1 && p.weeks.back().start > *p.request.target_date) {
        p.weeks.pop_back();
        ++dropped;
      }
    }
    Change c{today, {}};
    const std::string n = std::to_string(p.weeks[w].index), from = FormatDate(start),
                      again = FormatDate(p.weeks[w].start), by = std::to_string(k);
    c.reason.en = "Week " + n + " (from " + from + ") was missed: it starts again on " + again +
                  " and the following weeks move by " + by + (k == 1 ? " week" : " weeks");
    c.reason.fr =
        "La semaine " + n + " (à partir du " + from + ") a été manquée : elle reprend le " + again +
        " et les semaines suivantes sont décalées de " + by + (k == 1 ? " semaine" : " semaines");
    if (dropped > 0) {
      c.reason.en += "; " + std::to_string(dropped) + " week(s) past the target date are dropped";
      c.reason.fr += " ; " + std::to_string(dropped) +
                     " semaine(s) après la date visée sont "
                     "retirées";
    }
    c.reason.en += ".";
    c.reason.fr += ".";
    p.changes.push_back(std::move(c));
    // A rescheduled week may now follow a hard day of the week before it.
    Rebuild(p, w, p.focus);
    break;
  }

  // Improved focus: the analyses since the start, over the window before today.
  const auto recent = Window(history, today, p.request.start);
  const auto means = Means(recent);
  const Focus* improved = nullptr;
  double improved_to = 0;
  for (const Focus& f : p.focus) {
    const auto now = means[static_cast<int>(f.indicator)].value();
    if (f.average && now && *now - *f.average >= kImprovedBy) {
      improved = &f;
      improved_to = *now;
      break;
    }
  }
  // Without any analysis at the start, the focus was the level's foundations: the first
  // analyses since then pick the weakest indicators instead.
  const bool foundations = std::none_of(p.focus.begin(), p.focus.end(),
                                        [](const Focus& f) { return f.average.has_value(); });
  if (improved == nullptr && !(foundations && !recent.empty())) return p;

  std::vector<Focus> focus = ChooseFocus(Window(history, today, std::nullopt), p.level);
  const bool same =
      focus.size() == p.focus.size() &&
      std::equal(focus.begin(), focus.end(), p.focus.begin(),
                 [](const Focus& a, const Focus& b) { return a.indicator == b.indicator; });
  if (improved == nullptr && same) return p;
  std::string en_list, fr_list;
  for (std::size_t i = 0; i < focus.size(); ++i) {
    const std::string score = focus[i].average ? " (" + Score(*focus[i].average) + "/100)" : "";
    en_list += (i == 0 ? "" : " and ") + std::string(NameEn(focus[i].indicator)) + score;
    fr_list += (i == 0 ? "" : " et ") + std::string(NameFr(focus[i].indicator)) + score;
  }
  const std::string since = FormatDate(p.request.start);
  Change c{today, {}};
  if (improved == nullptr) {
    c.reason.en = "Your analyses since " + since +
                  " show your weakest indicators: the next "
                  "sessions now train " +
                  en_list + ".";
    c.reason.fr = "Vos analyses depuis le " + since +
                  " montrent vos points les plus faibles : "
                  "les prochaines séances travaillent maintenant " +
                  fr_list + ".";
  } else {
    const Indicator was = improved->indicator;
    const std::string from = Score(*improved->average), to = Score(improved_to),
                      gain = Score(improved_to - *improved->average);
    c.reason.en = Capitalised(NameEn(was)) + " rose from " + from + " to " + to + " (+" + gain +
                  ") in your analyses since " + since + ": ";
    c.reason.fr = CapitalisedFr(NameFr(was)) +
                  (Masculine(was) ? " est passé de " : " est passée de ") + from + " à " + to +
                  " (+" + gain + ") dans vos analyses depuis le " + since + " : ";
    if (same) {
      c.reason.en +=
          "it is still among your weakest, so the next sessions keep training " + en_list + ".";
      c.reason.fr += std::string(Masculine(was) ? "il" : "elle") +
                     " reste parmi vos points faibles, les prochaines séances continuent de "
                     "travailler " +
                     fr_list + ".";
    } else {
      c.reason.en += "the next sessions now train " + en_list + ", your weakest now.";
      c.reason.fr += "les prochaines séances travaillent maintenant " + fr_list +
                     ", vos points les plus faibles aujourd'hui.";
    }
  }
  p.changes.push_back(std::move(c));
  p.focus = std::move(focus);
  // The sessions after today follow the new focus; today's and earlier ones stay.
  for (std::size_t w = 0; w < p.weeks.size(); ++w) {
    if (p.weeks[w].start + days(7) <= today) continue;
    const bool hard_before =
        w > 0 && EndsHard(p.weeks[w - 1]) && p.weeks[w - 1].start + days(7) == p.weeks[w].start;
    const Week current = p.weeks[w];
    p.weeks[w] = BuildWeek(current.index, current.start, hard_before, p.focus, p, &current, today);
  }
  return p;
}

}  // namespace ascension::training
