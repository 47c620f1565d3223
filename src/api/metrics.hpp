// The API's Prometheus metrics (prometheus-cpp core) and the text exposition at /metrics,
// including process figures read from /proc (CPU seconds, resident memory, open fds).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ascension::api {

// The method label of a request: one of the seven methods the API serves, else "OTHER".
const std::string& MethodLabel(const std::string& method);

class ApiMetrics {
 public:
  ApiMetrics();

  void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
  prometheus::Gauge& in_flight() { return *in_flight_; }
  prometheus::Gauge& websocket_connections() { return *ws_connections_; }
  prometheus::Gauge& db_pool_in_use() { return *db_in_use_; }
  prometheus::Gauge& db_pool_idle() { return *db_idle_; }
  prometheus::Gauge& outbox_backlog() { return *outbox_backlog_; }
  prometheus::Counter& events_forwarded() { return *events_forwarded_; }
  prometheus::Counter& jobs_published() { return *jobs_published_; }
  prometheus::Counter& events_dropped() { return *events_dropped_; }
  prometheus::Gauge& loop_up(const std::string& loop) { return loop_up_->Add({{"loop", loop}}); }
  prometheus::Counter& loop_crashes(const std::string& loop) { return loop_crashes_->Add({{"loop", loop}}); }
  // Hold corrections climbers make, by action (added, deleted, moved...): the detection's precision.
  prometheus::Counter& route_corrections(const std::string& action) {
    return route_corrections_->Add({{"action", action}});
  }

  // Storage (the setup document's upload success rate, storage used, downloads). `prefix` is the
  // first segment of an object key: uploads, saved, routes, thumbnails, else "other".
  static std::string PrefixLabel(std::string_view key);
  prometheus::Counter& upload_urls_issued(std::string_view key) {
    return upload_urls_->Add({{"prefix", PrefixLabel(key)}});
  }
  prometheus::Counter& presigned_gets_issued(std::string_view key) {
    return presigned_gets_->Add({{"prefix", PrefixLabel(key)}});
  }
  prometheus::Counter& uploads_arrived() { return *uploads_arrived_; }
  prometheus::Counter& analyses_started() { return *analyses_started_; }
  // The last measure of the bucket by prefix ("uploads/" -> label uploads).
  void SetStorageUsage(std::string_view prefix, double objects, double bytes);
  prometheus::Gauge& storage_measured_at() { return *storage_measured_at_; }

  // Prometheus text format of every metric plus the process metrics.
  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Gauge* in_flight_;
  prometheus::Gauge* ws_connections_;
  prometheus::Gauge* db_in_use_;
  prometheus::Gauge* db_idle_;
  prometheus::Gauge* outbox_backlog_;
  prometheus::Counter* events_forwarded_;
  prometheus::Counter* jobs_published_;
  prometheus::Counter* events_dropped_;
  prometheus::Family<prometheus::Gauge>* loop_up_;
  prometheus::Family<prometheus::Counter>* loop_crashes_;
  prometheus::Family<prometheus::Counter>* upload_urls_;
  prometheus::Family<prometheus::Counter>* presigned_gets_;
  prometheus::Counter* uploads_arrived_;
  prometheus::Counter* analyses_started_;
  prometheus::Family<prometheus::Gauge>* storage_bytes_;
  prometheus::Family<prometheus::Gauge>* storage_objects_;
  prometheus::Gauge* storage_measured_at_;
  prometheus::Family<prometheus::Counter>* route_corrections_;
  const std::uint64_t serial_;  // which ApiMetrics a thread's cached series belong to
};

}  // namespace ascension::api
