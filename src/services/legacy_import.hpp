// The import of the original system's accounts, videos and analyses (ascension-admin
// import-legacy). The rules:
//  - identifiers: a legacy id that is a UUID is kept; any other is mapped to a UUID derived from
//    it (SHA-256 of "ascension-legacy:<kind>:<id>"), the same on every run. Rows that are already
//    here (same id) are left as they are: a second run changes nothing, an interrupted run is
//    finished by the next one (each account is written with its videos and analyses in one
//    transaction);
//  - accounts: the email lower-cased; the password hash kept as it is (bcrypt $2a$/$2b$/$2y$,
//    verified at the first login and replaced by Argon2id then); role admin or user; tier
//    freemium; language unset (DEFAULT_LANGUAGE applies). Skipped, and reported: an email another
//    account here (or an earlier legacy account) already has, an invalid email, a password hash
//    that is neither bcrypt nor Argon2id. A username that is invalid here or taken is changed
//    (invalid characters to "_", then a suffix from the id) and reported;
//  - videos: the object is copied (server-side) into this system's layout,
//    saved/<user>/<video>.<ext> (the sweeper, erasure and presigning rules work on it); the legacy
//    object stays where it is. A missing object is reported; the video is imported as expired so
//    that its analyses keep their place in the history;
//  - analyses: completed ones with their result and hints (a result that is not JSON is skipped),
//    failed ones with the code "legacy_failed"; analyses the old system never finished are
//    skipped (its queue is gone), reported with their status. Language fr: the original system's
//    hints were French.
//  - a dry run reads and checks everything, writes nothing (each account's transaction is rolled
//    back), copies nothing, and prints the same counts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ports/legacy_import.hpp"

namespace ascension::services {

struct LegacyImportOptions {
  bool dry_run = false;
  // The bucket of the original videos, instead of each row's `bucket` column.
  std::optional<std::string> bucket;
};

struct ImportCounts {
  int found = 0;
  int imported = 0;  // inserted by this run (with dry_run: would be)
  int already = 0;   // there from an earlier run
  int skipped = 0;
};

struct ImportReport {
  bool dry_run = false;
  ImportCounts users, videos, analyses;
  int objects_copied = 0;   // with dry_run: would be
  int objects_already = 0;  // copied by an earlier run
  int objects_missing = 0;
  std::vector<std::string> skipped;  // one line each: what, and why
  std::vector<std::string> notes;    // changed usernames, videos without their object
  // The counts and both lists, for the operator.
  std::string Text() const;
};

// The UUID a legacy id becomes (kept when it is one).
domain::Uuid LegacyUuid(std::string_view kind, std::string_view legacy_id);

class LegacyImport {
 public:
  LegacyImport(ports::LegacySource& source, const ports::LegacyObjects& objects,
               ports::ImportTarget& target, LegacyImportOptions options);

  // The whole import. An error (a database or the store unreachable, a legacy row that cannot be
  // read) stops it; what was written stays, and the next run goes on from there.
  Result<ImportReport> Run();

 private:
  struct PlannedUser {
    domain::User user;
    bool skip = false;
  };
  Result<PlannedUser> PlanUser(const ports::LegacyUser& u, ImportReport& report);
  Status ImportVideos(const ports::LegacyUser& legacy, ports::ImportBatch& batch,
                      ImportReport& report);

  ports::LegacySource& source_;
  const ports::LegacyObjects& objects_;
  ports::ImportTarget& target_;
  LegacyImportOptions options_;
  // Emails and usernames taken by the accounts of this run (a dry run writes none of them).
  std::vector<std::pair<std::string, domain::Uuid>> emails_, usernames_;
};

}  // namespace ascension::services
