#include "training/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "coaching/advice.hpp"
#include "coaching/biomechanics.hpp"
#include "coaching/synthetic_climber.hpp"

namespace ascension::training {
namespace {

using domain::BodyLimb;
using domain::ClimbingLevel;
using domain::Indicator;
using std::chrono::days;

Date D(const char* text) {
  return *ParseDate(text);
}

ProgramRequest Request(int sessions, int minutes = 90) {
  ProgramRequest r;
  r.sessions_per_week = sessions;
  r.session_minutes = minutes;
  r.start = D("2026-12-07");
  return r;
}

domain::ClimberProfile AtLevel(domain::GradeSystem system, const char* grade) {
  domain::ClimberProfile p;
  p.level = domain::Grade::Parse(system, grade);
  return p;
}

IndicatorSample Sample(const char* date, std::initializer_list<std::pair<Indicator, double>> v) {
  IndicatorSample s;
  s.date = D(date);
  for (const auto& [i, value] : v) s.values.Set(i, value);
  return s;
}

// An analysis of a synthetic climber, on `date`.
IndicatorSample Analysed(const domain::PoseSequence& poses, const char* date) {
  return {D(date), coaching::Analyze(poses).summary.scores.indicators};
}

std::set<std::string_view> DrillIds(const Program& p) {
  std::set<std::string_view> ids;
  for (const Week& w : p.weeks) {
    for (const Session& s : w.sessions) {
      for (const PlannedDrill& d : s.drills) ids.insert(d.drill_id);
    }
  }
  return ids;
}

// The week's training load: minutes of drills weighted by their load (light 1, moderate 2,
// hard 3).
int Volume(const Week& w) {
  int load = 0;
  for (const Session& s : w.sessions) {
    for (const PlannedDrill& d : s.drills) {
      load += d.minutes * (1 + static_cast<int>(FindDrill(d.drill_id)->load));
    }
  }
  return load;
}

// The rules every program keeps (docs/training.md, "Plan rules").
void ExpectInvariants(const Program& p, const std::string& what) {
  const ProgramRequest& r = p.request;
  ASSERT_FALSE(p.weeks.empty()) << what;
  std::optional<Date> last_hard;
  int normal_run = 0;
  for (std::size_t w = 0; w < p.weeks.size(); ++w) {
    const Week& week = p.weeks[w];
    EXPECT_EQ(week.index, static_cast<int>(w) + 1) << what;
    EXPECT_EQ(static_cast<int>(week.sessions.size()), r.sessions_per_week) << what << " week " << w;
    normal_run = week.lighter ? 0 : normal_run + 1;
    EXPECT_LE(normal_run, kLighterWeekEvery - 1) << what << ": no lighter week in 4";
    std::optional<Date> previous;
    for (const Session& s : week.sessions) {
      EXPECT_GE(s.date, week.start) << what;
      EXPECT_LT(s.date, week.start + days(7)) << what;
      if (previous) {
        EXPECT_GT(s.date, *previous) << what << ": one session a day";
      }
      previous = s.date;
      EXPECT_LE(s.minutes, r.session_minutes) << what;
      EXPECT_FALSE(s.drills.empty()) << what << " " << FormatDate(s.date);
      if (s.intensity == Load::kHard) {
        EXPECT_FALSE(week.lighter) << what << ": a hard day in a lighter week";
        if (last_hard) {
          EXPECT_NE(*last_hard + days(1), s.date)
              << what << ": two hard days in a row on " << FormatDate(s.date);
        }
        last_hard = s.date;
      }
      int hard_drills = 0;
      for (const PlannedDrill& d : s.drills) {
        const Drill* drill = FindDrill(d.drill_id);
        ASSERT_NE(drill, nullptr) << d.drill_id;
        EXPECT_TRUE(SuitsLevel(*drill, p.level)) << what << " " << d.drill_id;
        EXPECT_TRUE(Suits(*drill, p.profile)) << what << " " << d.drill_id;
        EXPECT_TRUE(Available(*drill, r.equipment)) << what << " " << d.drill_id;
        EXPECT_LE(drill->load, s.intensity) << what << " " << d.drill_id;
        hard_drills += drill->load == Load::kHard ? 1 : 0;
        EXPECT_GE(d.sets, 1);
      }
      EXPECT_LE(hard_drills, 1) << what;
      // A session trains what it says it trains: when it holds a drill of its focus, that
      // indicator's drills come first (docs/training.md, rule 7).
      const bool trains_focus = std::any_of(
          s.drills.begin(), s.drills.end(),
          [&](const PlannedDrill& d) { return FindDrill(d.drill_id)->indicator == s.focus; });
      if (trains_focus) {
        EXPECT_EQ(FindDrill(s.drills.front().drill_id)->indicator, s.focus)
            << what << " " << FormatDate(s.date) << ": " << s.drills.front().drill_id << " first";
      }
    }
    if (week.lighter && w > 0) {
      EXPECT_LT(Volume(week), Volume(p.weeks[w - 1])) << what;
    }
  }
}

TEST(Plan, InvariantsHoldForEveryRequestShape) {
  const std::vector<std::pair<domain::GradeSystem, const char*>> levels = {
      {domain::GradeSystem::kFontainebleau, "5"},
      {domain::GradeSystem::kFrenchSport, "6b"},
      {domain::GradeSystem::kVScale, "V7"},
      {domain::GradeSystem::kYds, "5.13d"}};
  const std::vector<std::vector<Equipment>> kits = {
      {},
      {Equipment::kHome},
      {Equipment::kHangboard, Equipment::kHome},
      {Equipment::kGym, Equipment::kBoard, Equipment::kHangboard},
      {Equipment::kOutdoor}};
  for (const auto& [system, grade] : levels) {
    for (int sessions = kMinSessionsPerWeek; sessions <= kMaxSessionsPerWeek; ++sessions) {
      for (int minutes : {30, 60, 90, 240}) {
        for (const auto& kit : kits) {
          ProgramRequest r = Request(sessions, minutes);
          r.equipment = kit;
          r.target_date = r.start + days(7 * 12 + 3);
          const auto p = GeneratePlan(r, AtLevel(system, grade), {});
          const std::string what = std::string(grade) + " " + std::to_string(sessions) + "x" +
                                   std::to_string(minutes) + " kit " + std::to_string(kit.size());
          ASSERT_TRUE(p.ok()) << what << ": " << p.status().ToString();
          EXPECT_EQ(p->weeks.size(), 13u) << what;
          ExpectInvariants(*p, what);
        }
      }
    }
  }
}

TEST(Plan, LoadGrowsWithinABlockAndDropsInTheLighterWeek) {
  const auto p = GeneratePlan(Request(4), AtLevel(domain::GradeSystem::kFrenchSport, "7a"), {});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->weeks.size(), 8u);
  EXPECT_FALSE(p->weeks[0].lighter);
  EXPECT_TRUE(p->weeks[3].lighter);
  EXPECT_TRUE(p->weeks[7].lighter);
  EXPECT_LT(p->weeks[0].load_factor, p->weeks[1].load_factor);
  EXPECT_LT(p->weeks[1].load_factor, p->weeks[2].load_factor);
  EXPECT_LE(Volume(p->weeks[0]), Volume(p->weeks[2]));
  EXPECT_LT(Volume(p->weeks[3]), Volume(p->weeks[2]));
  for (const Session& s : p->weeks[3].sessions) EXPECT_NE(s.intensity, Load::kHard);
}

TEST(Plan, LengthFollowsTheTargetDateOrTheGradeGap) {
  const auto profile = AtLevel(domain::GradeSystem::kFontainebleau, "6A");
  ProgramRequest r = Request(3);
  EXPECT_EQ(GeneratePlan(r, profile, {})->weeks.size(), 8u);  // no goal: 8 weeks
  r.goal_grade = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, "6B");
  EXPECT_EQ(GeneratePlan(r, profile, {})->weeks.size(), 8u);  // two grades: 4 weeks each
  r.goal_grade = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, "8A");
  EXPECT_EQ(GeneratePlan(r, profile, {})->weeks.size(), 16u);  // capped
  r.target_date = D("2026-12-27");                             // the third week's last day
  EXPECT_EQ(GeneratePlan(r, profile, {})->weeks.size(), 3u);
}

