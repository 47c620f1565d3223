#include "services/readiness.hpp"

namespace ascension::services {

CachedReadiness::CachedReadiness(const ports::Clock& clock, std::chrono::milliseconds ttl,
                                 Probe probe)
    : clock_(clock), ttl_(ttl), probe_(std::move(probe)) {}

DependencyReport CachedReadiness::Get() {
  std::unique_lock l(mu_);
  for (;;) {
    if (last_ && clock_.Now() - last_->checked_at < ttl_) return *last_;
    if (!probing_) break;
    // Being renewed: the last report now, or (none yet) wait for the first.
    if (last_) return *last_;
    done_.wait(l);
  }
  probing_ = true;
  ++probes_;
  l.unlock();
  DependencyReport report;
  try {
    report.checks = probe_();
  } catch (const std::exception& e) {
    report.checks = {{"probe", Internal(std::string("readiness probe threw: ") + e.what())}};
  }
  report.checked_at = clock_.Now();
  l.lock();
  last_ = report;
  probing_ = false;
  done_.notify_all();
  return report;
}

long CachedReadiness::probes() const {
  std::lock_guard l(mu_);
  return probes_;
}

}  // namespace ascension::services
