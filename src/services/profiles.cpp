#include "services/profiles.hpp"

namespace ascension::services {

Result<domain::ClimberProfile> Profiles::Show(const Principal& caller) {
  return profiles_.Find(caller.user_id);
}

Result<domain::ClimberProfile> Profiles::Update(const Principal& caller,
                                                const domain::ProfilePatch& patch) {
  return profiles_.Update(
      caller.user_id,
      [&patch](const domain::ClimberProfile& current) -> Result<domain::ClimberProfile> {
        domain::PatchOutcome out = domain::ApplyProfilePatch(current, patch);
        if (out.error) return InvalidArgument(out.error->message);
        return std::move(out.profile);
      });
}

}  // namespace ascension::services
