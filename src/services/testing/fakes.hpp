// In-memory implementations of the ports for unit tests of the services: one FakeDatabase holds
// every table (so deleting an account cascades as in PostgreSQL), the repositories are views of
// it, and the clock, the object store, the broker and the pose estimator are programmable.
// Thread-safe where the services use them from several threads (the database, the publishers).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "ports/analysis_repository.hpp"
#include "ports/clock.hpp"
#include "ports/event_source.hpp"
#include "ports/job_bus.hpp"
#include "ports/notifier.hpp"
#include "ports/object_store.hpp"
#include "ports/outbox.hpp"
#include "ports/password_hasher.hpp"
#include "ports/pose_estimator.hpp"
#include "ports/program_repository.hpp"
#include "ports/token_repository.hpp"
#include "ports/user_repository.hpp"
#include "ports/video_repository.hpp"

namespace ascension::services::testing {

class FakeClock final : public ports::Clock {
 public:
  explicit FakeClock(domain::Time start = domain::FromUnixMillis(1767225600000))  // 2026-01-01
      : now_(start) {}
  domain::Time Now() const override {
    std::lock_guard l(mu_);
    return now_;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard l(mu_);
    now_ += d;
  }
  void Set(domain::Time t) {
    std::lock_guard l(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  domain::Time now_;
};

// "hash:" + password; Verify of an unknown account still "works" (and fails). "legacy:" +
// password stands for an imported (bcrypt) hash: it verifies and needs a rehash.
class FakePasswordHasher final : public ports::PasswordHasher {
 public:
  Result<std::string> Hash(std::string_view password) const override;
  Result<bool> Verify(std::string_view password, const std::string* encoded) const override;
  bool NeedsRehash(const std::string& encoded) const override;
  mutable int verifications = 0;
};

struct StoredToken {
  domain::Uuid user_id;
  domain::Uuid family_id;
  std::string hash;
  domain::Time expires_at;
  bool used = false;
  bool revoked = false;
};

struct StoredAnalysis {
  domain::Analysis analysis;
  std::string object_key;
  domain::Time updated_at;
};

// Every table. Tests may read and change the fields directly (under `mu`, or when no service
// thread runs).
struct FakeDatabase {
  std::mutex mu;
  std::map<domain::Uuid, domain::User> users;
  std::vector<StoredToken> tokens;
  std::map<domain::Uuid, domain::Video> videos;
  std::map<domain::Uuid, StoredAnalysis> analyses;
  // The quota charges of deleted analyses that had not failed (user, created_at): a deletion does
  // not give the slot back (quota_charges).
  std::vector<std::pair<domain::Uuid, domain::Time>> deleted_charges;
  // Records the charge of `a` before it is deleted. Call under `mu`.
  void KeepCharge(const StoredAnalysis& a) {
    if (a.analysis.status != "failed")
      deleted_charges.emplace_back(a.analysis.user_id, a.analysis.created_at);
  }
  // The quota `user` used since `since`. Call under `mu`.
  int QuotaUsed(const domain::Uuid& user, domain::Time since) const;
  std::vector<ports::OutboxMessage> outbox;  // unsent, in id order
  struct Sent {
    ports::OutboxMessage message;
    domain::Time sent_at;
  };
  std::vector<Sent> sent;
  std::int64_t next_outbox_id = 1;
  // Climber profiles by user; programs by id (with whether each is its user's active one); the
  // journal in insertion order (training_fakes.hpp).
  std::map<domain::Uuid, domain::ClimberProfile> profiles;
  struct ProgramRow {
    ports::StoredProgram stored;
    bool active = true;
  };
  std::map<domain::Uuid, ProgramRow> programs;
  std::vector<ports::LoggedSession> journal;
  const ports::Clock* clock = nullptr;  // for created_at / updated_at / sent_at
  // When set, every call fails with this status (a database outage).
  std::optional<Status> outage;

  domain::Time Now() const { return clock ? clock->Now() : domain::Time{}; }
};

class FakeUserRepository final : public ports::UserRepository {
 public:
  explicit FakeUserRepository(FakeDatabase& db) : db_(db) {}
  Result<domain::User> Create(const domain::User& user) override;
  Result<std::optional<domain::User>> FindById(const domain::Uuid& id) override;
  Result<std::optional<domain::User>> FindByEmail(std::string_view email) override;
  Result<std::optional<ports::UserWithQuota>> FindWithQuota(const domain::Uuid& id,
                                                            domain::Time month_start) override;
  Result<std::optional<domain::User>> Update(const domain::Uuid& id,
                                             const domain::UserChanges& changes) override;
  Result<bool> Delete(const domain::Uuid& id) override;
  Result<domain::PageOf<domain::User>> List(const domain::Page& page) override;

 private:
  FakeDatabase& db_;
};

class FakeTokenRepository final : public ports::TokenRepository {
 public:
  explicit FakeTokenRepository(FakeDatabase& db) : db_(db) {}
  Status Insert(const domain::Uuid& user_id, const domain::Uuid& family_id,
                std::string_view token_hash, domain::Time expires_at) override;
  Result<ports::TokenRotation> Rotate(std::string_view hash, std::string_view next_hash,
                                      domain::Time now, domain::Time next_expires_at) override;
  Status RevokeFamily(const domain::Uuid& family_id) override;
  Status RevokeFamilyOf(std::string_view hash, const domain::Uuid& user_id) override;
  Status RevokeAll(const domain::Uuid& user_id) override;

 private:
  FakeDatabase& db_;
};

class FakeVideoRepository final : public ports::VideoRepository {
 public:
  explicit FakeVideoRepository(FakeDatabase& db) : db_(db) {}
  Result<domain::Video> Create(const domain::Video& video) override;
  Result<std::optional<domain::Video>> FindOwned(const domain::Uuid& id,
                                                 const domain::Uuid& user_id) override;
  Result<domain::PageOf<domain::Video>> ListOwned(const domain::Uuid& user_id,
                                                  const domain::Page& page) override;
  Result<bool> MarkUploaded(const domain::Uuid& id, std::int64_t size_bytes) override;
  Result<std::vector<KeyOwner>> FindByObjectKeys(std::span<const std::string> keys) override;
  Result<domain::Video> MarkSaved(const domain::Uuid& id, const std::string& saved_key,
                                  std::int64_t size_bytes) override;
  Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) override;
  Result<std::vector<domain::Uuid>> IdsOfUser(const domain::Uuid& user_id) override;
  Result<std::vector<domain::Video>> FindExpiring(domain::Time created_before,
                                                  const std::optional<Cursor>& after,
                                                  int limit) override;
  Result<int> MarkExpired(std::span<const domain::Uuid> ids) override;

 private:
  FakeDatabase& db_;
};

// Objects in a map. Failures are programmable per key (delete refused) or for every call.
// The ETag the fake store gives `bytes` (changes with the content, as on S3).
std::string FakeEtag(const std::string& bytes);

class FakeObjectStore final : public ports::ObjectStore {
 public:
  void Put(const std::string& key, std::string bytes);
  bool Has(const std::string& key) const;
  std::set<std::string> Keys() const;
  // Deleting these keys is refused (DeleteMany reports them; Delete fails).
  void RefuseDelete(const std::string& key);
  void AllowDelete(const std::string& key);
  // Every call fails with this status until cleared.
  void SetOutage(std::optional<Status> s);
  // Called at the start of each call with its name ("Head", "DeleteMany", ...): lets a test
  // observe what the service does while holding what.
  std::function<void(const std::string&)> on_call;
  int calls(const std::string& name) const;

