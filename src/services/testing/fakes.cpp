#include "services/testing/fakes.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "common/crypto.hpp"
#include "common/strings.hpp"

namespace ascension::services::testing {
namespace {

// Whether an analysis counts against the quota from `since` (every one that did not fail).
bool Counts(const StoredAnalysis& a, const domain::Uuid& user, domain::Time since) {
  return a.analysis.user_id == user && a.analysis.status != "failed" &&
         a.analysis.created_at >= since;
}

}  // namespace

int FakeDatabase::QuotaUsed(const domain::Uuid& user, domain::Time since) const {
  int used = 0;
  for (const auto& [id, a] : analyses) used += Counts(a, user, since) ? 1 : 0;
  for (const auto& [who, at] : deleted_charges) used += who == user && at >= since ? 1 : 0;
  return used;
}

// ---- passwords ----

Result<std::string> FakePasswordHasher::Hash(std::string_view password) const {
  return "hash:" + std::string(password);
}

Result<bool> FakePasswordHasher::Verify(std::string_view password, const std::string* encoded) const {
  ++verifications;
  return encoded != nullptr && (*encoded == "hash:" + std::string(password) ||
                                *encoded == "legacy:" + std::string(password));
}

bool FakePasswordHasher::NeedsRehash(const std::string& encoded) const {
  return encoded.rfind("hash:", 0) != 0;
}

// ---- users ----

Result<domain::User> FakeUserRepository::Create(const domain::User& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  for (const auto& [id, u] : db_.users) {
    if (Lowercase(u.email) == Lowercase(user.email))
      return Status(ErrorKind::kAlreadyExists, "email taken", "email_taken");
    if (Lowercase(u.username) == Lowercase(user.username))
      return Status(ErrorKind::kAlreadyExists, "username taken", "username_taken");
  }
  domain::User stored = user;
  stored.created_at = db_.Now();
  db_.users[stored.id] = stored;
  return stored;
}

Result<std::optional<domain::User>> FakeUserRepository::FindById(const domain::Uuid& id) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.users.find(id);
  if (it == db_.users.end()) return std::optional<domain::User>();
  return std::optional<domain::User>(it->second);
}

Result<std::optional<domain::User>> FakeUserRepository::FindByEmail(std::string_view email) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  for (const auto& [id, u] : db_.users) {
    if (Lowercase(u.email) == email) return std::optional<domain::User>(u);
  }
  return std::optional<domain::User>();
}

Result<std::optional<ports::UserWithQuota>> FakeUserRepository::FindWithQuota(
    const domain::Uuid& id, domain::Time month_start) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.users.find(id);
  if (it == db_.users.end()) return std::optional<ports::UserWithQuota>();
  int used = 0;
  used = db_.QuotaUsed(id, month_start);
  return std::optional<ports::UserWithQuota>(ports::UserWithQuota{it->second, used});
}

Result<std::optional<domain::User>> FakeUserRepository::Update(const domain::Uuid& id,
                                                               const domain::UserChanges& c) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.users.find(id);
  if (it == db_.users.end()) return std::optional<domain::User>();
  for (const auto& [other_id, u] : db_.users) {
    if (other_id == id) continue;
    if (c.email && Lowercase(u.email) == Lowercase(*c.email))
      return Status(ErrorKind::kAlreadyExists, "email taken", "email_taken");
    if (c.username && Lowercase(u.username) == Lowercase(*c.username))
      return Status(ErrorKind::kAlreadyExists, "username taken", "username_taken");
  }
  domain::User& u = it->second;
  if (c.username) u.username = *c.username;
  if (c.email) u.email = *c.email;
  if (c.password_hash) u.password_hash = *c.password_hash;
  if (c.language) u.language = c.language;
  if (c.ghost_mode) u.ghost_mode = *c.ghost_mode;
  if (c.role) u.role = *c.role;
  if (c.subscription_tier) u.subscription_tier = *c.subscription_tier;
  if (c.revoke_access_tokens) ++u.token_generation;
  return std::optional<domain::User>(u);
}

