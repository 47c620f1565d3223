#include "domain/profile.hpp"

#include <cctype>
#include <cmath>

namespace ascension::domain {
namespace {

std::vector<std::string> BuildGrades(GradeSystem system) {
  std::vector<std::string> g;
  switch (system) {
    case GradeSystem::kFontainebleau:
      g = {"1", "2", "3", "4", "4+", "5", "5+"};
      for (int n = 6; n <= 9; ++n) {
        for (char letter : {'A', 'B', 'C'}) {
          if (n == 9 && letter != 'A') break;  // 9A is the hardest grade given so far
          const std::string base = std::to_string(n) + letter;
          g.push_back(base);
          if (n < 9) g.push_back(base + "+");
        }
      }
      break;
    case GradeSystem::kFrenchSport:
      g = {"1", "2", "3"};
      for (int n = 4; n <= 9; ++n) {
        for (char letter : {'a', 'b', 'c'}) {
          const std::string base = std::to_string(n) + letter;
          g.push_back(base);
          if (!(n == 9 && letter == 'c')) g.push_back(base + "+");
        }
      }
      break;
    case GradeSystem::kVScale:
      g = {"VB"};
      for (int n = 0; n <= 17; ++n) g.push_back("V" + std::to_string(n));
      break;
    case GradeSystem::kYds:
      for (int n = 0; n <= 9; ++n) g.push_back("5." + std::to_string(n));
      for (int n = 10; n <= 15; ++n) {
        for (char letter : {'a', 'b', 'c', 'd'}) g.push_back("5." + std::to_string(n) + letter);
      }
      break;
  }
  return g;
}

// The first grade of each band above beginner: intermediate, advanced, elite (docs/coaching.md).
std::array<std::string_view, 3> BandStarts(GradeSystem system) {
  switch (system) {
    case GradeSystem::kFontainebleau:
      return {"6A", "7A", "7C"};
    case GradeSystem::kFrenchSport:
      return {"6a", "7a", "8a"};
    case GradeSystem::kVScale:
      return {"V3", "V6", "V9"};
    case GradeSystem::kYds:
      return {"5.10a", "5.11d", "5.13b"};
  }
  return {"", "", ""};
}

int RankOf(GradeSystem system, std::string_view text) {
  const auto grades = BuildGrades(system);
  for (std::size_t i = 0; i < grades.size(); ++i) {
    if (grades[i] == text) return static_cast<int>(i);
  }
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view GradeSystemName(GradeSystem system) {
  switch (system) {
    case GradeSystem::kFontainebleau:
      return "fontainebleau";
    case GradeSystem::kFrenchSport:
      return "french";
    case GradeSystem::kVScale:
      return "v_scale";
    case GradeSystem::kYds:
      return "yds";
  }
  return "";
}

std::optional<GradeSystem> ParseGradeSystem(std::string_view name) {
  for (GradeSystem s : {GradeSystem::kFontainebleau, GradeSystem::kFrenchSport,
                        GradeSystem::kVScale, GradeSystem::kYds}) {
    if (GradeSystemName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view ClimbingLevelName(ClimbingLevel level) {
  switch (level) {
    case ClimbingLevel::kBeginner:
      return "beginner";
    case ClimbingLevel::kIntermediate:
      return "intermediate";
    case ClimbingLevel::kAdvanced:
      return "advanced";
    case ClimbingLevel::kElite:
      return "elite";
  }
  return "";
}

std::optional<ClimbingLevel> ParseClimbingLevel(std::string_view name) {
  for (ClimbingLevel l : {ClimbingLevel::kBeginner, ClimbingLevel::kIntermediate,
                          ClimbingLevel::kAdvanced, ClimbingLevel::kElite}) {
    if (ClimbingLevelName(l) == name) return l;
  }
  return std::nullopt;
}

std::vector<std::string> GradesOf(GradeSystem system) {
  return BuildGrades(system);
}

std::optional<Grade> Grade::Parse(GradeSystem system, std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 8) return std::nullopt;
  std::string canonical;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool upper = system == GradeSystem::kFontainebleau || system == GradeSystem::kVScale;
    canonical += static_cast<char>(upper ? std::toupper(u) : std::tolower(u));
  }
  const int rank = RankOf(system, canonical);
  if (rank < 0) return std::nullopt;
  return Grade(system, std::move(canonical), rank);
}

ClimbingLevel Grade::level() const {
  const auto starts = BandStarts(system_);
  int level = 0;
  for (std::string_view start : starts) {
    if (rank_ >= RankOf(system_, start)) ++level;
  }
  return static_cast<ClimbingLevel>(level);
}

std::string_view HandName(Hand hand) {
  return hand == Hand::kLeft ? "left" : "right";
}

std::optional<Hand> ParseHand(std::string_view name) {
  if (name == "left") return Hand::kLeft;
  if (name == "right") return Hand::kRight;
  return std::nullopt;
}

std::string_view BodyLimbName(BodyLimb limb) {
  switch (limb) {
    case BodyLimb::kLeftArm:
      return "left_arm";
    case BodyLimb::kRightArm:
      return "right_arm";
    case BodyLimb::kLeftLeg:
      return "left_leg";
    case BodyLimb::kRightLeg:
      return "right_leg";
  }
  return "";
}

std::optional<BodyLimb> ParseBodyLimb(std::string_view name) {
  for (BodyLimb l : kBodyLimbs) {
    if (BodyLimbName(l) == name) return l;
  }
  return std::nullopt;
}

std::string_view LimbConditionName(LimbCondition condition) {
  return condition == LimbCondition::kInjured ? "injured" : "absent";
}

std::optional<LimbCondition> ParseLimbCondition(std::string_view name) {
  if (name == "injured") return LimbCondition::kInjured;
  if (name == "absent") return LimbCondition::kAbsent;
  return std::nullopt;
}

std::optional<FieldError> ValidateProfile(const ClimberProfile& p) {
  struct Range {
    const std::optional<double>& value;
    const char* field;
    double min;
    double max;
    const char* unit;
  };
  const Range ranges[] = {{p.height_cm, "height_cm", kMinHeightCm, kMaxHeightCm, "cm"},
                          {p.weight_kg, "weight_kg", kMinWeightKg, kMaxWeightKg, "kg"},
                          {p.arm_span_cm, "arm_span_cm", kMinArmSpanCm, kMaxArmSpanCm, "cm"}};
  for (const Range& r : ranges) {
    if (!r.value) continue;
    if (!std::isfinite(*r.value) || *r.value < r.min || *r.value > r.max) {
      return FieldError{r.field, std::string(r.field) + " must be between " +
                                     std::to_string(static_cast<int>(r.min)) + " and " +
                                     std::to_string(static_cast<int>(r.max)) + " " + r.unit};
    }
  }
  return std::nullopt;
}

}  // namespace ascension::domain

namespace ascension::domain {

PatchOutcome ApplyProfilePatch(const ClimberProfile& profile, const ProfilePatch& patch) {
  PatchOutcome out{profile, std::nullopt};
  auto fail = [&out, &profile](std::string field, std::string message) {
    out.profile = profile;
    out.error = FieldError{std::move(field), std::move(message)};
    return out;
  };
  ClimberProfile& p = out.profile;
  if (patch.height_cm.present) p.height_cm = patch.height_cm.value;
  if (patch.weight_kg.present) p.weight_kg = patch.weight_kg.value;
  if (patch.arm_span_cm.present) p.arm_span_cm = patch.arm_span_cm.value;
  if (patch.level.present) {
    if (!patch.level.value) {
      p.level.reset();
    } else {
      const auto system = ParseGradeSystem(patch.level.value->system);
      if (!system) {
        return fail("level.system",
                    "level.system must be one of fontainebleau, french, v_scale, yds");
      }
      auto grade = Grade::Parse(*system, patch.level.value->grade);
      if (!grade) {
        return fail("level.grade", "level.grade is not a grade of the " +
                                       std::string(GradeSystemName(*system)) + " system");
      }
      p.level = std::move(*grade);
    }
  }
  if (patch.dominant_hand.present) {
    if (!patch.dominant_hand.value) {
      p.dominant_hand.reset();
    } else if (const auto hand = ParseHand(*patch.dominant_hand.value)) {
      p.dominant_hand = *hand;
    } else {
      return fail("dominant_hand", "dominant_hand must be left or right");
    }
  }
  if (patch.limbs_cleared) p.limbs = {};
  for (BodyLimb l : kBodyLimbs) {
    const Patch<std::string>& change = patch.limb[static_cast<int>(l)];
    if (!change.present) continue;
    const std::string field = "limbs." + std::string(BodyLimbName(l));
    if (!change.value) {
      p.limbs[static_cast<int>(l)].reset();
    } else if (const auto c = ParseLimbCondition(*change.value)) {
      p.limbs[static_cast<int>(l)] = *c;
    } else {
      return fail(field, field + " must be injured, absent or null");
    }
  }
  // The whole profile is checked; a stored one is valid, so a problem is the patch's.
  if (const auto e = ValidateProfile(p)) return fail(e->field, e->message);
  return out;
}

}  // namespace ascension::domain
