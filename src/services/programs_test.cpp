// Programs over in-memory fakes: requests validated by field, the plan built from the caller's
// own analyses and profile, adaptation stored once (missed weeks, an improved indicator), the
// journal's validation, ownership, erasure and outages.
#include "services/programs.hpp"

#include <gtest/gtest.h>

#include "services/accounts.hpp"
#include "services/testing/training_fakes.hpp"
#include "training/drills.hpp"

namespace ascension::services {
namespace {

using domain::BodyLimb;
using domain::Indicator;
using std::chrono::days;

class ProgramsTest : public ::testing::Test {
 protected:
  ProgramsTest() {
    clock_.Set(At("2026-12-07"));  // a Monday
    db_.clock = &clock_;
    for (const Principal* p : {&me_, &you_}) {
      domain::User u;
      u.id = p->user_id;
      u.username = p == &me_ ? "me" : "you";
      u.email = u.username + "@example.com";
      db_.users[u.id] = u;
    }
  }
  static domain::Time At(const char* day) {
    return std::chrono::sys_days(*training::ParseDate(day)) + std::chrono::hours(9);
  }
  void Analysed(const char* day, std::initializer_list<std::pair<Indicator, double>> values) {
    testing::StoredAnalysis s;
    s.analysis.id = domain::Uuid::Random();
    s.analysis.user_id = me_.user_id;
    s.analysis.status = "completed";
    s.analysis.created_at = At(day);
    domain::IndicatorValues v;
    for (const auto& [i, x] : values) v.Set(i, x);
    s.analysis.result_json = testing::ResultWithScores(60, v);
    db_.analyses[s.analysis.id] = s;
  }
  static ProgramOrder Order(int sessions = 3) {
    ProgramOrder o;
    o.goal_grade = {"fontainebleau", "6C"};
    o.sessions_per_week = sessions;
    o.session_minutes = 90;
    o.equipment = {"gym", "hangboard"};
    return o;
  }
  ports::StoredProgram MustCreate(const ProgramOrder& o = Order()) {
    auto p = programs_.Create(me_, o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : ports::StoredProgram{};
  }
  static SessionEntry Entry(const char* date, int effort = 6) {
    return {date, {"straight_arm_traverse"}, effort, "Bonne séance"};
  }

  testing::FakeClock clock_;
  testing::FakeDatabase db_;
  testing::FakeProgramRepository repo_{db_};
  testing::FakeProfileRepository profiles_repo_{db_};
  testing::FakeScoreHistory history_{db_};
  Programs programs_{repo_, profiles_repo_, history_, clock_};
  Principal me_{domain::Uuid::Random(), "user"};
  Principal you_{domain::Uuid::Random(), "user"};
};

TEST_F(ProgramsTest, RequestsAreValidatedByField) {
  struct Case {
    ProgramOrder order;
    const char* field;
  };
  std::vector<Case> cases;
  auto add = [&cases](const char* field, auto&& change) {
    ProgramOrder o = Order();
    change(o);
    cases.push_back({o, field});
  };
  add("goal_grade.system", [](ProgramOrder& o) { o.goal_grade.system = "bleau"; });
  add("goal_grade.grade", [](ProgramOrder& o) { o.goal_grade.grade = "6D"; });
  add("target_date", [](ProgramOrder& o) { o.target_date = "2027-02-30"; });
  add("target_date", [](ProgramOrder& o) { o.target_date = "2026-12-09"; });  // < a week
  add("target_date", [](ProgramOrder& o) { o.target_date = "2028-12-09"; });  // > a year
  add("sessions_per_week", [](ProgramOrder& o) { o.sessions_per_week = 0; });
  add("sessions_per_week", [](ProgramOrder& o) { o.sessions_per_week = 8; });
  add("session_minutes", [](ProgramOrder& o) { o.session_minutes = 29; });
  add("session_minutes", [](ProgramOrder& o) { o.session_minutes = 241; });
  add("equipment[1]", [](ProgramOrder& o) { o.equipment = {"gym", "trampoline"}; });
  add("equipment", [](ProgramOrder& o) { o.equipment = {"gym", "gym"}; });
  for (const Case& c : cases) {
    auto r = programs_.Create(me_, c.order);
    ASSERT_EQ(r.status().kind(), ErrorKind::kInvalidArgument) << c.field;
    EXPECT_EQ(r.status().message().rfind(c.field, 0), 0u) << r.status().message();
  }
  EXPECT_TRUE(db_.programs.empty());
}

TEST_F(ProgramsTest, ThePlanTrainsTheCallersWeakestIndicatorsAndSparesTheInjuredLimb) {
  Analysed("2026-11-20", {{Indicator::kTechnique, 80},
                          {Indicator::kFluidity, 30},
                          {Indicator::kEfficiency, 35},
                          {Indicator::kPace, 90}});
  Analysed("2026-12-01", {{Indicator::kTechnique, 84},
                          {Indicator::kFluidity, 34},
                          {Indicator::kEfficiency, 41},
                          {Indicator::kPace, 92}});
  domain::ClimberProfile injured;
  injured.level = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, "6A");
  injured.limbs[static_cast<int>(BodyLimb::kRightArm)] = domain::LimbCondition::kInjured;
  db_.profiles[me_.user_id] = injured;
  const ports::StoredProgram p = MustCreate();
  EXPECT_EQ(p.user_id, me_.user_id);
  EXPECT_EQ(p.version, 1);
  ASSERT_EQ(p.program.focus.size(), 2u);
  EXPECT_EQ(p.program.focus[0].indicator, Indicator::kFluidity);
  EXPECT_DOUBLE_EQ(*p.program.focus[0].average, 32);
  EXPECT_EQ(p.program.focus[0].samples, 2);
  EXPECT_EQ(p.program.focus[1].indicator, Indicator::kEfficiency);
  EXPECT_EQ(p.program.request.start, *training::ParseDate("2026-12-07"));
  EXPECT_EQ(p.program.level, domain::ClimbingLevel::kIntermediate);
  int drills = 0;
  for (const auto& w : p.program.weeks) {
    EXPECT_EQ(w.sessions.size(), 3u);
    for (const auto& s : w.sessions) {
      for (const auto& d : s.drills) {
        ++drills;
        EXPECT_FALSE(
            training::FindDrill(d.drill_id)->asks_for[static_cast<int>(BodyLimb::kRightArm)])
            << d.drill_id;
      }
    }
  }
  EXPECT_GT(drills, 0);
  // Someone else's analyses are not the caller's history.
  auto yours = programs_.Create(you_, Order());
  ASSERT_TRUE(yours.ok());
  EXPECT_FALSE(yours->program.focus[0].average);
}

TEST_F(ProgramsTest, ANewProgramReplacesTheActiveOne) {
  EXPECT_EQ(programs_.Current(me_).status().code(), "no_program");
  const auto first = MustCreate(Order(2));
  const auto second = MustCreate(Order(4));
  auto current = programs_.Current(me_);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->id, second.id);
  EXPECT_EQ(current->program.request.sessions_per_week, 4);
  // The replaced program and its journal remain the caller's.
  EXPECT_TRUE(programs_.LogSession(me_, first.id, Entry("2026-12-07")).ok());
  EXPECT_EQ(programs_.Sessions(me_, first.id, {})->total, 1);
}

TEST_F(ProgramsTest, AMissedWeekIsRescheduledOnceAndStored) {
  const auto p = MustCreate();
  clock_.Set(At("2026-12-16"));  // week 1 (Dec 7–13) ended without a session
  auto adapted = programs_.Current(me_);
  ASSERT_TRUE(adapted.ok());
  EXPECT_EQ(adapted->version, 2);
  ASSERT_EQ(adapted->program.changes.size(), 1u);
  EXPECT_NE(adapted->program.changes[0].reason.en.find("Week 1"), std::string::npos);
  EXPECT_NE(adapted->program.changes[0].reason.fr.find("La semaine 1"), std::string::npos);
  EXPECT_EQ(training::FormatDate(adapted->program.weeks[0].start), "2026-12-21");
  auto again = programs_.Current(me_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(again->program.changes.size(), 1u);
  EXPECT_EQ(db_.programs.at(p.id).stored.version, 2);
}

TEST_F(ProgramsTest, ALoggedSessionKeepsTheWeek) {
  const auto p = MustCreate();
  clock_.Set(At("2026-12-10"));
  ASSERT_TRUE(programs_.LogSession(me_, p.id, Entry("2026-12-09")).ok());
  clock_.Set(At("2026-12-16"));
  auto current = programs_.Current(me_);
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(current->program.changes.empty());
  EXPECT_EQ(current->version, 1);
}

TEST_F(ProgramsTest, AnImprovedIndicatorShiftsTheNextSessions) {
  Analysed("2026-12-01", {{Indicator::kTechnique, 30},
                          {Indicator::kFluidity, 50},
                          {Indicator::kEfficiency, 70},
                          {Indicator::kPace, 80}});
  const auto p = MustCreate();
  ASSERT_EQ(p.program.focus[0].indicator, Indicator::kTechnique);
  ASSERT_TRUE(programs_.LogSession(me_, p.id, Entry("2026-12-08")).ok());
  clock_.Set(At("2026-12-10"));
  Analysed("2026-12-10", {{Indicator::kTechnique, 85},
                          {Indicator::kFluidity, 52},
                          {Indicator::kEfficiency, 70},
                          {Indicator::kPace, 80}});
  auto current = programs_.Current(me_);
  ASSERT_TRUE(current.ok());
  ASSERT_EQ(current->program.changes.size(), 1u);
  const auto& why = current->program.changes[0].reason;
  EXPECT_NE(why.en.find("Technique rose from 30 to 85"), std::string::npos) << why.en;
  EXPECT_NE(why.fr.find("La technique est passée de 30 à 85"), std::string::npos) << why.fr;
  // Technique (now 58 on average with the analysis before the start) is no longer the weakest:
  // fluidity (51) leads the next sessions.
  EXPECT_NE(why.en.find("the next sessions now train fluidity (51/100) and technique (58/100)"),
            std::string::npos)
      << why.en;
  EXPECT_EQ(current->program.focus[0].indicator, Indicator::kFluidity);
  const training::Session* before = nullptr;
  const training::Session* after = nullptr;
  for (std::size_t w = 0; w < p.program.weeks.size() && after == nullptr; ++w) {
    for (std::size_t k = 0; k < p.program.weeks[w].sessions.size(); ++k) {
      if (p.program.weeks[w].sessions[k].date > *training::ParseDate("2026-12-10")) {
        before = &p.program.weeks[w].sessions[k];
        after = &current->program.weeks[w].sessions[k];
        break;
      }
    }
  }
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(before->focus, Indicator::kTechnique);
  EXPECT_EQ(after->focus, Indicator::kFluidity);
  // Sessions up to today stay as they were.
  EXPECT_EQ(current->program.weeks[0].sessions[0].focus, p.program.weeks[0].sessions[0].focus);
}

TEST_F(ProgramsTest, AConcurrentAdaptationIsStoredOnce) {
  MustCreate();
  clock_.Set(At("2026-12-16"));
  // Another reader adapts and writes between this one's read and its write.
  bool raced = false;
  repo_.before_update = [&] {
    if (raced) return;
    raced = true;
    auto& row = db_.programs.begin()->second.stored;
    row.program = training::Adapt(row.program, {}, {}, *training::ParseDate("2026-12-16"));
    ++row.version;
  };
  auto current = programs_.Current(me_);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->program.changes.size(), 1u);
  EXPECT_EQ(current->version, 2);
}

TEST_F(ProgramsTest, LoggedSessionsAreValidatedByField) {
  const auto p = MustCreate();
  struct Case {
    SessionEntry entry;
    const char* field;
  };
  SessionEntry twice = Entry("2026-12-07");
  twice.drills_done = {"straight_arm_traverse", "straight_arm_traverse"};
  SessionEntry unknown = Entry("2026-12-07");
  unknown.drills_done = {"straight_arm_traverse", "levitation"};
  SessionEntry many = Entry("2026-12-07");
  many.drills_done.assign(21, "straight_arm_traverse");
  SessionEntry nul = Entry("2026-12-07");
  nul.notes = std::string("a\0b", 3);
  SessionEntry bad_utf8 = Entry("2026-12-07");
  bad_utf8.notes = "\xC3";
  SessionEntry long_notes = Entry("2026-12-07");
  long_notes.notes = std::string(kMaxNotesChars + 1, 'x');
  for (const Case& c :
       {Case{Entry("07/12/2026"), "date"}, Case{Entry("2026-12-06"), "date"},
        Case{Entry("2026-12-09"), "date"},  // after tomorrow
        Case{Entry("2026-12-07", 0), "perceived_effort"},
        Case{Entry("2026-12-07", 11), "perceived_effort"}, Case{twice, "drills_done[1]"},
        Case{unknown, "drills_done[1]"}, Case{many, "drills_done"}, Case{nul, "notes"},
        Case{bad_utf8, "notes"}, Case{long_notes, "notes"}}) {
    auto r = programs_.LogSession(me_, p.id, c.entry);
    ASSERT_EQ(r.status().kind(), ErrorKind::kInvalidArgument) << c.field;
    EXPECT_EQ(r.status().message().rfind(c.field, 0), 0u) << r.status().message();
  }
  EXPECT_TRUE(db_.journal.empty());
  SessionEntry fine = Entry("2026-12-08");  // tomorrow (a climber ahead of UTC)
  fine.drills_done = {};
  fine.notes = std::string(kMaxNotesChars, 'x');
  EXPECT_TRUE(programs_.LogSession(me_, p.id, fine).ok());
}

TEST_F(ProgramsTest, SomeoneElsesProgramIsMissing) {
  const auto p = MustCreate();
  EXPECT_EQ(programs_.LogSession(you_, p.id, Entry("2026-12-07")).status().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(programs_.Sessions(you_, p.id, {}).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(programs_.Sessions(me_, domain::Uuid::Random(), {}).status().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(programs_.Current(you_).status().kind(), ErrorKind::kNotFound);
}

TEST_F(ProgramsTest, TheJournalIsOldestFirstAndPaged) {
  const auto p = MustCreate();
  clock_.Set(At("2026-12-12"));
  for (const char* d : {"2026-12-11", "2026-12-07", "2026-12-09"}) {
    ASSERT_TRUE(programs_.LogSession(me_, p.id, Entry(d)).ok());
  }
  auto page = programs_.Sessions(me_, p.id, {1, 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(training::FormatDate(page->items[0].session.date), "2026-12-07");
  EXPECT_EQ(training::FormatDate(page->items[1].session.date), "2026-12-09");
  EXPECT_EQ(page->items[0].session.notes, "Bonne séance");
}

TEST_F(ProgramsTest, ErasingTheAccountErasesItsProgramsAndJournal) {
  testing::FakeUserRepository users{db_};
  testing::FakeTokenRepository tokens{db_};
  testing::FakeVideoRepository videos{db_};
  testing::FakeObjectStore objects;
  testing::FakePasswordHasher passwords;
  auth::JwtCodec jwt{std::string(40, 'k'), "ascension", "ascension-app", std::chrono::hours(1)};
  Accounts accounts{users, tokens, videos, objects, passwords, jwt, clock_};
  db_.profiles[me_.user_id].height_cm = 170;
  const auto p = MustCreate();
  ASSERT_TRUE(programs_.LogSession(me_, p.id, Entry("2026-12-07")).ok());
  MustCreate();
  ASSERT_TRUE(programs_.Create(you_, Order()).ok());
  ASSERT_TRUE(accounts.EraseSelf(me_).ok());
  EXPECT_EQ(db_.profiles.count(me_.user_id), 0u);
  EXPECT_EQ(db_.programs.size(), 1u);  // yours
  EXPECT_TRUE(db_.journal.empty());
}

TEST_F(ProgramsTest, AnOutageIsUnavailable) {
  const auto p = MustCreate();
  db_.outage = Unavailable("database down");
  EXPECT_EQ(programs_.Create(me_, Order()).status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(programs_.Current(me_).status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(programs_.LogSession(me_, p.id, Entry("2026-12-07")).status().kind(),
            ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace ascension::services