Result<bool> FakeUserRepository::Delete(const domain::Uuid& id) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  if (db_.users.erase(id) == 0) return false;
  // ON DELETE CASCADE.
  std::erase_if(db_.tokens, [&](const StoredToken& t) { return t.user_id == id; });
  std::erase_if(db_.videos, [&](const auto& v) { return v.second.user_id == id; });
  std::set<domain::Uuid> gone;
  for (const auto& [aid, a] : db_.analyses) {
    if (a.analysis.user_id == id) gone.insert(aid);
  }
  std::erase_if(db_.analyses, [&](const auto& a) { return gone.count(a.first) > 0; });
  std::erase_if(db_.deleted_charges, [&](const auto& c) { return c.first == id; });
  std::erase_if(db_.outbox, [&](const ports::OutboxMessage& m) {
    return m.analysis_id && gone.count(*m.analysis_id) > 0;
  });
  db_.profiles.erase(id);
  std::set<domain::Uuid> programs;
  for (const auto& [pid, row] : db_.programs) {
    if (row.stored.user_id == id) programs.insert(pid);
  }
  std::erase_if(db_.programs, [&](const auto& p) { return programs.count(p.first) > 0; });
  std::erase_if(db_.journal, [&](const ports::LoggedSession& s) {
    return programs.count(s.program_id) > 0;
  });
  return true;
}

Result<domain::PageOf<domain::User>> FakeUserRepository::List(const domain::Page& page) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<domain::User> all;
  for (const auto& [id, u] : db_.users) all.push_back(u);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
  });
  domain::PageOf<domain::User> out;
  out.total = static_cast<std::int64_t>(all.size());
  for (size_t i = page.offset(); i < all.size() && out.items.size() < size_t(page.per_page); ++i)
    out.items.push_back(all[i]);
  return out;
}

// ---- tokens ----

Status FakeTokenRepository::Insert(const domain::Uuid& user, const domain::Uuid& family,
                                   std::string_view hash, domain::Time expires_at) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  db_.tokens.push_back({user, family, std::string(hash), expires_at});
  return Status::Ok();
}

Result<ports::TokenRotation> FakeTokenRepository::Rotate(std::string_view hash,
                                                         std::string_view next_hash,
                                                         domain::Time now,
                                                         domain::Time next_expires_at) {
  using Outcome = ports::TokenRotation::Outcome;
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  for (auto& t : db_.tokens) {
    if (t.hash != hash) continue;
    ports::TokenRotation out{Outcome::kRotated, t.user_id, t.family_id};
    if (t.used || t.revoked) {
      out.outcome = Outcome::kSpent;
      return out;
    }
    if (t.expires_at < now) {
      out.outcome = Outcome::kExpired;
      return out;
    }
    t.used = true;
    StoredToken next{t.user_id, t.family_id, std::string(next_hash), next_expires_at};
    db_.tokens.push_back(next);
    return out;
  }
  return ports::TokenRotation{};
}

Status FakeTokenRepository::RevokeFamily(const domain::Uuid& family) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  for (auto& t : db_.tokens) {
    if (t.family_id == family) t.revoked = true;
  }
  return Status::Ok();
}

Status FakeTokenRepository::RevokeFamilyOf(std::string_view hash, const domain::Uuid& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::optional<domain::Uuid> family;
  for (const auto& t : db_.tokens) {
    if (t.hash == hash && t.user_id == user) family = t.family_id;
  }
  if (!family) return Status::Ok();
  for (auto& t : db_.tokens) {
    if (t.family_id == *family) t.revoked = true;
  }
  return Status::Ok();
}

Status FakeTokenRepository::RevokeAll(const domain::Uuid& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  for (auto& t : db_.tokens) {
    if (t.user_id == user) t.revoked = true;
  }
  return Status::Ok();
}

// ---- videos ----

Result<domain::Video> FakeVideoRepository::Create(const domain::Video& video) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  if (!db_.users.count(video.user_id)) return FailedPrecondition("no such user");
  domain::Video v = video;
  v.created_at = db_.Now();
  db_.videos[v.id] = v;
  return v;
}

Result<std::optional<domain::Video>> FakeVideoRepository::FindOwned(const domain::Uuid& id,
                                                                    const domain::Uuid& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.videos.find(id);
  if (it == db_.videos.end() || it->second.user_id != user) return std::optional<domain::Video>();
  return std::optional<domain::Video>(it->second);
}

