#include "domain/profile.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace ascension::domain {
namespace {

TEST(Grade, ParsesEachSystemCanonically) {
  const auto font = Grade::Parse(GradeSystem::kFontainebleau, " 6a+ ");
  ASSERT_TRUE(font);
  EXPECT_EQ(font->text(), "6A+");
  const auto sport = Grade::Parse(GradeSystem::kFrenchSport, "6A+");
  ASSERT_TRUE(sport);
  EXPECT_EQ(sport->text(), "6a+");
  EXPECT_EQ(Grade::Parse(GradeSystem::kVScale, "v5")->text(), "V5");
  EXPECT_EQ(Grade::Parse(GradeSystem::kVScale, "vb")->text(), "VB");
  EXPECT_EQ(Grade::Parse(GradeSystem::kYds, "5.11A")->text(), "5.11a");
  EXPECT_EQ(Grade::Parse(GradeSystem::kYds, "5.9")->text(), "5.9");
}

TEST(Grade, RefusesGradesThatDoNotExistInTheirSystem) {
  for (const char* g : {"", "6D", "9A+", "10A", "V5", "5.11a", "6A++"}) {
    EXPECT_FALSE(Grade::Parse(GradeSystem::kFontainebleau, g)) << g;
  }
  EXPECT_FALSE(Grade::Parse(GradeSystem::kFontainebleau, std::string_view("6A\0", 3)));
  for (const char* g : {"9c+", "4d", "10a", "V3", "0"}) {
    EXPECT_FALSE(Grade::Parse(GradeSystem::kFrenchSport, g)) << g;
  }
  for (const char* g : {"V18", "V-1", "V", "6A", "V05"}) {
    EXPECT_FALSE(Grade::Parse(GradeSystem::kVScale, g)) << g;
  }
  for (const char* g : {"5.10", "5.9a", "5.16a", "5.15e", "6.0", "5.11a+"}) {
    EXPECT_FALSE(Grade::Parse(GradeSystem::kYds, g)) << g;
  }
  EXPECT_FALSE(Grade::Parse(GradeSystem::kYds, std::string(1000, '5')));
}

TEST(Grade, RanksOrderWithinASystem) {
  const auto easy = Grade::Parse(GradeSystem::kFontainebleau, "5+");
  const auto hard = Grade::Parse(GradeSystem::kFontainebleau, "6A");
  EXPECT_LT(easy->rank(), hard->rank());
  const auto all = GradesOf(GradeSystem::kFrenchSport);
  EXPECT_EQ(all.front(), "1");
  EXPECT_EQ(all.back(), "9c");
  EXPECT_EQ(GradesOf(GradeSystem::kFontainebleau).back(), "9A");
  EXPECT_EQ(GradesOf(GradeSystem::kVScale).size(), 19u);
  EXPECT_EQ(GradesOf(GradeSystem::kYds).size(), 10u + 24u);
  for (GradeSystem s : {GradeSystem::kFontainebleau, GradeSystem::kFrenchSport,
                        GradeSystem::kVScale, GradeSystem::kYds}) {
    const auto grades = GradesOf(s);
    for (std::size_t i = 0; i < grades.size(); ++i) {
      const auto g = Grade::Parse(s, grades[i]);
      ASSERT_TRUE(g) << grades[i];
      EXPECT_EQ(g->rank(), static_cast<int>(i));
    }
  }
}

TEST(Grade, LevelBandsAgreeAcrossSystems) {
  auto level = [](GradeSystem s, const char* g) { return Grade::Parse(s, g)->level(); };
  EXPECT_EQ(level(GradeSystem::kFontainebleau, "5+"), ClimbingLevel::kBeginner);
  EXPECT_EQ(level(GradeSystem::kFontainebleau, "6A"), ClimbingLevel::kIntermediate);
  EXPECT_EQ(level(GradeSystem::kVScale, "V3"), ClimbingLevel::kIntermediate);
  EXPECT_EQ(level(GradeSystem::kVScale, "V2"), ClimbingLevel::kBeginner);
  EXPECT_EQ(level(GradeSystem::kFontainebleau, "7B+"), ClimbingLevel::kAdvanced);
  EXPECT_EQ(level(GradeSystem::kVScale, "V8"), ClimbingLevel::kAdvanced);
  EXPECT_EQ(level(GradeSystem::kFrenchSport, "5c+"), ClimbingLevel::kBeginner);
  EXPECT_EQ(level(GradeSystem::kYds, "5.9"), ClimbingLevel::kBeginner);
  EXPECT_EQ(level(GradeSystem::kFrenchSport, "6c+"), ClimbingLevel::kIntermediate);
  EXPECT_EQ(level(GradeSystem::kYds, "5.11c"), ClimbingLevel::kIntermediate);
  EXPECT_EQ(level(GradeSystem::kFrenchSport, "7c+"), ClimbingLevel::kAdvanced);
  EXPECT_EQ(level(GradeSystem::kFrenchSport, "8a"), ClimbingLevel::kElite);
  EXPECT_EQ(level(GradeSystem::kYds, "5.15d"), ClimbingLevel::kElite);
  EXPECT_EQ(level(GradeSystem::kVScale, "V9"), ClimbingLevel::kElite);
}

TEST(Names, RoundTrip) {
  for (GradeSystem s : {GradeSystem::kFontainebleau, GradeSystem::kFrenchSport,
                        GradeSystem::kVScale, GradeSystem::kYds}) {
    EXPECT_EQ(ParseGradeSystem(GradeSystemName(s)), s);
  }
  EXPECT_FALSE(ParseGradeSystem("Fontainebleau"));
  for (BodyLimb l : kBodyLimbs) EXPECT_EQ(ParseBodyLimb(BodyLimbName(l)), l);
  EXPECT_FALSE(ParseBodyLimb("left"));
  EXPECT_EQ(ParseLimbCondition("absent"), LimbCondition::kAbsent);
  EXPECT_EQ(ParseLimbCondition("injured"), LimbCondition::kInjured);
  EXPECT_FALSE(ParseLimbCondition("sore"));
  EXPECT_EQ(ParseHand("left"), Hand::kLeft);
  EXPECT_FALSE(ParseHand("both"));
  EXPECT_EQ(ParseClimbingLevel("elite"), ClimbingLevel::kElite);
  EXPECT_FALSE(ParseClimbingLevel("pro"));
}

TEST(Profile, ValidationNamesTheField) {
  ClimberProfile p;
  EXPECT_FALSE(ValidateProfile(p));  // nothing set is valid
  p.height_cm = 178;
  p.arm_span_cm = 250;
  p.weight_kg = 25;
  EXPECT_FALSE(ValidateProfile(p));
  p.height_cm = 99.9;
  ASSERT_TRUE(ValidateProfile(p));
  EXPECT_EQ(ValidateProfile(p)->field, "height_cm");
  EXPECT_NE(ValidateProfile(p)->message.find("100"), std::string::npos);
  p.height_cm = 230.5;
  EXPECT_EQ(ValidateProfile(p)->field, "height_cm");
  p.height_cm = 180;
  p.arm_span_cm = 99;
  EXPECT_EQ(ValidateProfile(p)->field, "arm_span_cm");
  p.arm_span_cm = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(ValidateProfile(p)->field, "arm_span_cm");
  p.arm_span_cm = 185;
  p.weight_kg = 201;
  EXPECT_EQ(ValidateProfile(p)->field, "weight_kg");
  p.weight_kg = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ValidateProfile(p)->field, "weight_kg");
}