TEST(Plan, RequestsAreValidatedByField) {
  const domain::ClimberProfile profile;
  auto field = [&](const ProgramRequest& r) {
    const auto e = ValidateRequest(r);
    return e ? e->field : std::string();
  };
  ProgramRequest r = Request(3);
  EXPECT_EQ(field(r), "");
  r.sessions_per_week = 0;
  EXPECT_EQ(field(r), "sessions_per_week");
  r.sessions_per_week = 8;
  EXPECT_EQ(field(r), "sessions_per_week");
  r = Request(3, 29);
  EXPECT_EQ(field(r), "session_minutes");
  r = Request(3, 241);
  EXPECT_EQ(field(r), "session_minutes");
  r = Request(3);
  r.target_date = r.start + days(3);
  EXPECT_EQ(field(r), "target_date");
  r.target_date = r.start + days(400);
  EXPECT_EQ(field(r), "target_date");
  r = Request(3);
  r.equipment = {Equipment::kGym, Equipment::kGym};
  EXPECT_EQ(field(r), "equipment");
  const auto refused = GeneratePlan(r, profile, {});
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message().rfind("equipment:", 0), 0u) << refused.status().message();
  domain::ClimberProfile tall;
  tall.height_cm = 260;
  EXPECT_EQ(GeneratePlan(Request(3), tall, {}).status().message().rfind("height_cm:", 0), 0u);
  // A climber without arms who only has a hangboard still gets the drills done anywhere.
  domain::ClimberProfile armless;
  armless.limbs[0] = armless.limbs[1] = domain::LimbCondition::kAbsent;
  r = Request(3);
  r.equipment = {Equipment::kHangboard};
  const auto home = GeneratePlan(r, armless, {});
  ASSERT_TRUE(home.ok());
  for (std::string_view id : DrillIds(*home)) {
    EXPECT_TRUE(FindDrill(id)->equipment[static_cast<int>(Equipment::kHome)]) << id;
  }
}