Result<domain::PageOf<domain::Video>> FakeVideoRepository::ListOwned(const domain::Uuid& user,
                                                                     const domain::Page& page) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<domain::Video> all;
  for (const auto& [id, v] : db_.videos) {
    if (v.user_id == user && v.status != domain::kExpired) all.push_back(v);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
  });
  domain::PageOf<domain::Video> out;
  out.total = static_cast<std::int64_t>(all.size());
  for (size_t i = page.offset(); i < all.size() && out.items.size() < size_t(page.per_page); ++i)
    out.items.push_back(all[i]);
  return out;
}

Result<bool> FakeVideoRepository::MarkUploaded(const domain::Uuid& id, std::int64_t size) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.videos.find(id);
  if (it != db_.videos.end() && it->second.status == domain::kAwaitingUpload) {
    it->second.status = std::string(domain::kUploaded);
    it->second.size_bytes = size;
    return true;
  }
  return false;
}

Result<std::vector<ports::VideoRepository::KeyOwner>> FakeVideoRepository::FindByObjectKeys(
    std::span<const std::string> keys) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::set<std::string> wanted(keys.begin(), keys.end());
  std::vector<KeyOwner> out;
  for (const auto& [id, v] : db_.videos) {
    if (wanted.count(v.object_key)) out.push_back({v.object_key, id, v.status});
  }
  return out;
}

Result<domain::Video> FakeVideoRepository::MarkSaved(const domain::Uuid& id, const std::string& key,
                                                     std::int64_t size) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.videos.find(id);
  if (it == db_.videos.end()) return NotFound("Video not found");
  it->second.status = std::string(domain::kSaved);
  it->second.object_key = key;
  it->second.size_bytes = size;
  return it->second;
}

Result<bool> FakeVideoRepository::DeleteOwned(const domain::Uuid& id, const domain::Uuid& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.videos.find(id);
  if (it == db_.videos.end() || it->second.user_id != user) return false;
  db_.videos.erase(it);
  for (const auto& [aid, a] : db_.analyses)
    if (a.analysis.video_id == id) db_.KeepCharge(a);
  std::erase_if(db_.analyses, [&](const auto& a) { return a.second.analysis.video_id == id; });
  return true;
}

Result<std::vector<domain::Uuid>> FakeVideoRepository::IdsOfUser(const domain::Uuid& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<domain::Uuid> out;
  for (const auto& [id, v] : db_.videos) {
    if (v.user_id == user) out.push_back(id);
  }
  return out;
}

Result<std::vector<domain::Video>> FakeVideoRepository::FindExpiring(
    domain::Time before, const std::optional<Cursor>& after, int limit) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<domain::Video> all;
  for (const auto& [id, v] : db_.videos) {
    bool unsaved = v.status == domain::kAwaitingUpload || v.status == domain::kUploaded;
    bool past = !after || std::pair(v.created_at, v.id) > std::pair(after->created_at, after->id);
    if (unsaved && v.created_at < before && past) all.push_back(v);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::pair(a.created_at, a.id) < std::pair(b.created_at, b.id);
  });
  if (all.size() > static_cast<size_t>(limit)) all.resize(limit);
  return all;
}

Result<int> FakeVideoRepository::MarkExpired(std::span<const domain::Uuid> ids) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  int n = 0;
  for (const auto& id : ids) {
    auto it = db_.videos.find(id);
    if (it == db_.videos.end()) continue;
    auto& v = it->second;
    if (v.status == domain::kAwaitingUpload || v.status == domain::kUploaded) {
      v.status = std::string(domain::kExpired);
      ++n;
    }
  }
  return n;
}

// ---- objects ----

std::optional<Status> FakeObjectStore::Enter(const std::string& name) const {
  if (on_call) on_call(name);
  std::lock_guard l(mu_);
  ++calls_[name];
  return outage_;
}

int FakeObjectStore::calls(const std::string& name) const {
  std::lock_guard l(mu_);
  auto it = calls_.find(name);
  return it == calls_.end() ? 0 : it->second;
}

std::string FakeEtag(const std::string& bytes) {
  return "etag-" + std::to_string(std::hash<std::string>{}(bytes));
}

void FakeObjectStore::Put(const std::string& key, std::string bytes) {
  std::lock_guard l(mu_);
  objects_[key] = std::move(bytes);
}

bool FakeObjectStore::Has(const std::string& key) const {
  std::lock_guard l(mu_);
  return objects_.count(key) > 0;
}

