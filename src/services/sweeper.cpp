#include "services/sweeper.hpp"

#include <set>

#include "common/log.hpp"

namespace ascension::services {

Sweeper::Sweeper(ports::VideoRepository& videos, const ports::ObjectStore& objects,
                 const ports::Clock& clock, std::chrono::seconds retention, int batch)
    : videos_(videos), objects_(objects), clock_(clock), retention_(retention), batch_(batch) {}

Result<SweepReport> Sweeper::RunOnce() {
  SweepReport report;
  domain::Time before = clock_.Now() - retention_;
  std::optional<ports::VideoRepository::Cursor> cursor;
  while (true) {
    auto batch = videos_.FindExpiring(before, cursor, batch_);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return report;
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

}  // namespace ascension::services