TEST(Profile, LimbsAndSpan) {
  ClimberProfile p;
  EXPECT_TRUE(p.CanUse(BodyLimb::kLeftArm));
  EXPECT_FALSE(p.SpanOrHeightCm());
  p.height_cm = 170;
  EXPECT_EQ(p.SpanOrHeightCm(), 170);
  p.arm_span_cm = 176;
  EXPECT_EQ(p.SpanOrHeightCm(), 176);
  p.limbs[static_cast<int>(BodyLimb::kRightLeg)] = LimbCondition::kInjured;
  EXPECT_FALSE(p.CanUse(BodyLimb::kRightLeg));
  EXPECT_EQ(p.condition(BodyLimb::kRightLeg), LimbCondition::kInjured);
  EXPECT_TRUE(p.CanUse(BodyLimb::kLeftLeg));
}

}  // namespace
}  // namespace ascension::domain

namespace ascension::domain {
namespace {

TEST(ProfilePatch, SetsClearsAndLeavesFields) {
  ClimberProfile p;
  p.height_cm = 170;
  p.weight_kg = 60;
  ProfilePatch patch;
  patch.weight_kg = Patch<double>::Clear();
  patch.arm_span_cm = Patch<double>::Set(175);
  patch.level = Patch<LevelText>::Set({"fontainebleau", "6b+"});
  patch.dominant_hand = Patch<std::string>::Set("left");
  patch.limb[static_cast<int>(BodyLimb::kRightLeg)] = Patch<std::string>::Set("injured");
  const auto out = ApplyProfilePatch(p, patch);
  ASSERT_FALSE(out.error) << out.error->message;
  EXPECT_EQ(out.profile.height_cm, 170);  // not in the patch: kept
  EXPECT_FALSE(out.profile.weight_kg);    // null: cleared
  EXPECT_EQ(out.profile.arm_span_cm, 175);
  ASSERT_TRUE(out.profile.level);
  EXPECT_EQ(out.profile.level->text(), "6B+");
  EXPECT_EQ(out.profile.dominant_hand, Hand::kLeft);
  EXPECT_EQ(out.profile.condition(BodyLimb::kRightLeg), LimbCondition::kInjured);

  ProfilePatch clear;
  clear.level = Patch<LevelText>::Clear();
  clear.limb[static_cast<int>(BodyLimb::kRightLeg)] = Patch<std::string>::Clear();
  clear.limb[static_cast<int>(BodyLimb::kLeftArm)] = Patch<std::string>::Set("absent");
  const auto cleared = ApplyProfilePatch(out.profile, clear);
  ASSERT_FALSE(cleared.error);
  EXPECT_FALSE(cleared.profile.level);
  EXPECT_TRUE(cleared.profile.CanUse(BodyLimb::kRightLeg));
  EXPECT_EQ(cleared.profile.condition(BodyLimb::kLeftArm), LimbCondition::kAbsent);

  ProfilePatch all;
  all.limbs_cleared = true;
  all.limb[static_cast<int>(BodyLimb::kLeftLeg)] = Patch<std::string>::Set("injured");
  const auto reset = ApplyProfilePatch(cleared.profile, all);
  ASSERT_FALSE(reset.error);
  EXPECT_TRUE(reset.profile.CanUse(BodyLimb::kLeftArm));
  EXPECT_FALSE(reset.profile.CanUse(BodyLimb::kLeftLeg));
  EXPECT_EQ(ApplyProfilePatch(reset.profile, ProfilePatch{}).profile, reset.profile);
}

TEST(ProfilePatch, AnInvalidFieldIsNamedAndChangesNothing) {
  ClimberProfile p;
  p.height_cm = 180;
  struct Case {
    ProfilePatch patch;
    const char* field;
  };
  std::vector<Case> cases;
  auto add = [&cases](const char* field, auto&& set) {
    Case c{{}, field};
    c.patch.weight_kg = Patch<double>::Set(70);  // a valid change beside the bad one
    set(c.patch);
    cases.push_back(std::move(c));
  };
  add("height_cm", [](ProfilePatch& q) { q.height_cm = Patch<double>::Set(231); });
  add("height_cm", [](ProfilePatch& q) { q.height_cm = Patch<double>::Set(99.5); });
  add("arm_span_cm", [](ProfilePatch& q) { q.arm_span_cm = Patch<double>::Set(251); });
  add("weight_kg", [](ProfilePatch& q) { q.weight_kg = Patch<double>::Set(24); });
  add("level.system", [](ProfilePatch& q) { q.level = Patch<LevelText>::Set({"font", "6A"}); });
  add("level.grade", [](ProfilePatch& q) {
    q.level = Patch<LevelText>::Set({"fontainebleau", "6D"});
  });
  add("level.grade", [](ProfilePatch& q) { q.level = Patch<LevelText>::Set({"v_scale", "6A"}); });
  add("dominant_hand",
      [](ProfilePatch& q) { q.dominant_hand = Patch<std::string>::Set("ambidextrous"); });
  add("limbs.right_arm", [](ProfilePatch& q) {
    q.limb[static_cast<int>(BodyLimb::kRightArm)] = Patch<std::string>::Set("sore");
  });
  for (const Case& c : cases) {
    const auto out = ApplyProfilePatch(p, c.patch);
    ASSERT_TRUE(out.error) << c.field;
    EXPECT_EQ(out.error->field, c.field);
    EXPECT_NE(out.error->message.find(c.field), std::string::npos) << out.error->message;
    EXPECT_EQ(out.profile, p) << c.field;
  }
}

}  // namespace
}  // namespace ascension::domain
