#include "services/sweeper.hpp"

#include <map>
#include <set>

#include "common/log.hpp"

namespace ascension::services {

Sweeper::Sweeper(ports::VideoRepository& videos, const ports::ObjectStore& objects,
                 const ports::Clock& clock, std::chrono::seconds retention, int batch)
    : videos_(videos), objects_(objects), clock_(clock), retention_(retention), batch_(batch) {}

Result<SweepReport> Sweeper::RunOnce() {
  SweepReport report;
  if (Status s = ExpireOld(report); !s.ok()) return s;
  if (Status s = SweepOrphans(report); !s.ok()) return s;
  return report;
}

Status Sweeper::ExpireOld(SweepReport& report) {
  domain::Time before = clock_.Now() - retention_;
  std::optional<ports::VideoRepository::Cursor> cursor;
  while (true) {
    auto batch = videos_.FindExpiring(before, cursor, batch_);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return Status::Ok();
    cursor = ports::VideoRepository::Cursor{batch->back().created_at, batch->back().id};
    std::vector<std::string> keys;
    for (const auto& v : *batch) keys.push_back(v.object_key);
    auto refused = objects_.DeleteMany(keys);
    if (!refused.ok()) return refused.status();  // nothing marked; the next pass retries
    std::set<std::string> kept(refused->begin(), refused->end());
    std::vector<domain::Uuid> gone;
    for (const auto& v : *batch) {
      if (!kept.count(v.object_key)) gone.push_back(v.id);
    }
    auto marked = videos_.MarkExpired(gone);
    if (!marked.ok()) return marked.status();
    report.expired += *marked;
    report.refused += static_cast<int>(kept.size());
    if (!kept.empty())
      log::Warn("storage refused to delete expired uploads", {{"count", kept.size()}});
    if (*marked > 0) log::Info("expired uploads swept", {{"count", *marked}});
  }
}

Status Sweeper::SweepOrphans(SweepReport& report) {
  std::string token;
  do {
    auto page = objects_.List("uploads/", token);
    if (!page.ok()) return page.status();
    token = page->next_token;
    std::vector<std::string> keys;
    for (const auto& o : page->objects) keys.push_back(o.key);
    if (keys.empty()) continue;
    auto owners = videos_.FindByObjectKeys(keys);
    if (!owners.ok()) return owners.status();
    std::map<std::string, const ports::VideoRepository::KeyOwner*> by_key;
    for (const auto& o : *owners) by_key[o.object_key] = &o;
    std::vector<std::string> orphans;
    for (const auto& o : page->objects) {
      auto it = by_key.find(o.key);
      const auto* owner = it == by_key.end() ? nullptr : it->second;
      if (owner != nullptr && owner->status == domain::kAwaitingUpload) {
        auto changed = videos_.MarkUploaded(owner->id, static_cast<std::int64_t>(o.size));
        if (!changed.ok()) return changed.status();
        if (*changed) ++report.arrived;
      } else if (owner == nullptr || owner->status != domain::kUploaded) {
        orphans.push_back(o.key);
      }
    }
    if (orphans.empty()) continue;
    auto refused = objects_.DeleteMany(orphans);
    if (!refused.ok()) return refused.status();  // retried next pass
    report.orphans += static_cast<int>(orphans.size() - refused->size());
    report.refused += static_cast<int>(refused->size());
    log::Info("orphaned uploads deleted",
              {{"count", orphans.size() - refused->size()}, {"refused", refused->size()}});
  } while (!token.empty());
  return Status::Ok();
}

}  // namespace ascension::services