std::set<std::string> FakeObjectStore::Keys() const {
  std::lock_guard l(mu_);
  std::set<std::string> out;
  for (const auto& [k, v] : objects_) out.insert(k);
  return out;
}

void FakeObjectStore::RefuseDelete(const std::string& key) {
  std::lock_guard l(mu_);
  refuse_delete_.insert(key);
}

void FakeObjectStore::AllowDelete(const std::string& key) {
  std::lock_guard l(mu_);
  refuse_delete_.erase(key);
}

void FakeObjectStore::SetOutage(std::optional<Status> s) {
  std::lock_guard l(mu_);
  outage_ = std::move(s);
}

Result<ports::SignedUrl> FakeObjectStore::PresignPut(std::string_view key, std::string_view type,
                                                     std::optional<std::uint64_t> length,
                                                     std::chrono::seconds, domain::Time) const {
  if (auto s = Enter("PresignPut")) return *s;
  ports::SignedUrl url{
      "https://s3.test/" + std::string(key) + "?put", "PUT", {{"Content-Type", std::string(type)}}};
  if (length) url.headers.emplace_back("Content-Length", std::to_string(*length));
  return url;
}

Result<ports::SignedUrl> FakeObjectStore::PresignGet(std::string_view key, std::chrono::seconds,
                                                     domain::Time) const {
  if (auto s = Enter("PresignGet")) return *s;
  return ports::SignedUrl{"https://s3.test/" + std::string(key) + "?get", "GET", {}};
}

Result<ports::StoredObject> FakeObjectStore::Head(std::string_view key) const {
  if (auto s = Enter("Head")) return *s;
  std::lock_guard l(mu_);
  auto it = objects_.find(std::string(key));
  if (it == objects_.end()) return NotFound("no object " + std::string(key));
  return ports::StoredObject{it->first, it->second.size(), FakeEtag(it->second), "", {}};
}

Status FakeObjectStore::Copy(std::string_view from, std::string_view to) const {
  if (auto s = Enter("Copy")) return *s;
  std::lock_guard l(mu_);
  auto it = objects_.find(std::string(from));
  if (it == objects_.end()) return NotFound("no object " + std::string(from));
  objects_[std::string(to)] = it->second;
  return Status::Ok();
}

Status FakeObjectStore::Delete(std::string_view key) const {
  if (auto s = Enter("Delete")) return *s;
  std::lock_guard l(mu_);
  if (refuse_delete_.count(std::string(key))) return Unavailable("delete refused");
  objects_.erase(std::string(key));
  return Status::Ok();
}

Result<std::vector<std::string>> FakeObjectStore::DeleteMany(
    std::span<const std::string> keys) const {
  if (auto s = Enter("DeleteMany")) return *s;
  std::lock_guard l(mu_);
  std::vector<std::string> refused;
  for (const auto& k : keys) {
    if (refuse_delete_.count(k)) {
      refused.push_back(k);
    } else {
      objects_.erase(k);
    }
  }
  return refused;
}

Result<ports::ObjectListing> FakeObjectStore::List(std::string_view prefix,
                                                   std::string_view) const {
  if (auto s = Enter("List")) return *s;
  std::lock_guard l(mu_);
  ports::ObjectListing out;
  for (const auto& [k, v] : objects_) {
    if (k.rfind(prefix, 0) == 0) out.objects.push_back({k, v.size(), FakeEtag(v), "", {}});
  }
  return out;
}

Status FakeObjectStore::Download(std::string_view key, const std::filesystem::path& path,
                                 const ports::DownloadCondition& condition) const {
  if (auto s = Enter("Download")) return *s;
  std::lock_guard l(mu_);
  auto it = objects_.find(std::string(key));
  if (it == objects_.end()) return NotFound("no object " + std::string(key));
  if (!condition.if_match.empty() && condition.if_match != FakeEtag(it->second))
    return Status(ErrorKind::kFailedPrecondition, "HTTP 412", "object_changed");
  if (condition.max_bytes && it->second.size() > *condition.max_bytes)
    return Status(ErrorKind::kInvalidArgument, "too large", "object_too_large");
  std::ofstream out(path, std::ios::binary);
  out << it->second;
  return out ? Status::Ok() : Internal("cannot write " + path.string());
}

