#include "services/legacy_import.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::services {
namespace {

bool IsBcrypt(const std::string& h) {
  return h.size() == 60 &&
         (h.rfind("$2a$", 0) == 0 || h.rfind("$2b$", 0) == 0 || h.rfind("$2y$", 0) == 0);
}

bool IsUsernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A username valid here: invalid characters to "_", at most 24, at least 3 characters.
std::string SanitizeUsername(std::string_view name, std::string_view email) {
  if (name.empty()) name = email.substr(0, email.find('@'));
  std::string out;
  for (char c : name) out += IsUsernameChar(c) ? c : '_';
  if (out.size() > 24) out.resize(24);
  while (out.size() < 3) out += '_';
  return out;
}

std::optional<domain::Uuid> Seen(const std::vector<std::pair<std::string, domain::Uuid>>& seen,
                                 const std::string& key) {
  for (const auto& [k, id] : seen) {
    if (k == key) return id;
  }
  return std::nullopt;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 80)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  return out + "\"";
}

}  // namespace

domain::Uuid LegacyUuid(std::string_view kind, std::string_view legacy_id) {
  if (auto id = domain::Uuid::Parse(legacy_id)) return *id;
  std::string digest =
      Sha256("ascension-legacy:" + std::string(kind) + ":" + std::string(legacy_id));
  std::array<std::uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), digest.data(), bytes.size());
  return domain::Uuid::FromRandomBytes(bytes);
}

std::string ImportReport::Text() const {
  std::ostringstream o;
  auto line = [&](const char* what, const ImportCounts& c) {
    o << what << ": " << c.found << " found, " << c.imported
      << (dry_run ? " to import, " : " imported, ") << c.already << " already here, " << c.skipped
      << " skipped\n";
  };
  o << "import-legacy" << (dry_run ? " (dry run: nothing was written or copied)" : "") << "\n";
  line("users", users);
  line("videos", videos);
  line("analyses", analyses);
  o << "objects: " << objects_copied << (dry_run ? " to copy, " : " copied, ") << objects_already
    << " already copied, " << objects_missing << " missing\n";
  o << "skipped (" << skipped.size() << "):\n";
  for (const auto& s : skipped) o << "  " << s << "\n";
  o << "notes (" << notes.size() << "):\n";
  for (const auto& n : notes) o << "  " << n << "\n";
  return o.str();
}

LegacyImport::LegacyImport(ports::LegacySource& source, const ports::LegacyObjects& objects,
                           ports::ImportTarget& target, LegacyImportOptions options)
    : source_(source), objects_(objects), target_(target), options_(std::move(options)) {}

Result<LegacyImport::PlannedUser> LegacyImport::PlanUser(const ports::LegacyUser& u,
                                                         ImportReport& report) {
  PlannedUser p;
  domain::User& user = p.user;
  user.id = LegacyUuid("user", u.id);
  user.email = Lowercase(u.email);
  user.password_hash = u.password_hash;
  user.role = Lowercase(u.role) == "admin" ? "admin" : "user";
  user.subscription_tier = "freemium";
  user.created_at = u.created_at.value_or(domain::Time{});
  const std::string who = "user " + Quote(u.id) + " (" + Quote(u.email) + ")";
  auto skip = [&](const std::string& why) {
    report.skipped.push_back(who + ": " + why + "; its videos and analyses are not imported");
    p.skip = true;
    return p;
  };
  if (domain::ValidateEmail(user.email)) return skip("invalid email");
  if (!IsBcrypt(user.password_hash) && user.password_hash.rfind("$argon2id$", 0) != 0)
    return skip("password hash is neither bcrypt ($2a$, $2b$, $2y$) nor Argon2id");

  // An earlier account of this run first: the same answer in a dry run (which writes nothing).
  if (auto seen = Seen(emails_, user.email); seen && *seen != user.id)
    return skip("duplicate email: an earlier account of the original system has it");
  auto by_email = target_.AccountWithEmail(user.email);
  if (!by_email.ok()) return by_email.status();
  if (*by_email && **by_email != user.id)
    return skip("duplicate email: another account here has it");

  // The username: kept when valid and free, else made valid, then made unique with the id.
  const std::string base = SanitizeUsername(u.username, user.email);
  const std::string tag = HexEncode(Sha256(user.id.str()));
  std::vector<std::string> candidates = {base};
  for (int i = 0; i < 4; ++i) {
    candidates.push_back(base.substr(0, 19) + "_" + tag.substr(static_cast<std::size_t>(i) * 4, 4));
  }
  std::optional<std::string> chosen;
  for (const auto& name : candidates) {
    auto holder = target_.AccountWithUsername(name);
    if (!holder.ok()) return holder.status();
    if (*holder && **holder != user.id) continue;
    if (auto seen = Seen(usernames_, Lowercase(name)); seen && *seen != user.id) continue;
    chosen = name;
    break;
  }
  if (!chosen) return skip("no free username derived from " + Quote(u.username));
  user.username = *chosen;
  if (*chosen != u.username) {
    report.notes.push_back(who + ": username " + Quote(u.username) + " is now " + Quote(*chosen));
  }
  emails_.emplace_back(user.email, user.id);
  usernames_.emplace_back(Lowercase(user.username), user.id);
  return p;
}

