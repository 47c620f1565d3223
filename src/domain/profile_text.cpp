#include "domain/profile_text.hpp"

#include <charconv>
#include <set>
#include <string>

namespace ascension::domain {
namespace {

constexpr std::size_t kMaxShown = 40;

// A piece of the text shown in an error: at most 40 bytes, control characters as '?'.
std::string Shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxShown)) {
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  }
  if (s.size() > kMaxShown) out += "...";
  return out;
}

Status Bad(std::string_view pair, std::string_view why) {
  return InvalidArgument("--profile " + Shown(pair) + ": " + std::string(why));
}

std::optional<double> Number(std::string_view v) {
  double out = 0;
  const char* end = v.data() + v.size();
  auto [ptr, ec] = std::from_chars(v.data(), end, out);
  if (ec != std::errc() || ptr != end || v.empty()) return std::nullopt;
  return out;
}

// The canonical key of `key`, or "" when it is not one.
std::string_view Canonical(std::string_view key) {
  if (key == "height" || key == "height_cm") return "height_cm";
  if (key == "span" || key == "arm_span" || key == "arm_span_cm") return "arm_span_cm";
  if (key == "weight" || key == "weight_kg") return "weight_kg";
  if (key == "level") return "level";
  if (key == "hand" || key == "dominant_hand") return "dominant_hand";
  if (key == "injured" || key == "absent") return key;
  if (ParseBodyLimb(key)) return key;
  return "";
}

}  // namespace

Result<ClimberProfile> ParseProfileText(std::string_view text) {
  if (text.empty()) return InvalidArgument("--profile is empty (key=value,...)");
  ProfilePatch patch;
  std::set<std::string> seen;  // keys that may be given once, and limbs already set
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string_view pair = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return Bad(pair, "is not key=value");
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    const std::string_view canonical = Canonical(key);
    if (canonical.empty()) {
      return Bad(pair,
                 "unknown key (height, span, weight, level, hand, injured, absent or a limb)");
    }
    if (value.empty()) return Bad(pair, "has no value");
    // injured=LIMB / absent=LIMB name the limb in the value; LIMB=CONDITION in the key.
    const bool condition_first = canonical == "injured" || canonical == "absent";
    if (condition_first || ParseBodyLimb(canonical)) {
      const std::string_view limb_name = condition_first ? value : canonical;
      const std::string_view condition = condition_first ? canonical : value;
      const auto limb = ParseBodyLimb(limb_name);
      if (!limb) return Bad(pair, "not a limb (left_arm, right_arm, left_leg, right_leg)");
      if (!ParseLimbCondition(condition)) {
        return Bad(pair, "must be injured or absent (a healthy limb is left out)");
      }
      if (!seen.insert("limb:" + std::string(limb_name)).second) {
        return Bad(pair, "this limb is already given");
      }
      patch.limb[static_cast<int>(*limb)] = Patch<std::string>::Set(std::string(condition));
      continue;
    }
    if (!seen.insert(std::string(canonical)).second) return Bad(pair, "given twice");
    if (canonical == "level") {
      const std::size_t colon = value.find(':');
      if (colon == std::string_view::npos) {
        return Bad(pair,
                   "must be SYSTEM:GRADE (fontainebleau:6A, french:6a+, v_scale:V5, yds:5.11a)");
      }
      patch.level = Patch<LevelText>::Set(
          LevelText{std::string(value.substr(0, colon)), std::string(value.substr(colon + 1))});
    } else if (canonical == "dominant_hand") {
      patch.dominant_hand = Patch<std::string>::Set(std::string(value));
    } else {
      const auto number = Number(value);
      if (!number) return Bad(pair, "must be a number");
      Patch<double>& field = canonical == "height_cm"     ? patch.height_cm
                             : canonical == "arm_span_cm" ? patch.arm_span_cm
                                                          : patch.weight_kg;
      field = Patch<double>::Set(*number);
    }
  }
  PatchOutcome out = ApplyProfilePatch(ClimberProfile{}, patch);
  if (out.error) return InvalidArgument("--profile: " + out.error->message);
  return std::move(out.profile);
}

}  // namespace ascension::domain