Status FakeObjectStore::Upload(std::string_view key, const std::filesystem::path& path,
                               std::string_view) const {
  if (auto s = Enter("Upload")) return *s;
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::lock_guard l(mu_);
  objects_[std::string(key)] = std::move(bytes);
  return Status::Ok();
}

Status FakeObjectStore::Ping() const {
  if (auto s = Enter("Ping")) return *s;
  return Status::Ok();
}

}  // namespace ascension::services::testing

namespace ascension::services::testing {

// ---- analyses ----

domain::Analysis FakeAnalysisRepository::Add(const domain::Uuid& user, const domain::Uuid& video,
                                             std::string status, domain::Time created_at) {
  std::lock_guard l(db_.mu);
  domain::Analysis a;
  a.id = domain::Uuid::Random();
  a.job_id = a.id;
  a.user_id = user;
  a.video_id = video;
  a.status = std::move(status);
  a.created_at = created_at;
  std::string key;
  if (auto v = db_.videos.find(video); v != db_.videos.end()) key = v->second.object_key;
  db_.analyses[a.id] = {a, key, db_.Now()};
  return a;
}

Result<domain::Analysis> FakeAnalysisRepository::CreateUnderQuota(const domain::Analysis& analysis,
                                                                  const std::string& object_key,
                                                                  domain::Time month_start,
                                                                  int quota, const ports::JobFor& job) {
  std::mutex* user_lock;
  {
    std::lock_guard l(user_locks_mu_);
    auto& m = user_locks_[analysis.user_id];
    if (!m) m = std::make_unique<std::mutex>();
    user_lock = m.get();
  }
  std::lock_guard row_lock(*user_lock);  // SELECT ... FROM users FOR UPDATE
  int used = 0;
  {
    std::lock_guard l(db_.mu);
    if (db_.outage) return *db_.outage;
    if (!db_.users.count(analysis.user_id)) return NotFound("User not found");
    used = db_.QuotaUsed(analysis.user_id, month_start);
  }
  if (between_count_and_insert) between_count_and_insert();
  if (used >= quota) return ResourceExhausted("monthly quota reached");
  std::lock_guard l(db_.mu);
  domain::Analysis stored = analysis;
  db_.analyses[stored.id] = {stored, object_key, db_.Now()};
  ports::OutboxMessage m = job(stored, object_key);
  m.id = db_.next_outbox_id++;
  db_.outbox.push_back(m);
  return stored;
}

Result<int> FakeAnalysisRepository::QuotaUsed(const domain::Uuid& user, domain::Time month_start) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  int used = 0;
  used = db_.QuotaUsed(user, month_start);
  return used;
}

Result<std::optional<domain::Analysis>> FakeAnalysisRepository::FindOwned(const domain::Uuid& id,
                                                                          const domain::Uuid& user,
                                                                          bool with_result) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.analysis.user_id != user)
    return std::optional<domain::Analysis>();
  domain::Analysis a = it->second.analysis;
  if (!with_result) a.result_json.reset();
  return std::optional<domain::Analysis>(a);
}

Result<domain::PageOf<domain::Analysis>> FakeAnalysisRepository::ListOwned(
    const domain::Uuid& user, const std::optional<std::string>& status, const domain::Page& page) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  std::vector<domain::Analysis> all;
  for (const auto& [id, a] : db_.analyses) {
    if (a.analysis.user_id == user && (!status || a.analysis.status == *status)) {
      all.push_back(a.analysis);
      all.back().result_json.reset();
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
  });
  domain::PageOf<domain::Analysis> out;
  out.total = static_cast<std::int64_t>(all.size());
  for (size_t i = page.offset(); i < all.size() && out.items.size() < size_t(page.per_page); ++i)
    out.items.push_back(all[i]);
  return out;
}

Result<bool> FakeAnalysisRepository::DeleteOwned(const domain::Uuid& id, const domain::Uuid& user) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.analysis.user_id != user) return false;
  db_.KeepCharge(it->second);
  db_.analyses.erase(it);
  std::erase_if(db_.outbox, [&](const ports::OutboxMessage& m) { return m.analysis_id == id; });
  return true;
}


