// The drills catalogue (F10): every exercise a training program or a piece of advice can propose,
// in French and English, with the indicator it trains, the levels it suits, the equipment it
// needs, the limbs it asks for and its dose. docs/training.md lists the catalogue; a test checks
// that the list and this table agree.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "domain/indicators.hpp"
#include "domain/profile.hpp"

namespace ascension::training {

// Where a drill can be done.
enum class Equipment {
  kGym = 0,        // an indoor climbing wall (routes or boulders)
  kBoard = 1,      // a training board (Moon, Kilter, system board)
  kHangboard = 2,  // a fingerboard
  kOutdoor = 3,    // rock
  kHome = 4,       // floor space only
};
inline constexpr std::array<Equipment, 5> kEquipment = {Equipment::kGym, Equipment::kBoard,
                                                        Equipment::kHangboard, Equipment::kOutdoor,
                                                        Equipment::kHome};
// "gym" | "board" | "hangboard" | "outdoor" | "home".
std::string_view EquipmentName(Equipment equipment);
std::optional<Equipment> ParseEquipment(std::string_view name);

// How hard a drill is on the body; a program never puts two hard days in a row.
enum class Load { kLight = 0, kModerate = 1, kHard = 2 };
std::string_view LoadName(Load load);  // "light" | "moderate" | "hard"

struct Text {
  std::string_view en;
  std::string_view fr;
  std::string_view In(bool french) const { return french ? fr : en; }
};

// One dose at the intermediate level: `sets` of `reps` repetitions or of `work_s` seconds, with
// `rest_s` between sets. Programs scale it with the level and the week (plan.hpp).
struct Dose {
  int sets = 1;
  int reps = 0;    // 0: timed
  int work_s = 0;  // per set when timed, else an estimate per repetition
  int rest_s = 0;
};

struct Drill {
  std::string_view id;  // stable snake_case
  domain::Indicator indicator;
  domain::ClimbingLevel min_level;
  domain::ClimbingLevel max_level;
  Load load;
  // Any one of these is enough; kHome means "anywhere".
  std::array<bool, kEquipment.size()> equipment;
  // The limbs the drill asks for (by domain::BodyLimb): never proposed to a climber for whom one
  // of them is injured or absent.
  std::array<bool, 4> asks_for;
  Dose dose;
  Text name;
  Text aim;
  Text how;
};

// The whole catalogue, in a fixed order (indicator, then level).
std::span<const Drill> Catalogue();
// The drill `id`; nullptr when there is none.
const Drill* FindDrill(std::string_view id);

// Whether the climber of `profile` can do `drill`: no injured or absent limb among those it asks
// for.
bool Suits(const Drill& drill, const domain::ClimberProfile& profile);
// Whether `level` lies within the drill's level range.
bool SuitsLevel(const Drill& drill, domain::ClimbingLevel level);
// Whether one of the `available` kinds of equipment lets the drill be done (kHome drills always).
bool Available(const Drill& drill, std::span<const Equipment> available);

// The drills training `indicator` that suit `level` and `profile` and need only `available`
// equipment, lightest first, in catalogue order within a load. `available` empty = anything.
std::vector<const Drill*> DrillsFor(domain::Indicator indicator, domain::ClimbingLevel level,
                                    const domain::ClimberProfile& profile,
                                    std::span<const Equipment> available = {});

// The level a profile's grade gives, else intermediate (the most common climber using the app).
domain::ClimbingLevel LevelOf(const domain::ClimberProfile& profile);

}  // namespace ascension::training
