// Accounts in storage. Every method is one atomic statement; errors are kUnavailable when the
// database cannot be reached and kDataLoss when a stored row cannot be read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"

namespace ascension::ports {

// An account and the analyses it used this month (counted as the quota counts them).
struct UserWithQuota {
  domain::User user;
  int quota_used = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // Inserts `user` (its id and created_at are assigned here). kAlreadyExists when the email or
  // the username (both compared case-insensitively) is taken; the Status code is then
  // "email_taken" or "username_taken".
  virtual Result<domain::User> Create(const domain::User& user) = 0;
  virtual Result<std::optional<domain::User>> FindById(const domain::Uuid& id) = 0;
  // By lower-case email.
  virtual Result<std::optional<domain::User>> FindByEmail(std::string_view email) = 0;
  // The account and its analyses since `month_start` that count against the quota.
  virtual Result<std::optional<UserWithQuota>> FindWithQuota(const domain::Uuid& id,
                                                             domain::Time month_start) = 0;
  // Applies `changes`; nullopt when there is no such account. kAlreadyExists (codes as Create)
  // when the new email or username is taken.
  virtual Result<std::optional<domain::User>> Update(const domain::Uuid& id,
                                                     const domain::UserChanges& changes) = 0;
  // Deletes the account and, by cascade, its tokens, videos, analyses and outbox rows. False when
  // there was no such account.
  virtual Result<bool> Delete(const domain::Uuid& id) = 0;
  // Every account, oldest first.
  virtual Result<domain::PageOf<domain::User>> List(const domain::Page& page) = 0;
};

}  // namespace ascension::ports