Result<std::optional<ports::StoredResult>> FakeAnalysisRepository::FindResult(
    const domain::Uuid& id, const domain::Uuid& user, bool /*accept_gzip*/,
    const std::optional<std::string>& if_none_match) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.analysis.user_id != user)
    return std::optional<ports::StoredResult>();
  const domain::Analysis& a = it->second.analysis;
  ports::StoredResult out;
  out.status = a.status;
  if (a.status != "completed" || !a.result_json) return std::optional<ports::StoredResult>(out);
  out.etag = "\"" + HexEncode(Sha256(*a.result_json)).substr(0, 32) + "\"";
  out.not_modified = if_none_match && *if_none_match == *out.etag;
  if (!out.not_modified) out.body = *a.result_json;
  return std::optional<ports::StoredResult>(out);
}

Result<std::optional<domain::Analysis>> FakeAnalysisRepository::StartProcessing(
    const domain::Uuid& id, std::optional<int> dispatch) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end()) return std::optional<domain::Analysis>();
  auto& a = it->second.analysis;
  bool open = a.status == "pending" || a.status == "processing" || a.status == "generating_hints";
  if (!open || (dispatch && *dispatch != a.dispatch)) return std::optional<domain::Analysis>();
  a.status = "processing";
  a.progress = 0;
  a.stage = "starting";
  ++a.attempts;
  it->second.updated_at = db_.Now();
  return std::optional<domain::Analysis>(a);
}

Status FakeAnalysisRepository::UpdateProgress(const domain::Uuid& id, int progress,
                                              const std::string& stage) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end()) return Status::Ok();
  auto& a = it->second.analysis;
  if (a.status != "processing" && a.status != "generating_hints") return Status::Ok();
  a.progress = progress;
  a.stage = stage;
  a.status = stage == "generating_hints" ? "generating_hints" : "processing";
  it->second.updated_at = db_.Now();
  return Status::Ok();
}

Status FakeAnalysisRepository::Complete(const domain::Uuid& id, const std::string& result_json,
                                        const std::string& hints, std::int64_t ms) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.analysis.status == "completed") return Status::Ok();
  auto& a = it->second.analysis;
  a.status = "completed";
  a.progress = 100;
  a.result_json = result_json;
  a.hints = hints;
  a.processing_time_ms = ms;
  a.error_code.reset();
  a.error_message.reset();
  a.completed_at = db_.Now();
  it->second.updated_at = db_.Now();
  return Status::Ok();
}

Status FakeAnalysisRepository::Fail(const domain::Uuid& id, const std::string& code,
                                    const std::string& message) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  auto it = db_.analyses.find(id);
  if (it == db_.analyses.end() || it->second.analysis.status == "completed") return Status::Ok();
  auto& a = it->second.analysis;
  a.status = "failed";
  a.error_code = code;
  a.error_message = message;
  a.completed_at = db_.Now();
  it->second.updated_at = db_.Now();
  return Status::Ok();
}

Result<ports::RecoveryCounts> FakeAnalysisRepository::ReapStuck(
    domain::Time stuck_before,
    const std::function<ports::StuckDecision(const domain::Analysis&, const std::string&)>& decide,
    bool dry_run) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  ports::RecoveryCounts counts;
  for (auto& [id, stored] : db_.analyses) {
    auto& a = stored.analysis;
    bool busy = a.status == "processing" || a.status == "generating_hints";
    if (!busy || !(stored.updated_at < stuck_before)) continue;
    auto decision = decide(a, stored.object_key);
    if (auto* give_up = std::get_if<ports::GiveUp>(&decision)) {
      ++counts.failed;
      if (dry_run) continue;
      a.status = "failed";
      a.error_code = give_up->error_code;
      a.error_message = give_up->error_message;
    } else {
      ++counts.requeued;
      if (dry_run) continue;
      a.status = "pending";
      a.stage = "requeued";
      ++a.requeues;
      ++a.dispatch;
      ports::OutboxMessage m = std::get<ports::Requeue>(decision).job;
      m.id = db_.next_outbox_id++;
      db_.outbox.push_back(m);
    }
    stored.updated_at = db_.Now();
  }
  return counts;
}

