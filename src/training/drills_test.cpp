#include "training/drills.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace ascension::training {
namespace {

using domain::BodyLimb;
using domain::ClimbingLevel;
using domain::Indicator;

constexpr std::array<ClimbingLevel, 4> kLevels = {ClimbingLevel::kBeginner,
                                                  ClimbingLevel::kIntermediate,
                                                  ClimbingLevel::kAdvanced, ClimbingLevel::kElite};

TEST(Drills, EveryEntryIsCompleteInBothLanguages) {
  std::set<std::string_view> ids;
  for (const Drill& d : Catalogue()) {
    EXPECT_TRUE(ids.insert(d.id).second) << "duplicate " << d.id;
    EXPECT_TRUE(std::regex_match(std::string(d.id), std::regex("[a-z]+(_[a-z]+)*"))) << d.id;
    for (const Text* t : {&d.name, &d.aim, &d.how}) {
      EXPECT_FALSE(t->en.empty()) << d.id;
      EXPECT_FALSE(t->fr.empty()) << d.id;
      EXPECT_NE(t->en, t->fr) << d.id;
    }
    EXPECT_LE(d.min_level, d.max_level) << d.id;
    EXPECT_GE(d.dose.sets, 1) << d.id;
    EXPECT_GT(d.dose.work_s, 0) << d.id;
    EXPECT_TRUE(std::any_of(d.equipment.begin(), d.equipment.end(), [](bool b) { return b; }))
        << d.id;
    EXPECT_EQ(FindDrill(d.id), &d);
  }
  EXPECT_EQ(FindDrill("no_such_drill"), nullptr);
}

// Whatever the level, each indicator has at least one drill a climber with a gym can do.
TEST(Drills, EveryIndicatorHasADrillAtEveryLevel) {
  const std::array<Equipment, 1> gym = {Equipment::kGym};
  for (Indicator i : domain::kIndicators) {
    for (ClimbingLevel level : kLevels) {
      EXPECT_FALSE(DrillsFor(i, level, {}, gym).empty())
          << domain::IndicatorName(i) << " at " << domain::ClimbingLevelName(level);
    }
  }
}

TEST(Drills, DrillsForRespectsLevelLimbsAndEquipment) {
  for (Indicator i : domain::kIndicators) {
    for (ClimbingLevel level : kLevels) {
      for (BodyLimb limb : domain::kBodyLimbs) {
        domain::ClimberProfile p;
        p.limbs[static_cast<int>(limb)] = domain::LimbCondition::kInjured;
        const std::array<Equipment, 1> home = {Equipment::kHome};
        for (const Drill* d : DrillsFor(i, level, p)) {
          EXPECT_EQ(d->indicator, i);
          EXPECT_TRUE(SuitsLevel(*d, level)) << d->id;
          EXPECT_FALSE(d->asks_for[static_cast<int>(limb)]) << d->id;
        }
        for (const Drill* d : DrillsFor(i, level, p, home)) {
          EXPECT_TRUE(d->equipment[static_cast<int>(Equipment::kHome)]) << d->id;
        }
      }
    }
  }
  // Lightest first.
  const auto technique = DrillsFor(Indicator::kTechnique, ClimbingLevel::kElite, {});
  ASSERT_GE(technique.size(), 2u);
  for (std::size_t k = 1; k < technique.size(); ++k) {
    EXPECT_LE(technique[k - 1]->load, technique[k]->load);
  }
}

TEST(Drills, TheLevelPicksTheDrills) {
  auto ids = [](ClimbingLevel level) {
    std::set<std::string_view> out;
    for (Indicator i : domain::kIndicators) {
      for (const Drill* d : DrillsFor(i, level, {})) out.insert(d->id);
    }
    return out;
  };
  const auto beginner = ids(ClimbingLevel::kBeginner), elite = ids(ClimbingLevel::kElite);
  EXPECT_NE(beginner, elite);
  EXPECT_TRUE(beginner.count("frog_position"));
  EXPECT_FALSE(elite.count("frog_position"));
  EXPECT_TRUE(elite.count("limit_bouldering"));
  EXPECT_FALSE(beginner.count("limit_bouldering"));

  domain::ClimberProfile p;
  EXPECT_EQ(LevelOf(p), ClimbingLevel::kIntermediate);
  p.level = domain::Grade::Parse(domain::GradeSystem::kFontainebleau, "7B");
  EXPECT_EQ(LevelOf(p), ClimbingLevel::kAdvanced);
}

TEST(Drills, EquipmentNames) {
  for (Equipment e : kEquipment) EXPECT_EQ(ParseEquipment(EquipmentName(e)), e);
  EXPECT_FALSE(ParseEquipment("crimp"));
  EXPECT_EQ(LoadName(Load::kHard), "hard");
}

// docs/training.md documents the catalogue: every drill, with its indicator and level range,
// in one table row "| `id` | indicator | level range | …".
TEST(Drills, TheDocumentedCatalogueIsTheCatalogue) {
  std::ifstream in(ASC_TRAINING_DOC);
  ASSERT_TRUE(in) << "cannot open " << ASC_TRAINING_DOC;
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = doc.str();
  std::set<std::string> documented;
  const std::regex row(R"(\n\| `([a-z_]+)` \| ([a-z]+) \| ([a-z]+)–([a-z]+) \|)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string id = (*it)[1];
    documented.insert(id);
    const Drill* d = FindDrill(id);
    ASSERT_NE(d, nullptr) << id << " is documented but not in the catalogue";
    EXPECT_EQ((*it)[2], std::string(domain::IndicatorName(d->indicator))) << id;
    EXPECT_EQ((*it)[3], std::string(domain::ClimbingLevelName(d->min_level))) << id;
    EXPECT_EQ((*it)[4], std::string(domain::ClimbingLevelName(d->max_level))) << id;
  }
  for (const Drill& d : Catalogue()) {
    EXPECT_TRUE(documented.count(std::string(d.id))) << d.id << " is not documented";
  }
}

}  // namespace
}  // namespace ascension::training
