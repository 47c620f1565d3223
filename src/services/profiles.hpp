// The climber profile (F01): reading and updating the caller's own.
//
// Rules held here: every field optional; an update changes only the fields it names, null
// clearing one; each value is validated (height 100–230 cm, arm span 100–250 cm, weight 25–200
// kg, a grade that exists in its system, hand and limb names) and the first invalid field is a
// kInvalidArgument whose message starts with its name; an invalid update changes nothing.
#pragma once

#include "domain/profile.hpp"
#include "ports/profile_repository.hpp"
#include "services/principal.hpp"

namespace ascension::services {

class Profiles {
 public:
  explicit Profiles(ports::ProfileRepository& profiles) : profiles_(profiles) {}

  // The caller's profile (empty when never filled in).
  Result<domain::ClimberProfile> Show(const Principal& caller);
  // The caller's profile with `patch` applied and stored.
  Result<domain::ClimberProfile> Update(const Principal& caller, const domain::ProfilePatch& patch);

 private:
  ports::ProfileRepository& profiles_;
};

}  // namespace ascension::services
