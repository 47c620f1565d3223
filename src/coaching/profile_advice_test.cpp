// The body of this climber (issue 15, item 3): centimetres where a height is known, reach against
// the climber's own span, no advice for an injured or absent limb, the level choosing the drills.
#include <gtest/gtest.h>

#include "coaching/advice.hpp"
#include "coaching/advice_text.hpp"
#include "coaching/synthetic_climber.hpp"
#include "coaching/thresholds.hpp"
#include "training/drills.hpp"

namespace ascension::coaching {
namespace {

const Advice* Find(const std::vector<Advice>& advice, std::string_view id) {
  for (const Advice& a : advice) {
    if (a.id == id) return &a;
  }
  return nullptr;
}
// Find on a temporary would dangle.
const Advice* Find(std::vector<Advice>&& advice, std::string_view id) = delete;

bool Has(const std::vector<Advice>& advice, std::string_view id) {
  return Find(advice, id) != nullptr;
}

domain::ClimberProfile Body(std::optional<double> height, std::optional<double> span = {}) {
  domain::ClimberProfile p;
  p.height_cm = height;
  p.arm_span_cm = span;
  return p;
}

TEST(ProfileAdviceTest, DistancesAreInCentimetresWhenTheHeightIsKnown) {
  const domain::PoseSequence seq = testing::HipsFarAscent();
  const auto plain = Advise(Analyze(seq), "en");
  const Advice* a = Find(plain, "hips_to_wall");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a->points[0].find("% of your height away"), std::string::npos) << a->points[0];

  const Biomechanics b = Analyze(seq, Body(170));
  for (const char* lang : {"en", "fr"}) {
    const auto advice = Advise(b, lang);
    const Advice* h = Find(advice, "hips_to_wall");
    ASSERT_NE(h, nullptr);
    // The hips hang 0.4 fh from the wall; with the body ≈ 0.52 fh = 170 cm, that is ≈ 60 cm at
    // the farthest frame (z counts half in the distance: ≈ 0.2 fh ≈ 65 cm).
    const std::string& p = h->points[0];
    EXPECT_NE(p.find(" cm "), std::string::npos) << p;
    EXPECT_EQ(p.find("% of your height"), std::string::npos) << p;
    EXPECT_EQ(p.find("de votre taille"), std::string::npos) << p;
  }
}

// The same long moves are long for a short span and not for a long one.
TEST(ProfileAdviceTest, ReachIsJudgedAgainstTheClimbersOwnSpan) {
  const domain::PoseSequence seq = testing::LongReachAscent();
  ASSERT_TRUE(Has(Advise(Analyze(seq), "en"), "long_reaches"));

  const auto short_span = Advise(Analyze(seq, Body(170, 160)), "en");
  const Advice* a = Find(short_span, "long_reaches");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a->points[0].find(" cm, "), std::string::npos) << a->points[0];
  EXPECT_NE(a->points[0].find("of your arm span"), std::string::npos) << a->points[0];

  EXPECT_FALSE(Has(Advise(Analyze(seq, Body(170, 215)), "en"), "long_reaches"));

  // A height without a span: the span is taken as the height, and the text says "height".
  const auto no_span = Advise(Analyze(seq, Body(170)), "fr");
  const Advice* f = Find(no_span, "long_reaches");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->points[0].find("de votre taille"), std::string::npos) << f->points[0];
}

// Left arm bent, right arm straight.
domain::PoseSequence LeftArmBent() {
  testing::ClimberState start = testing::StraightArmStart();
  start.limbs[0].y += 0.1;
  const testing::Ascent a(start);
  return testing::Sample([&](double t) { return a.At(t); }, a.Duration());
}