TEST(Plan, Dates) {
  EXPECT_EQ(FormatDate(D("2026-02-28") + days(1)), "2026-03-01");
  EXPECT_EQ(FormatDate(D("2028-02-28") + days(1)), "2028-02-29");
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01",
                          "2026-01-01T00:00", "", "1969-12-31", "２０２６-01-01"}) {
    EXPECT_FALSE(ParseDate(bad)) << bad;
  }
}

// The synthetic climbers' known weaknesses pick the focus and the drills.
TEST(Plan, SyntheticClimbersGetDrillsForTheirWeakness) {
  const domain::ClimberProfile intermediate = AtLevel(domain::GradeSystem::kFrenchSport, "6b");
  struct Case {
    const char* name;
    domain::PoseSequence poses;
    Indicator weakest;
    std::string_view drill;
  };
  const std::vector<Case> cases = {
      {"bent_arms", coaching::testing::BentArmAscent(), Indicator::kTechnique,
       "straight_arm_traverse"},
      {"hips_far", coaching::testing::HipsFarAscent(), Indicator::kTechnique,
       "straight_arm_traverse"},
      {"jerky", coaching::testing::JerkyAscent(), Indicator::kFluidity, "slow_motion_climbing"},
      {"long_pause", coaching::testing::LongPauseAscent(), Indicator::kTechnique,
       "straight_arm_traverse"},
      {"offset_feet", coaching::testing::OffsetFeetAscent(), Indicator::kStability, "feet_first"}};
  for (const Case& c : cases) {
    const std::vector<IndicatorSample> history = {Analysed(c.poses, "2026-12-01"),
                                                  Analysed(c.poses, "2026-12-03")};
    const auto p = GeneratePlan(Request(3), intermediate, history);
    ASSERT_TRUE(p.ok()) << c.name;
    ASSERT_FALSE(p->focus.empty());
    EXPECT_EQ(p->focus.front().indicator, c.weakest)
        << c.name << ": " << p->focus.front().reason.en;
    EXPECT_EQ(p->focus.front().samples, 2) << c.name;
    EXPECT_TRUE(DrillIds(*p).count(c.drill)) << c.name;
    // Week 1's first session trains the weakest indicator, and most drills train a focus.
    EXPECT_EQ(p->weeks[0].sessions[0].focus, c.weakest) << c.name;
    int focused = 0, all = 0;
    for (const Week& w : p->weeks) {
      for (const Session& s : w.sessions) {
        for (const PlannedDrill& d : s.drills) {
          const Indicator i = FindDrill(d.drill_id)->indicator;
          focused += i == p->focus[0].indicator || i == p->focus[1].indicator ? 1 : 0;
          ++all;
        }
      }
    }
    EXPECT_GT(focused * 3, all * 2) << c.name;
    EXPECT_NE(p->focus.front().reason.fr.find("/100"), std::string::npos);
    EXPECT_NE(p->focus.front().reason.fr.find("fait partie de vos indicateurs"), std::string::npos)
        << p->focus.front().reason.fr;
    ExpectInvariants(*p, c.name);
  }
}