Status LegacyImport::ImportVideos(const ports::LegacyUser& legacy, ports::ImportBatch& batch,
                                  ImportReport& report) {
  auto videos = source_.VideosOf(legacy.id);
  if (!videos.ok()) return videos.status();
  for (const auto& v : *videos) {
    ++report.videos.found;
    const std::string what = "video " + Quote(v.id);
    ports::ImportedVideo out;
    out.id = LegacyUuid("video", v.id);
    auto type = domain::VideoTypeForFilename(v.filename.empty() ? v.object_key : v.filename);
    out.filename = v.filename.empty() ? "video." + type.extension : v.filename.substr(0, 255);
    out.content_type = type.content_type;
    out.object_key = domain::SavedKey(batch.user.id.str(), out.id.str(), type.extension);
    out.created_at = v.created_at.value_or(batch.user.created_at);
    out.status = "saved";
    const std::string bucket = options_.bucket.value_or(v.bucket.empty() ? "videos" : v.bucket);
    auto there = objects_.Exists(out.object_key);
    if (!there.ok()) return there.status();
    if (*there) {
      ++report.objects_already;
    } else {
      auto size = v.object_key.empty() ? Result<std::uint64_t>(NotFound("no object key"))
                                       : objects_.Size(bucket, v.object_key);
      if (!size.ok() && size.status().kind() != ErrorKind::kNotFound &&
          size.status().kind() != ErrorKind::kInvalidArgument) {
        return size.status();
      }
      if (!size.ok()) {
        ++report.objects_missing;
        out.status = "expired";
        report.skipped.push_back(what + ": object " + Quote(bucket + "/" + v.object_key) +
                                 " missing (" + size.status().message() +
                                 "); the video is imported as expired, its analyses are kept");
      } else {
        out.size_bytes = *size;
        if (!options_.dry_run) {
          if (Status s = objects_.CopyIn(bucket, v.object_key, out.object_key); !s.ok()) return s;
        }
        ++report.objects_copied;
      }
    }
    batch.videos.push_back(out);

    auto analyses = source_.AnalysesOf(v.id);
    if (!analyses.ok()) return analyses.status();
    for (const auto& a : *analyses) {
      ++report.analyses.found;
      const std::string which = "analysis " + Quote(a.id) + " of " + what;
      const std::string status = Lowercase(a.status);
      ports::ImportedAnalysis r;
      r.id = LegacyUuid("analysis", a.id);
      r.video_id = out.id;
      r.job_id = LegacyUuid("job", a.id);
      r.language = "fr";
      r.created_at = a.created_at.value_or(a.completed_at.value_or(out.created_at));
      r.completed_at = a.completed_at;
      if (a.processing_time_ms && *a.processing_time_ms >= 0 && *a.processing_time_ms <= INT_MAX)
        r.processing_time_ms = a.processing_time_ms;
      if (status == "completed") {
        if (a.result_json && !nlohmann::json::accept(*a.result_json)) {
          ++report.analyses.skipped;
          report.skipped.push_back(which + ": its result_json is not JSON");
          continue;
        }
        r.status = "completed";
        r.progress = 100;
        r.result_json = a.result_json;
        r.hints = a.hints;
        if (!r.completed_at) r.completed_at = r.created_at;
      } else if (status == "failed") {
        r.status = "failed";
        r.progress = static_cast<int>(std::clamp<std::int64_t>(a.progress.value_or(0), 0, 100));
        r.error_code = "legacy_failed";
        r.error_message =
            "Cette analyse a échoué dans l'ancienne version d'Ascension : relancez-la.";
      } else {
        ++report.analyses.skipped;
        report.skipped.push_back(which + ": not finished in the original system (status " +
                                 Quote(a.status) + "); start it again here");
        continue;
      }
      batch.analyses.push_back(std::move(r));
    }
  }
  return Status::Ok();
}

Result<ImportReport> LegacyImport::Run() {
  ImportReport report;
  report.dry_run = options_.dry_run;
  emails_.clear();
  usernames_.clear();
  auto users = source_.Users();
  if (!users.ok()) return users.status();
  for (const auto& u : *users) {
    ++report.users.found;
    auto plan = PlanUser(u, report);
    if (!plan.ok()) return plan.status();
    if (plan->skip) {
      ++report.users.skipped;
      continue;
    }
    ports::ImportBatch batch;
    batch.user = plan->user;
    if (Status s = ImportVideos(u, batch, report); !s.ok()) return s;
    auto written = target_.Write(batch, options_.dry_run);
    if (!written.ok()) {
      // One account that cannot be written (a constraint of this schema) does not stop the rest.
      if (written.status().kind() == ErrorKind::kUnavailable) return written.status();
      ++report.users.skipped;
      report.skipped.push_back("user " + Quote(u.id) + " (" + Quote(u.email) +
                               "): could not be written: " + written.status().message());
      continue;
    }
    ++(written->user_inserted ? report.users.imported : report.users.already);
    report.videos.imported += written->videos_inserted;
    report.videos.already += static_cast<int>(batch.videos.size()) - written->videos_inserted;
    report.analyses.imported += written->analyses_inserted;
    report.analyses.already += static_cast<int>(batch.analyses.size()) - written->analyses_inserted;
    log::Info("legacy account imported", {{"legacy_id", u.id},
                                          {"user_id", batch.user.id.str()},
                                          {"videos", written->videos_inserted},
                                          {"analyses", written->analyses_inserted},
                                          {"dry_run", options_.dry_run}});
  }
  return report;
}

}  // namespace ascension::services
