// Processing one vision.holds job message (the worker's rules for routes, independent of the
// broker; the same rules as analyses):
//  - a message that cannot be read is rejected to the dead-letter queue at once with a log line
//    naming the field (the reaper later re-queues its route with a message built from the row);
//  - a job whose route is gone, no longer detecting, or re-queued since (another dispatch
//    number) is acknowledged and skipped: redelivery is idempotent;
//  - otherwise the route is marked started, its photo downloaded (or, for a route built from an
//    analysis, the video downloaded, the wall image built from the analysis's poses and stored
//    as the route's image) to temporary files that are always removed, the holds detected and
//    stored, and route events published (holds.progress|detected|failed.<route_id>);
//  - once the holds are stored (and before route:detected), every completed analysis climbed on
//    the route or that it was built from gains route.holds_used when it lacks it
//    (FillHoldsUsed, services/route_section.hpp); a redelivered copy of the completing job does
//    it again (a no-op once done);
//  - a permanent failure (the photo or the video itself) fails the route at once with its code;
//  - a transient failure is retried through vision.holds.retry with a backoff of 2^attempt s,
//    max_attempts times, then the route fails and the message is dead-lettered;
//  - a stop request gives the job back to the queue.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "domain/language.hpp"
#include "domain/messages.hpp"
#include "ports/clock.hpp"
#include "ports/hold_detector.hpp"
#include "ports/object_store.hpp"
#include "ports/route_repository.hpp"
#include "services/delivery.hpp"

namespace ascension::services {

struct RouteDetectionOptions {
  int max_attempts = 3;
  std::filesystem::path tmp_dir = "/tmp";
  std::int64_t max_photo_bytes = 25LL * 1024 * 1024;
  domain::Language language = domain::Language::kFr;  // of the stored failure message
  std::chrono::milliseconds progress_interval{500};
  std::chrono::milliseconds keep_alive_interval{5000};
};

using RouteDelivery = Delivery;

// The verdict on a route job, with what the detection found.
struct RouteVerdict : Verdict {
  std::string error_code;
  int holds = 0;  // detected
};

class RouteDetection {
 public:
  RouteDetection(ports::RouteRepository& routes, const ports::ObjectStore& objects,
                 ports::HoldDetector& detector, ports::RouteEventPublisher& events,
                 const ports::Clock& clock, const std::atomic<bool>& stopping,
                 RouteDetectionOptions options);

  RouteVerdict Handle(const RouteDelivery& delivery);

 private:
  struct Failure {
    std::string code;     // a FailureCode name, or "cancelled"
    std::string message;  // for the log
  };
  std::optional<Failure> Run(const domain::HoldsJobMessage& job, const domain::Route& route,
                             const RouteDelivery& delivery, int* holds);
  void Publish(const domain::RouteEvent& e);
  // FillHoldsUsed for a route whose detection completed (`route` as it is now: ready, with its
  // image size); failures are logged.
  void FillAnalyses(const domain::Route& route);

  ports::RouteRepository& routes_;
  const ports::ObjectStore& objects_;
  ports::HoldDetector& detector_;
  ports::RouteEventPublisher& events_;
  const ports::Clock& clock_;
  const std::atomic<bool>& stopping_;
  RouteDetectionOptions options_;
};

}  // namespace ascension::services