TEST(Plan, HistoryOutsideTheWindowCountsOnlyWithoutRecentAnalyses) {
  const std::vector<IndicatorSample> old = {
      Sample("2026-09-01", {{Indicator::kPace, 20}, {Indicator::kTechnique, 80}})};
  const std::vector<IndicatorSample> both = {
      old[0], Sample("2026-12-01", {{Indicator::kPace, 90}, {Indicator::kTechnique, 30}})};
  EXPECT_EQ(GeneratePlan(Request(3), {}, old)->focus.front().indicator, Indicator::kPace);
  EXPECT_EQ(GeneratePlan(Request(3), {}, both)->focus.front().indicator, Indicator::kTechnique);
  // After the start: ignored.
  const std::vector<IndicatorSample> later = {Sample("2026-12-20", {{Indicator::kStability, 5}})};
  EXPECT_EQ(GeneratePlan(Request(3), {}, later)->focus.front().samples, 0);
}

TEST(Plan, WithoutAnyAnalysisTheLevelsFoundationsAreTrained) {
  const auto beginner = GeneratePlan(Request(3), AtLevel(domain::GradeSystem::kVScale, "V1"), {});
  const auto advanced = GeneratePlan(Request(3), AtLevel(domain::GradeSystem::kVScale, "V7"), {});
  ASSERT_TRUE(beginner.ok() && advanced.ok());
  EXPECT_EQ(beginner->focus[0].indicator, Indicator::kTechnique);
  EXPECT_EQ(advanced->focus[0].indicator, Indicator::kEfficiency);
  EXPECT_FALSE(beginner->focus[0].average.has_value());
  EXPECT_NE(DrillIds(*beginner), DrillIds(*advanced));
  EXPECT_TRUE(DrillIds(*beginner).count("frog_position"));
  EXPECT_FALSE(DrillIds(*advanced).count("frog_position"));
}

// No program and no advice asks for an injured or absent limb.
TEST(Plan, InjuredOrAbsentLimbsAreNeverAskedFor) {
  for (BodyLimb limb : domain::kBodyLimbs) {
    for (auto condition : {domain::LimbCondition::kInjured, domain::LimbCondition::kAbsent}) {
      for (const char* grade : {"5", "6B", "7C"}) {
        domain::ClimberProfile p = AtLevel(domain::GradeSystem::kFontainebleau, grade);
        p.limbs[static_cast<int>(limb)] = condition;
        const std::string what = std::string(domain::BodyLimbName(limb)) + " " +
                                 std::string(domain::LimbConditionName(condition)) + " " + grade;
        for (const auto& scenario : coaching::testing::AllScenarios()) {
          const coaching::Biomechanics bio = coaching::Analyze(scenario.poses, p);
          for (const coaching::Advice& a : coaching::Advise(bio, "fr")) {
            for (BodyLimb asked : a.limbs) {
              EXPECT_NE(asked, limb) << what << ": " << scenario.name << " advises " << a.id;
            }
            if (a.kind == coaching::AdviceKind::kDrill) {
              const Drill* d = FindDrill(a.id.substr(std::string("drill_").size()));
              ASSERT_NE(d, nullptr) << a.id;
              EXPECT_TRUE(Suits(*d, p)) << what << ": " << a.id;
            }
          }
          const std::vector<IndicatorSample> history = {
              {D("2026-12-01"), bio.summary.scores.indicators}};
          ProgramRequest r = Request(5);
          r.equipment = {Equipment::kGym, Equipment::kHangboard, Equipment::kBoard};
          const auto program = GeneratePlan(r, p, history);
          ASSERT_TRUE(program.ok()) << what;
          for (std::string_view id : DrillIds(*program)) {
            EXPECT_FALSE(FindDrill(id)->asks_for[static_cast<int>(limb)]) << what << ": " << id;
          }
          ExpectInvariants(*program, what);
        }
      }
    }
  }
}

