#include "training/program_codec.hpp"

#include <gtest/gtest.h>

namespace ascension::training {
namespace {

using domain::BodyLimb;
using domain::Indicator;
using nlohmann::json;

Date D(const char* text) {
  return *ParseDate(text);
}

Program Sample() {
  ProgramRequest r;
  r.sessions_per_week = 4;
  r.session_minutes = 75;
  r.equipment = {Equipment::kGym, Equipment::kHangboard};
  r.goal_grade = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, "6C");
  r.target_date = D("2027-02-20");
  r.start = D("2026-12-07");
  domain::ClimberProfile profile;
  profile.height_cm = 172.5;
  profile.arm_span_cm = 176;
  profile.weight_kg = 63;
  profile.dominant_hand = domain::Hand::kLeft;
  profile.level = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, "6A+");
  profile.limbs[static_cast<int>(BodyLimb::kLeftLeg)] = domain::LimbCondition::kInjured;
  IndicatorSample s;
  s.date = D("2026-12-01");
  s.values.Set(Indicator::kTechnique, 41.5);
  s.values.Set(Indicator::kPace, 88);
  auto p = GeneratePlan(r, profile, std::vector<IndicatorSample>{s});
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  Program out = *p;
  out.changes.push_back({D("2026-12-20"), {"Week 2 was missed.", "La semaine 2 a été manquée."}});
  return out;
}

TEST(ProgramCodec, RoundTripsEveryField) {
  const Program p = Sample();
  const std::string doc = EncodeProgram(p);
  const auto back = DecodeProgram(doc);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeProgram(*back), doc);
  EXPECT_EQ(back->profile, p.profile);
  EXPECT_EQ(back->request.goal_grade, p.request.goal_grade);
  EXPECT_EQ(back->weeks.size(), p.weeks.size());
  EXPECT_EQ(back->changes.back().reason.fr, "La semaine 2 a été manquée.");
  // A decoded program keeps adapting like the original.
  EXPECT_EQ(EncodeProgram(Adapt(*back, {}, {}, D("2027-01-10"))),
            EncodeProgram(Adapt(p, {}, {}, D("2027-01-10"))));
}

TEST(ProgramCodec, CorruptDocumentsAreDataLossNamingTheField) {
  const json good = json::parse(EncodeProgram(Sample()));
  struct Case {
    std::string pointer;
    json value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"/format", 2, "format"},
      {"/request/sessions_per_week", 9, "request.sessions_per_week"},
      {"/request/equipment/0", "trampoline", "request.equipment[0]"},
      {"/request/start", "2026-13-01", "request.start"},
      {"/weeks/1/sessions/0/drills/0/drill", "no_such_drill",
       "weeks[1].sessions[0].drills[0].drill"},
      {"/weeks/0/sessions/2/intensity", "brutal", "weeks[0].sessions[2].intensity"},
      {"/weeks/0/sessions", json::object(), "weeks[0].sessions"},
      {"/focus/0/average", "high", "focus[0].average"},
      {"/changes/0/reason/fr", 7, "changes[0].reason.fr"},
      {"/profile/height_cm", 1e308, "profile.height_cm"},
  };
  for (const Case& c : cases) {
    json doc = good;
    doc[json::json_pointer(c.pointer)] = c.value;
    const auto r = DecodeProgram(doc.dump());
    ASSERT_FALSE(r.ok()) << c.pointer;
    EXPECT_EQ(r.status().kind(), ErrorKind::kDataLoss);
    EXPECT_NE(r.status().message().find(c.field), std::string::npos) << r.status().message();
  }
  for (const char* text : {"", "null", "[]", "{", "{\"format\":1}", "\"x\""}) {
    const auto r = DecodeProgram(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().kind(), ErrorKind::kDataLoss) << text;
  }
}

// Every scalar of the document (of its first session: the others have the same shape) replaced by
// values of the wrong type or range: decoding never throws, and what it accepts encodes again.
TEST(ProgramCodec, NoMutationThrows) {
  const json good = json::parse(EncodeProgram(Sample()));
  const json flat = good.flatten();
  const std::vector<json> replacements = {
      nullptr, "", -1, 1e300, json::array(), json::object(), true, std::string("6A\0", 3)};
  int refused = 0;
  for (const auto& [pointer, value] : flat.items()) {
    const bool first =
        pointer.rfind("/weeks/0/sessions/0/", 0) == 0 ||
        (pointer.rfind("/weeks/0/", 0) == 0 && pointer.find("/sessions/") == std::string::npos);
    if (pointer.rfind("/weeks/", 0) == 0 && !first) continue;
    for (const json& v : replacements) {
      json doc = good;
      doc[json::json_pointer(pointer)] = v;
      Result<Program> r = Program{};
      ASSERT_NO_THROW(r = DecodeProgram(doc.dump())) << pointer;
      if (r.ok()) {
        EXPECT_NO_THROW((void)EncodeProgram(*r)) << pointer;
      } else {
        ++refused;
        EXPECT_EQ(r.status().kind(), ErrorKind::kDataLoss);
      }
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace ascension::training