TEST(ProfileAdviceTest, NoAdviceAsksForAnInjuredOrAbsentLimb) {
  const domain::PoseSequence seq = LeftArmBent();
  const auto healthy_advice = Advise(Analyze(seq), "en");
  const Advice* healthy = Find(healthy_advice, "straight_arms");
  ASSERT_NE(healthy, nullptr);
  EXPECT_EQ(healthy->evidence[0].measure, "left_straight_arm_ratio");
  ASSERT_EQ(healthy->limbs.size(), 1u);
  EXPECT_EQ(healthy->limbs[0], domain::BodyLimb::kLeftArm);

  for (auto condition : {domain::LimbCondition::kInjured, domain::LimbCondition::kAbsent}) {
    domain::ClimberProfile p;
    p.limbs[static_cast<int>(domain::BodyLimb::kLeftArm)] = condition;
    const auto advice = Advise(Analyze(seq, p), "en");
    EXPECT_EQ(Find(advice, "straight_arms"), nullptr);  // the right arm is straight
    for (const Advice& a : advice) {
      for (domain::BodyLimb l : a.limbs) EXPECT_NE(l, domain::BodyLimb::kLeftArm) << a.id;
    }
  }
  // An injured leg: no advice about footwork or pushing with the legs.
  domain::ClimberProfile leg;
  leg.limbs[static_cast<int>(domain::BodyLimb::kRightLeg)] = domain::LimbCondition::kInjured;
  EXPECT_TRUE(Has(Advise(Analyze(testing::HipsFarAscent()), "en"), "hips_to_wall"));
  EXPECT_FALSE(Has(Advise(Analyze(testing::HipsFarAscent(), leg), "en"), "hips_to_wall"));
  EXPECT_FALSE(Has(Advise(Analyze(testing::ShufflingFeetAscent(), leg), "en"), "quiet_feet"));
}

// A climber standing still on the wall: two strengths, then a drill.
domain::PoseSequence StillClimber() {
  return testing::Sample([](double) { return testing::StraightArmStart(); }, 5.0);
}

TEST(ProfileAdviceTest, TheLevelPicksTheDrills) {
  auto drill_of = [](const char* grade) {
    domain::ClimberProfile p;
    p.level = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, grade);
    const auto advice = Advise(Analyze(StillClimber(), p), "en");
    for (const Advice& a : advice) {
      if (a.kind == AdviceKind::kDrill) return a.id;
    }
    return std::string();
  };
  const std::string beginner = drill_of("5"), elite = drill_of("8A");
  ASSERT_FALSE(beginner.empty());
  ASSERT_FALSE(elite.empty());
  EXPECT_NE(beginner, elite);
  const training::Drill* b = training::FindDrill(beginner.substr(6));
  const training::Drill* e = training::FindDrill(elite.substr(6));
  ASSERT_TRUE(b && e);
  EXPECT_TRUE(training::SuitsLevel(*b, domain::ClimbingLevel::kBeginner));
  EXPECT_TRUE(training::SuitsLevel(*e, domain::ClimbingLevel::kElite));
}

TEST(ProfileAdviceTest, DrillAdviceIsCompleteInBothLanguages) {
  TextValues values;
  values.timestamp_ms = 2500;
  values.p = 42;
  for (const training::Drill& d : training::Catalogue()) {
    const AdviceText en = DrillText(d, Language::kEnglish, values);
    const AdviceText fr = DrillText(d, Language::kFrench, values);
    EXPECT_EQ(en.title, "Drill: " + std::string(d.name.en));
    EXPECT_EQ(fr.title, "Exercice : " + std::string(d.name.fr));
    ASSERT_EQ(en.points.size(), 3u);
    ASSERT_EQ(fr.points.size(), 3u);
    EXPECT_EQ(en.points[0].rfind("[2500ms] Your ", 0), 0u) << en.points[0];
    EXPECT_NE(en.points[0].find("42/100"), std::string::npos);
    EXPECT_NE(fr.points[0].find("42/100"), std::string::npos);
    EXPECT_NE(en.points[2].find(std::to_string(d.dose.sets) + " set"), std::string::npos);
    EXPECT_NE(fr.points[2].find(std::to_string(d.dose.sets) + " série"), std::string::npos);
  }
}

}  // namespace
}  // namespace ascension::coaching