  Result<ports::SignedUrl> PresignPut(std::string_view key, std::string_view content_type,
                                      std::optional<std::uint64_t> content_length,
                                      std::chrono::seconds ttl, domain::Time now) const override;
  Result<ports::SignedUrl> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                      domain::Time now) const override;
  Result<ports::StoredObject> Head(std::string_view key) const override;
  Status Copy(std::string_view from_key, std::string_view to_key) const override;
  Status Delete(std::string_view key) const override;
  Result<std::vector<std::string>> DeleteMany(std::span<const std::string> keys) const override;
  Result<ports::ObjectListing> List(std::string_view prefix, std::string_view token) const override;
  Status Download(std::string_view key, const std::filesystem::path& path,
                  const ports::DownloadCondition& condition) const override;
  Status Upload(std::string_view key, const std::filesystem::path& path,
                std::string_view content_type) const override;
  Status Ping() const override;

 private:
  std::optional<Status> Enter(const std::string& name) const;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::string> objects_;  // mutable: the port is const
  std::set<std::string> refuse_delete_;
  std::optional<Status> outage_;
  mutable std::map<std::string, int> calls_;
};

class FakeAnalysisRepository final : public ports::AnalysisRepository {
 public:
  explicit FakeAnalysisRepository(FakeDatabase& db) : db_(db) {}
  Result<domain::Analysis> CreateUnderQuota(const domain::Analysis& analysis,
                                            const std::string& object_key,
                                            domain::Time month_start, int quota,
                                            const ports::JobFor& job) override;
  Result<int> QuotaUsed(const domain::Uuid& user_id, domain::Time month_start) override;
  Result<std::optional<domain::Analysis>> FindOwned(const domain::Uuid& id,
                                                    const domain::Uuid& user_id,
                                                    bool with_result) override;
  Result<domain::PageOf<domain::Analysis>> ListOwned(const domain::Uuid& user_id,
                                                     const std::optional<std::string>& status,
                                                     const domain::Page& page) override;
  Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) override;
  // Keeps no gzip copy (the document is always served as it is); the ETag is the document's
  // SHA-256, as PostgreSQL's (store::EncodeResult).
  Result<std::optional<ports::StoredResult>> FindResult(
      const domain::Uuid& id, const domain::Uuid& user_id, bool accept_gzip,
      const std::optional<std::string>& if_none_match) override;
  Result<std::optional<domain::Analysis>> StartProcessing(const domain::Uuid& id,
                                                          std::optional<int> dispatch) override;
  Status UpdateProgress(const domain::Uuid& id, int progress, const std::string& stage) override;
  Status Complete(const domain::Uuid& id, const std::string& result_json, const std::string& hints,
                  std::int64_t processing_time_ms) override;
  Status Fail(const domain::Uuid& id, const std::string& error_code,
              const std::string& error_message) override;
  Result<ports::RecoveryCounts> ReapStuck(
      domain::Time stuck_before,
      const std::function<ports::StuckDecision(const domain::Analysis&, const std::string&)>& decide,
      bool dry_run) override;
  Result<int> RequeueLost(domain::Time sent_before, const ports::JobFor& job, bool dry_run) override;

