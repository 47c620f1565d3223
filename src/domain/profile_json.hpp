// The climber profile as JSON: the shape the API returns and programs store, and the API's
// partial update. Decoders never throw: a wrong type, an unknown name or a value out of range is
// a kInvalidArgument Status whose message starts with the field ("height_cm must be ...").
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "domain/profile.hpp"

namespace ascension::domain {

// {"height_cm","weight_kg","arm_span_cm","level":{"system","grade"},"dominant_hand",
//  "limbs":{"left_arm":"injured",...}}: unset values null, usable limbs absent from "limbs".
nlohmann::json ProfileJson(const ClimberProfile& profile);

// The inverse of ProfileJson: every field optional (missing or null = unset), each validated.
Result<ClimberProfile> ProfileFromJson(const nlohmann::json& j);

// A PATCH body: an object of the fields of ProfileJson, each optional, null clearing it. "level"
// is {"system","grade"} (both required) or null; "limbs" is an object of limb → "injured" |
// "absent" | null, or null (every limb usable). Unknown fields are refused, so that a misspelt
// field is never silently ignored. Values are type-checked here and range-checked when applied
// (ApplyProfilePatch).
Result<ProfilePatch> DecodeProfilePatch(const nlohmann::json& body);

}  // namespace ascension::domain
