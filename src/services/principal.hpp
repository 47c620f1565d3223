// Who is calling: the account an access token names and its role.
#pragma once

#include <string>

#include "domain/uuid.hpp"

namespace ascension::services {

struct Principal {
  domain::Uuid user_id;
  std::string role;  // "user" | "admin"

  bool is_admin() const { return role == "admin"; }
};

}  // namespace ascension::services
