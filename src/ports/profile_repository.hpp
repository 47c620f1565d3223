// Climber profiles in storage: read by the API (GET/PATCH /v1/users/me/profile, programs) and by
// the worker (the coaching of each analysis). Errors are kUnavailable when the database cannot
// be reached and kDataLoss when a stored row cannot be read.
#pragma once

#include <functional>

#include "common/status.hpp"
#include "domain/profile.hpp"
#include "domain/uuid.hpp"

namespace ascension::ports {

class ProfileRepository {
 public:
  virtual ~ProfileRepository() = default;

  // The profile of `user_id`; an empty profile when the climber never filled it in (or there is
  // no such account: the caller knows whether the account exists).
  virtual Result<domain::ClimberProfile> Find(const domain::Uuid& user_id) = 0;
  // Atomically (concurrent updates of one profile are serialized): reads the profile of
  // `user_id`, passes it to `change` and stores what it returns; an error from `change` is
  // returned and nothing is written. kNotFound when there is no such account.
  virtual Result<domain::ClimberProfile> Update(
      const domain::Uuid& user_id,
      const std::function<Result<domain::ClimberProfile>(const domain::ClimberProfile&)>&
          change) = 0;
};

}  // namespace ascension::ports
