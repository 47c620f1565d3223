// The climber profile written on one command line (`ascension-analyze --profile`):
//   height=178,span=182,weight=70,level=fontainebleau:6A,hand=right,injured=right_arm,absent=left_leg
// Keys: height (or height_cm), span (arm_span, arm_span_cm), weight (weight_kg), level
// (SYSTEM:GRADE, the systems and grades of the API's profile), hand (dominant_hand), and
// injured=LIMB / absent=LIMB (repeatable) or LIMB=injured|absent. The same rules as the API's
// profile apply (the text becomes a ProfilePatch of an empty profile, checked by
// ApplyProfilePatch), so a profile this accepts is one the worker could have read for an owner.
#pragma once

#include <string_view>

#include "common/status.hpp"
#include "domain/profile.hpp"

namespace ascension::domain {

// The profile `text` describes, or kInvalidArgument naming the first bad pair ("height=tall: ...").
// An empty text is refused (say nothing rather than an empty --profile); a key given twice, an
// unknown key, a number with trailing characters, a limb condition other than injured or absent
// (a healthy limb is left out) and a limb both injured and absent are refused.
Result<ClimberProfile> ParseProfileText(std::string_view text);

}  // namespace ascension::domain