TEST(Plan, AMissedWeekIsRescheduled) {
  const auto p = GeneratePlan(Request(3), {}, {});
  ASSERT_TRUE(p.ok());
  // Week 1 done (one session logged), week 2 (from 2026-12-14) nothing; today is 2026-12-23.
  const std::vector<DoneSession> journal = {{D("2026-12-09"), {"flow_laps"}, 6, ""}};
  const Program adapted = Adapt(*p, journal, {}, D("2026-12-23"));
  ASSERT_EQ(adapted.changes.size(), 1u);
  EXPECT_EQ(adapted.weeks[0].start, p->weeks[0].start);
  EXPECT_EQ(adapted.weeks[1].start, D("2026-12-28"));  // the first week boundary after today
  EXPECT_EQ(adapted.weeks[1].index, 2);
  EXPECT_EQ(adapted.weeks.size(), p->weeks.size());
  EXPECT_EQ(adapted.weeks.back().start, p->weeks.back().start + days(14));
  const Reason& why = adapted.changes[0].reason;
  EXPECT_NE(why.en.find("Week 2 (from 2026-12-14) was missed"), std::string::npos) << why.en;
  EXPECT_NE(why.en.find("2026-12-28"), std::string::npos) << why.en;
  EXPECT_NE(why.fr.find("La semaine 2"), std::string::npos) << why.fr;
  ExpectInvariants(adapted, "rescheduled");
  // Nothing missed: nothing changes.
  const std::vector<DoneSession> every_week = {{D("2026-12-09"), {}, 5, ""},
                                               {D("2026-12-15"), {}, 5, ""}};
  const Program same = Adapt(*p, every_week, {}, D("2026-12-23"));
  EXPECT_TRUE(same.changes.empty());
  EXPECT_EQ(same.weeks[1].start, p->weeks[1].start);
  // With a target date, weeks pushed past it are dropped, never the missed one.
  ProgramRequest r = Request(3);
  r.target_date = D("2027-01-10");  // five weeks
  const auto dated = GeneratePlan(r, {}, {});
  ASSERT_TRUE(dated.ok());
  ASSERT_EQ(dated->weeks.size(), 5u);
  const Program cut = Adapt(*dated, journal, {}, D("2026-12-23"));
  // Weeks 2–5 move by two weeks; weeks 4 and 5 then start after the target date's week.
  EXPECT_EQ(cut.weeks.size(), 3u);
  EXPECT_NE(cut.changes[0].reason.en.find("past the target date"), std::string::npos);
}

