// The climber's body and level (F01): what coaching, the ghost and training plans adapt to.
// Every field is optional; a profile with nothing set means "an unknown adult climber" and every
// consumer falls back to its defaults. Plain values and pure rules, no I/O.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ascension::domain {

// Limits a measured body must stay within (inclusive), in cm and kg.
inline constexpr double kMinHeightCm = 100, kMaxHeightCm = 230;
inline constexpr double kMinArmSpanCm = 100, kMaxArmSpanCm = 250;
inline constexpr double kMinWeightKg = 25, kMaxWeightKg = 200;

enum class GradeSystem {
  kFontainebleau,  // bouldering: 1 … 3, 4, 4+, 5, 5+, 6A, 6A+ … 9A (letters upper-case)
  kFrenchSport,    // routes: 1 … 3, 4a, 4a+ … 9c (letters lower-case)
  kVScale,         // bouldering: VB, V0 … V17
  kYds,            // routes: 5.0 … 5.9, 5.10a … 5.15d
};
// "fontainebleau" | "french" | "v_scale" | "yds".
std::string_view GradeSystemName(GradeSystem system);
std::optional<GradeSystem> ParseGradeSystem(std::string_view name);

// Broad bands of ability, the same whatever the system (docs/coaching.md gives the table).
enum class ClimbingLevel { kBeginner = 0, kIntermediate = 1, kAdvanced = 2, kElite = 3 };
// "beginner" | "intermediate" | "advanced" | "elite".
std::string_view ClimbingLevelName(ClimbingLevel level);
std::optional<ClimbingLevel> ParseClimbingLevel(std::string_view name);

// A grade that exists in its system, spelt canonically ("6A+", "6a+", "V5", "5.11a").
class Grade {
 public:
  // The grade `text` of `system`, case-insensitive ("6a+" and "6A+" are both Fontainebleau 6A+),
  // surrounding spaces ignored; nullopt when the system has no such grade.
  static std::optional<Grade> Parse(GradeSystem system, std::string_view text);

  GradeSystem system() const { return system_; }
  const std::string& text() const { return text_; }
  // Position in the system's list, easiest first (comparable within one system only).
  int rank() const { return rank_; }
  ClimbingLevel level() const;

  friend bool operator==(const Grade&, const Grade&) = default;

 private:
  Grade(GradeSystem system, std::string text, int rank)
      : system_(system), text_(std::move(text)), rank_(rank) {}
  GradeSystem system_;
  std::string text_;
  int rank_;
};

// Every grade of `system`, easiest first, spelt canonically.
std::vector<std::string> GradesOf(GradeSystem system);

enum class Hand { kLeft, kRight };
std::string_view HandName(Hand hand);  // "left" | "right"
std::optional<Hand> ParseHand(std::string_view name);

enum class BodyLimb { kLeftArm = 0, kRightArm = 1, kLeftLeg = 2, kRightLeg = 3 };
inline constexpr std::array<BodyLimb, 4> kBodyLimbs = {BodyLimb::kLeftArm, BodyLimb::kRightArm,
                                                       BodyLimb::kLeftLeg, BodyLimb::kRightLeg};
// "left_arm" | "right_arm" | "left_leg" | "right_leg".
std::string_view BodyLimbName(BodyLimb limb);
std::optional<BodyLimb> ParseBodyLimb(std::string_view name);

// A limb that must be spared (injured) or cannot be used at all (absent).
enum class LimbCondition { kInjured, kAbsent };
std::string_view LimbConditionName(LimbCondition condition);  // "injured" | "absent"
std::optional<LimbCondition> ParseLimbCondition(std::string_view name);

struct ClimberProfile {
  std::optional<double> height_cm;
  std::optional<double> weight_kg;
  std::optional<double> arm_span_cm;  // fingertip to fingertip, arms spread
  std::optional<Grade> level;         // the grade the climber usually tops
  std::optional<Hand> dominant_hand;
  // Indexed by BodyLimb; nullopt = the limb can be used normally.
  std::array<std::optional<LimbCondition>, 4> limbs{};

  std::optional<LimbCondition> condition(BodyLimb limb) const {
    return limbs[static_cast<int>(limb)];
  }
  // Neither injured nor absent.
  bool CanUse(BodyLimb limb) const { return !condition(limb).has_value(); }
  // The arm span when known, else the height (an ape index of 1), else nullopt.
  std::optional<double> SpanOrHeightCm() const { return arm_span_cm ? arm_span_cm : height_cm; }

  friend bool operator==(const ClimberProfile&, const ClimberProfile&) = default;
};

// A field that failed validation: its name as the API spells it ("height_cm", "level.grade",
// "limbs.left_arm") and a sentence for the climber.
struct FieldError {
  std::string field;
  std::string message;
};

// The first problem with a measure of `profile` (height 100–230 cm, arm span 100–250 cm, weight
// 25–200 kg, finite numbers), or nullopt when every set field is valid. Grades and names are
// validated when parsed (Grade::Parse, Parse*), so a built profile only needs its numbers checked.
std::optional<FieldError> ValidateProfile(const ClimberProfile& profile);

// One field of a partial update: left as it is (not present), cleared (present, no value) or set.
template <typename T>
struct Patch {
  bool present = false;
  std::optional<T> value;

  static Patch Clear() { return {true, std::nullopt}; }
  static Patch Set(T v) { return {true, std::move(v)}; }
};

// A level as the client spells it, validated when applied.
struct LevelText {
  std::string system;  // GradeSystemName
  std::string grade;   // a grade of that system, any case
};

// A profile update as the client sent it (the API's PATCH body): names are still text, numbers
// still unchecked. `limbs` cleared = every limb usable again; then `limb` entries apply on top.
struct ProfilePatch {
  Patch<double> height_cm;
  Patch<double> weight_kg;
  Patch<double> arm_span_cm;
  Patch<LevelText> level;
  Patch<std::string> dominant_hand;  // HandName
  bool limbs_cleared = false;
  std::array<Patch<std::string>, 4> limb{};  // by BodyLimb: LimbConditionName, cleared = usable
};

// `profile` with `patch` applied, or the first invalid field of the patch (its field named as the
// API spells it: "height_cm", "level.system", "level.grade", "dominant_hand", "limbs.left_arm").
// A patch that sets a field to an invalid value never changes the profile.
struct PatchOutcome {
  ClimberProfile profile;
  std::optional<FieldError> error;
};
PatchOutcome ApplyProfilePatch(const ClimberProfile& profile, const ProfilePatch& patch);

}  // namespace ascension::domain