  // Test helper: a stored analysis of a video (created_at = now, status pending).
  domain::Analysis Add(const domain::Uuid& user, const domain::Uuid& video, std::string status,
                       domain::Time created_at);
  // While held (Start... returns), CreateUnderQuota calls this between its count and its insert:
  // lets a test interleave concurrent creations.
  std::function<void()> between_count_and_insert;

 private:
  FakeDatabase& db_;
  std::mutex user_locks_mu_;
  std::map<domain::Uuid, std::unique_ptr<std::mutex>> user_locks_;  // SELECT ... FOR UPDATE
};

class FakeOutboxRepository final : public ports::OutboxRepository {
 public:
  explicit FakeOutboxRepository(FakeDatabase& db) : db_(db) {}
  Result<int> Relay(int batch, const std::function<Status(const ports::OutboxMessage&)>& publish) override;
  Result<int> Backlog() override;

 private:
  FakeDatabase& db_;
};

// Records what was published; fails while `fail_with` is set.
class FakeJobPublisher final : public ports::JobPublisher {
 public:
  Status Publish(const ports::OutboxMessage& message) override;
  std::vector<ports::OutboxMessage> published() const;
  void SetFailure(std::optional<Status> s);

 private:
  mutable std::mutex mu_;
  std::vector<ports::OutboxMessage> published_;
  std::optional<Status> fail_with_;
};

class FakeEventPublisher final : public ports::EventPublisher {
 public:
  Status Publish(const domain::JobEvent& event) override;
  std::vector<domain::JobEvent> events() const;
  bool fail = false;

 private:
  mutable std::mutex mu_;
  std::vector<domain::JobEvent> events_;
};

// Calls progress over `steps` steps (advancing `clock` by `step_time` each), then returns
// `result`; honours cancellation like the vision pipeline ("cancelled").
class FakePoseEstimator final : public ports::PoseEstimator {
 public:
  Result<domain::PoseSequence> Estimate(const std::filesystem::path& path, std::string_view model,
                                        const std::function<bool(double)>& progress) override;
  Result<domain::PoseSequence> result = domain::PoseSequence{};
  int steps = 4;
  FakeClock* clock = nullptr;
  std::chrono::milliseconds step_time{100};
  std::function<void(int step)> on_step;  // e.g. request a stop mid-job
  int calls = 0;
  std::string last_model;
};

// Collects what each user would have received.
class FakeNotifier final : public ports::Notifier {
 public:
  int Notify(const std::string& user_id, const std::string& text) override;
  std::map<std::string, std::vector<std::string>> sent;
  std::set<std::string> online;  // users with a connection
};

// The bus's events, scripted: while `refusal` is set, Subscribe fails with it; otherwise each
// subscription takes the next script (none left: an empty one) and hands out its events in
// order, then calls `drained` (e.g. to stop the loop) and reports "no event" when it is set, or
// ends with the script's `end` (the subscription is lost).
class FakeEventSource final : public ports::EventSource {
 public:
  struct Script {
    std::vector<ports::BusEvent> events;
    Status end = Unavailable("connection to the broker lost");
  };
  Result<std::unique_ptr<ports::EventSubscription>> Subscribe(
      const std::atomic<bool>* stop) override;

  std::optional<Status> refusal;
  std::deque<Script> scripts;
  std::function<void()> drained;
  int subscriptions = 0;  // successful Subscribe calls
};

}  // namespace ascension::services::testing