Result<int> FakeAnalysisRepository::RequeueLost(domain::Time sent_before, const ports::JobFor& job,
                                                bool dry_run) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  int n = 0;
  for (auto& [id, stored] : db_.analyses) {
    auto& a = stored.analysis;
    if (a.status != "pending" || !(stored.updated_at < sent_before)) continue;
    bool waiting = std::any_of(db_.outbox.begin(), db_.outbox.end(),
                               [&](const ports::OutboxMessage& m) { return m.analysis_id == a.id; });
    bool recent = std::any_of(db_.sent.begin(), db_.sent.end(), [&](const FakeDatabase::Sent& s) {
      return s.message.analysis_id == a.id && !(s.sent_at < sent_before);
    });
    if (waiting || recent) continue;
    ++n;
    if (dry_run) continue;
    ports::OutboxMessage m = job(a, stored.object_key);
    ++a.dispatch;
    a.stage = "requeued";
    m.id = db_.next_outbox_id++;
    db_.outbox.push_back(m);
    stored.updated_at = db_.Now();
  }
  return n;
}

// ---- outbox and broker ----

Result<int> FakeOutboxRepository::Relay(int batch,
                                        const std::function<Status(const ports::OutboxMessage&)>& publish) {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  int sent = 0;
  Status first_error;
  while (!db_.outbox.empty() && sent < batch) {
    Status s = publish(db_.outbox.front());
    if (!s.ok()) {
      first_error = s;
      break;
    }
    db_.sent.push_back({db_.outbox.front(), db_.Now()});
    db_.outbox.erase(db_.outbox.begin());
    ++sent;
  }
  if (sent == 0 && !first_error.ok()) return first_error;
  return sent;
}

Result<int> FakeOutboxRepository::Backlog() {
  std::lock_guard l(db_.mu);
  if (db_.outage) return *db_.outage;
  return static_cast<int>(db_.outbox.size());
}

Status FakeJobPublisher::Publish(const ports::OutboxMessage& message) {
  std::lock_guard l(mu_);
  if (fail_with_) return *fail_with_;
  published_.push_back(message);
  return Status::Ok();
}

std::vector<ports::OutboxMessage> FakeJobPublisher::published() const {
  std::lock_guard l(mu_);
  return published_;
}

void FakeJobPublisher::SetFailure(std::optional<Status> s) {
  std::lock_guard l(mu_);
  fail_with_ = std::move(s);
}

Status FakeEventPublisher::Publish(const domain::JobEvent& event) {
  std::lock_guard l(mu_);
  if (fail) return Unavailable("broker gone");
  events_.push_back(event);
  return Status::Ok();
}

std::vector<domain::JobEvent> FakeEventPublisher::events() const {
  std::lock_guard l(mu_);
  return events_;
}

Result<domain::PoseSequence> FakePoseEstimator::Estimate(const std::filesystem::path& path,
                                                         std::string_view model,
                                                         const std::function<bool(double)>& progress) {
  ++calls;
  last_model = std::string(model);
  if (!std::filesystem::exists(path)) return Internal("no input file");
  for (int i = 1; i <= steps; ++i) {
    if (clock) clock->Advance(step_time);
    if (on_step) on_step(i);
    if (!progress(static_cast<double>(i) / steps)) return Status(ErrorKind::kUnavailable, "cancelled", "cancelled");
  }
  return result;
}

int FakeNotifier::Notify(const std::string& user_id, const std::string& text) {
  if (!online.count(user_id)) return 0;
  sent[user_id].push_back(text);
  return 1;
}

namespace {

class FakeEventSubscription final : public ports::EventSubscription {
 public:
  FakeEventSubscription(FakeEventSource::Script script, std::function<void()>& drained)
      : script_(std::move(script)), drained_(drained) {}

  Result<std::optional<ports::BusEvent>> Next(std::chrono::milliseconds) override {
    if (next_ < script_.events.size()) return std::optional(script_.events[next_++]);
    if (drained_) {
      drained_();
      return std::optional<ports::BusEvent>();
    }
    return script_.end;
  }

 private:
  FakeEventSource::Script script_;
  std::function<void()>& drained_;
  std::size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<ports::EventSubscription>> FakeEventSource::Subscribe(
    const std::atomic<bool>*) {
  if (refusal) return *refusal;
  Script script;
  if (!scripts.empty()) {
    script = std::move(scripts.front());
    scripts.pop_front();
  }
  ++subscriptions;
  return std::unique_ptr<ports::EventSubscription>(
      std::make_unique<FakeEventSubscription>(std::move(script), drained));
}

}  // namespace ascension::services::testing