// An improving history shifts the plan's focus, and says what changed and why.
TEST(Plan, AnImprovedIndicatorShiftsTheFocus) {
  const domain::ClimberProfile profile = AtLevel(domain::GradeSystem::kFrenchSport, "6b");
  // Before the program: the bent-arm climber (technique weakest).
  const std::vector<IndicatorSample> before = {
      Analysed(coaching::testing::BentArmAscent(), "2026-12-01"),
      Analysed(coaching::testing::BentArmAscent(), "2026-12-04")};
  const auto p = GeneratePlan(Request(3), profile, before);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->focus.front().indicator, Indicator::kTechnique);
  // Two weeks later the same climber climbs on straight arms but jerkily.
  std::vector<IndicatorSample> history = before;
  history.push_back(Analysed(coaching::testing::JerkyAscent(), "2026-12-15"));
  history.push_back(Analysed(coaching::testing::JerkyAscent(), "2026-12-18"));
  const std::vector<DoneSession> journal = {{D("2026-12-08"), {}, 6, ""},
                                            {D("2026-12-15"), {}, 7, ""}};
  const Date today = D("2026-12-19");
  const Program adapted = Adapt(*p, journal, history, today);
  ASSERT_EQ(adapted.changes.size(), 1u);
  EXPECT_EQ(adapted.focus.front().indicator, Indicator::kFluidity);
  const Reason& why = adapted.changes[0].reason;
  EXPECT_NE(why.en.find("Technique rose from"), std::string::npos) << why.en;
  EXPECT_NE(why.en.find("now train fluidity"), std::string::npos) << why.en;
  EXPECT_NE(why.fr.find("La technique est passée de"), std::string::npos) << why.fr;
  EXPECT_NE(why.fr.find("dans vos analyses depuis le"), std::string::npos) << why.fr;  // "vous"
  EXPECT_NE(why.fr.find("la fluidité"), std::string::npos) << why.fr;
  // Past sessions stay; the sessions after today follow the new focus.
  for (std::size_t w = 0; w < adapted.weeks.size(); ++w) {
    for (std::size_t s = 0; s < adapted.weeks[w].sessions.size(); ++s) {
      const Session& now = adapted.weeks[w].sessions[s];
      const Session& was = p->weeks[w].sessions[s];
      if (now.date <= today) {
        EXPECT_EQ(now.focus, was.focus);
        EXPECT_EQ(now.drills.size(), was.drills.size());
      } else if (s == 0) {
        EXPECT_EQ(now.focus, Indicator::kFluidity) << FormatDate(now.date);
      }
    }
  }
  ExpectInvariants(adapted, "refocused");
  // Without an improvement, nothing changes.
  std::vector<IndicatorSample> flat = before;
  flat.push_back(Analysed(coaching::testing::BentArmAscent(), "2026-12-15"));
  EXPECT_TRUE(Adapt(*p, journal, flat, today).changes.empty());
}

TEST(Plan, TheFirstAnalysesReplaceTheFoundations) {
  const auto p = GeneratePlan(Request(3), AtLevel(domain::GradeSystem::kVScale, "V4"), {});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->focus[0].indicator, Indicator::kTechnique);  // intermediate foundations
  const std::vector<IndicatorSample> history = {
      Analysed(coaching::testing::JerkyAscent(), "2026-12-09")};
  const std::vector<DoneSession> journal = {{D("2026-12-08"), {}, 5, ""}};
  const Program adapted = Adapt(*p, journal, history, D("2026-12-10"));
  ASSERT_EQ(adapted.changes.size(), 1u);
  EXPECT_EQ(adapted.focus[0].indicator, Indicator::kFluidity);
  EXPECT_NE(adapted.changes[0].reason.en.find("Your analyses since 2026-12-07"), std::string::npos)
      << adapted.changes[0].reason.en;
  EXPECT_NE(adapted.changes[0].reason.fr.find("la fluidité"), std::string::npos);
  ExpectInvariants(adapted, "first analyses");
  // Adapting again with nothing new changes nothing.
  EXPECT_EQ(Adapt(adapted, journal, history, D("2026-12-11")).changes.size(), 1u);
}

TEST(Plan, SameInputsSamePlan) {
  const std::vector<IndicatorSample> h = {Sample("2026-12-01", {{Indicator::kPace, 30}})};
  const auto a = GeneratePlan(Request(4), {}, h);
  const auto b = GeneratePlan(Request(4), {}, h);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->weeks.size(), b->weeks.size());
  for (std::size_t w = 0; w < a->weeks.size(); ++w) {
    for (std::size_t s = 0; s < a->weeks[w].sessions.size(); ++s) {
      EXPECT_EQ(a->weeks[w].sessions[s].date, b->weeks[w].sessions[s].date);
      EXPECT_EQ(a->weeks[w].sessions[s].drills.size(), b->weeks[w].sessions[s].drills.size());
    }
  }
}

}  // namespace
}  // namespace ascension::training
