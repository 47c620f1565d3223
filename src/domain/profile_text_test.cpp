#include "domain/profile_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ascension::domain {
namespace {

TEST(ProfileText, ReadsEveryKeyAndItsAliases) {
  auto p = ParseProfileText(
      "height=178,span=182,weight=70.5,level=fontainebleau:6a+,hand=left,injured=right_arm,"
      "left_leg=absent");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->height_cm, 178);
  EXPECT_EQ(p->arm_span_cm, 182);
  EXPECT_EQ(p->weight_kg, 70.5);
  ASSERT_TRUE(p->level.has_value());
  EXPECT_EQ(p->level->system(), GradeSystem::kFontainebleau);
  EXPECT_EQ(p->level->text(), "6A+");
  EXPECT_EQ(p->dominant_hand, Hand::kLeft);
  EXPECT_EQ(p->condition(BodyLimb::kRightArm), LimbCondition::kInjured);
  EXPECT_EQ(p->condition(BodyLimb::kLeftLeg), LimbCondition::kAbsent);
  EXPECT_TRUE(p->CanUse(BodyLimb::kLeftArm));
  EXPECT_TRUE(p->CanUse(BodyLimb::kRightLeg));

  auto api_names = ParseProfileText(
      "height_cm=168,arm_span_cm=174,weight_kg=60,dominant_hand=right,absent=left_arm,"
      "right_leg=injured,level=v_scale:v5");
  ASSERT_TRUE(api_names.ok()) << api_names.status().message();
  EXPECT_EQ(api_names->height_cm, 168);
  EXPECT_EQ(api_names->arm_span_cm, 174);
  EXPECT_EQ(api_names->level->text(), "V5");
  EXPECT_EQ(api_names->condition(BodyLimb::kLeftArm), LimbCondition::kAbsent);
  EXPECT_EQ(api_names->condition(BodyLimb::kRightLeg), LimbCondition::kInjured);

  auto two_injuries = ParseProfileText("injured=left_arm,injured=right_arm");
  ASSERT_TRUE(two_injuries.ok()) << two_injuries.status().message();
  EXPECT_FALSE(two_injuries->CanUse(BodyLimb::kLeftArm));
  EXPECT_FALSE(two_injuries->CanUse(BodyLimb::kRightArm));
  EXPECT_FALSE(two_injuries->height_cm.has_value());
}

TEST(ProfileText, RefusesBadTextNamingWhatIsWrong) {
  struct Case {
    std::string text;
    const char* says;
  };
  const Case cases[] = {
      {"", "empty"},
      {"height", "is not key=value"},
      {"height=178,", "is not key=value"},
      {"wingspan=180", "unknown key"},
      {"height=", "has no value"},
      {"height=tall", "must be a number"},
      {"height=178cm", "must be a number"},
      {"height=nan", "height_cm"},
      {"height=inf", "height_cm"},
      {"height=99", "height_cm"},
      {"span=251", "arm_span_cm"},
      {"weight=1e9", "weight_kg"},
      {"height=170,height=171", "given twice"},
      {"height=170,height_cm=171", "given twice"},
      {"level=6A", "SYSTEM:GRADE"},
      {"level=uiaa:6", "level.system"},
      {"level=french:V5", "level.grade"},
      {"hand=both", "dominant_hand"},
      {"injured=tail", "not a limb"},
      {"injured=left_arm,absent=left_arm", "already given"},
      {"left_arm=sore", "--profile left_arm=sore: must be injured or absent"},
      {"right_leg=healthy", "--profile right_leg=healthy: must be injured or absent"},
      {std::string("height=17\0"
                   "8",
                   11),
       "must be a number"},
  };
  for (const Case& c : cases) {
    auto p = ParseProfileText(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    const Status status = p.status();
    EXPECT_EQ(status.kind(), ErrorKind::kInvalidArgument) << c.text;
    EXPECT_NE(status.message().find(c.says), std::string::npos)
        << c.text << " → " << status.message();
    EXPECT_EQ(status.message().find('\0'), std::string::npos) << c.text;
  }
}

}  // namespace
}  // namespace ascension::domain
