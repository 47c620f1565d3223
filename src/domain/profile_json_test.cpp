#include "domain/profile_json.hpp"

#include <gtest/gtest.h>

namespace ascension::domain {
namespace {

using nlohmann::json;

ClimberProfile Full() {
  ClimberProfile p;
  p.height_cm = 172.5;
  p.arm_span_cm = 176;
  p.weight_kg = 63;
  p.dominant_hand = Hand::kLeft;
  p.level = Grade::Parse(GradeSystem::kFontainebleau, "6A+");
  p.limbs[static_cast<int>(BodyLimb::kLeftLeg)] = LimbCondition::kInjured;
  return p;
}

TEST(ProfileJson, RoundTrips) {
  const json j = ProfileJson(Full());
  EXPECT_EQ(j["level"]["grade"], "6A+");
  EXPECT_EQ(j["level"]["system"], "fontainebleau");
  EXPECT_EQ(j["limbs"]["left_leg"], "injured");
  EXPECT_FALSE(j["limbs"].contains("right_arm"));
  EXPECT_EQ(ProfileFromJson(j).value(), Full());
  const json empty = ProfileJson(ClimberProfile{});
  EXPECT_TRUE(empty["height_cm"].is_null());
  EXPECT_TRUE(empty["level"].is_null());
  EXPECT_TRUE(empty["limbs"].empty());
  EXPECT_EQ(ProfileFromJson(empty).value(), ClimberProfile{});
  EXPECT_EQ(ProfileFromJson(json::object()).value(), ClimberProfile{});
}

TEST(ProfileJson, RefusesBadValuesNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (const Case& c :
       {Case{R"({"height_cm":"tall"})", "height_cm"}, Case{R"({"height_cm":20})", "height_cm"},
        Case{R"({"weight_kg":true})", "weight_kg"}, Case{R"({"level":"6A"})", "level"},
        Case{R"({"level":{"system":"font","grade":"6A"}})", "level.system"},
        Case{R"({"level":{"system":"fontainebleau","grade":"6D"}})", "level.grade"},
        Case{R"({"level":{"system":"fontainebleau"}})", "level.grade"},
        Case{R"({"level":{"system":"yds","grade":"5.10a","x":1}})", "level.x"},
        Case{R"({"limbs":{"tail":"injured"}})", "limbs.tail"},
        Case{R"({"limbs":{"left_arm":"sore"}})", "limbs.left_arm"},
        Case{R"({"limbs":{"left_arm":1}})", "limbs.left_arm"}, Case{R"({"limbs":[]})", "limbs"},
        Case{R"({"dominant_hand":3})", "dominant_hand"},
        Case{R"({"heigth_cm":170})", "heigth_cm"}}) {
    const auto r = ProfileFromJson(json::parse(c.body));
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(c.field, 0), 0u) << r.status().message();
  }
  EXPECT_FALSE(ProfileFromJson(json::array()).ok());
}

TEST(ProfilePatchJson, NullClearsAbsentLeaves) {
  const auto patch = DecodeProfilePatch(json::parse(
      R"({"height_cm":null,"arm_span_cm":181,"limbs":{"right_arm":null,"left_leg":"absent"}})"));
  ASSERT_TRUE(patch.ok()) << patch.status().message();
  EXPECT_TRUE(patch->height_cm.present);
  EXPECT_FALSE(patch->height_cm.value);
  EXPECT_EQ(patch->arm_span_cm.value, 181);
  EXPECT_FALSE(patch->weight_kg.present);
  EXPECT_FALSE(patch->level.present);
  EXPECT_FALSE(patch->limbs_cleared);
  EXPECT_TRUE(patch->limb[static_cast<int>(BodyLimb::kRightArm)].present);
  EXPECT_FALSE(patch->limb[static_cast<int>(BodyLimb::kRightArm)].value);
  EXPECT_EQ(patch->limb[static_cast<int>(BodyLimb::kLeftLeg)].value, "absent");
  EXPECT_FALSE(patch->limb[static_cast<int>(BodyLimb::kLeftArm)].present);

  const auto out = ApplyProfilePatch(Full(), *patch);
  ASSERT_FALSE(out.error);
  EXPECT_FALSE(out.profile.height_cm);
  EXPECT_EQ(out.profile.weight_kg, 63);
  EXPECT_EQ(out.profile.condition(BodyLimb::kLeftLeg), LimbCondition::kAbsent);

  const auto all = DecodeProfilePatch(json::parse(R"({"limbs":null,"level":null})"));
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->limbs_cleared);
  EXPECT_TRUE(all->level.present);
  EXPECT_FALSE(all->level.value);
  EXPECT_TRUE(DecodeProfilePatch(json::object()).ok());
}

TEST(ProfilePatchJson, UnknownFieldsAreRefusedAndLongNamesCutOnACharacter) {
  const auto r = DecodeProfilePatch(json::parse(R"({"height_cm":170,"age":30})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("age", 0), 0u);
  // 39 ASCII bytes then "é" (2 bytes) straddling the 40-byte cut.
  const std::string name = std::string(39, 'a') + "\xC3\xA9" + "zzz";
  json body = json::object();
  body[name] = 1;
  const auto long_name = DecodeProfilePatch(body);
  ASSERT_FALSE(long_name.ok());
  EXPECT_EQ(long_name.status().message().rfind(std::string(39, 'a') + "...", 0), 0u);
  EXPECT_NO_THROW((void)json(long_name.status().message()).dump());
  EXPECT_FALSE(DecodeProfilePatch(json::parse("[1]")).ok());
  EXPECT_FALSE(DecodeProfilePatch(json::parse(R"({"dominant_hand":["left"]})")).ok());
}

}  // namespace
}  // namespace ascension::domain
