#include "api/metrics.hpp"

#include "common/process_metrics.hpp"

#include <prometheus/text_serializer.h>

#include <atomic>
#include <sstream>
#include <unordered_map>

namespace ascension::api {
namespace {

// Tells the metrics objects of one process apart (a test may make several, one after another).
std::atomic<std::uint64_t> next_serial{1};

struct RequestSeries {
  prometheus::Counter* requests;
  prometheus::Histogram* latency;
};

}  // namespace

ApiMetrics::ApiMetrics()
    : registry_(std::make_shared<prometheus::Registry>()), serial_(next_serial++) {
  requests_ = &prometheus::BuildCounter()
                   .Name("http_requests_total")
                   .Help("HTTP requests by method, route template and status")
                   .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("http_request_duration_seconds")
                  .Help("HTTP request latency by method and route template")
                  .Register(*registry_);
  in_flight_ = &prometheus::BuildGauge().Name("http_requests_in_flight").Help("Requests being handled").Register(*registry_).Add({});
  ws_connections_ = &prometheus::BuildGauge().Name("websocket_connections").Help("Open WebSocket connections").Register(*registry_).Add({});
  auto& pool = prometheus::BuildGauge().Name("db_pool_connections").Help("Database pool connections by state").Register(*registry_);
  db_in_use_ = &pool.Add({{"state", "in_use"}});
  db_idle_ = &pool.Add({{"state", "idle"}});
  outbox_backlog_ = &prometheus::BuildGauge().Name("outbox_unsent_messages").Help("Outbox rows not yet confirmed by RabbitMQ").Register(*registry_).Add({});
  events_forwarded_ = &prometheus::BuildCounter().Name("websocket_events_forwarded_total").Help("Job events pushed to WebSocket clients").Register(*registry_).Add({});
  jobs_published_ = &prometheus::BuildCounter().Name("jobs_published_total").Help("Outbox messages confirmed by RabbitMQ").Register(*registry_).Add({});
  events_dropped_ = &prometheus::BuildCounter()
                         .Name("events_dropped_total")
                         .Help("Job events that could not be read (wrong type, not JSON) and were dropped")
                         .Register(*registry_)
                         .Add({});
  loop_up_ = &prometheus::BuildGauge()
                  .Name("background_loop_up")
                  .Help("1 while a background loop (outbox_relay, events_forwarder, sweeper, reaper) runs")
                  .Register(*registry_);
  loop_crashes_ = &prometheus::BuildCounter()
                       .Name("background_loop_crashes_total")
                       .Help("Rounds of a background loop ended by an unexpected exception (then restarted)")
                       .Register(*registry_);
  upload_urls_ = &prometheus::BuildCounter()
                      .Name("storage_upload_urls_issued_total")
                      .Help("Presigned upload (PUT) URLs issued, by key prefix")
                      .Register(*registry_);
  presigned_gets_ = &prometheus::BuildCounter()
                         .Name("storage_presigned_gets_issued_total")
                         .Help("Presigned download (GET) URLs issued, by key prefix")
                         .Register(*registry_);
  uploads_arrived_ =
      &prometheus::BuildCounter()
           .Name("storage_uploads_arrived_total")
           .Help("Uploaded videos first found in the store (at POST /v1/analyses or on saving)")
           .Register(*registry_)
           .Add({});
  analyses_started_ = &prometheus::BuildCounter()
                           .Name("analyses_started_total")
                           .Help("Analyses accepted by POST /v1/analyses")
                           .Register(*registry_)
                           .Add({});
  storage_bytes_ = &prometheus::BuildGauge()
                        .Name("storage_bytes")
                        .Help(
                            "Bytes stored under each key prefix, as last measured "
                            "(STORAGE_USAGE_INTERVAL_SECONDS)")
                        .Register(*registry_);
  storage_objects_ = &prometheus::BuildGauge()
                          .Name("storage_objects")
                          .Help("Objects stored under each key prefix, as last measured")
                          .Register(*registry_);
  storage_measured_at_ = &prometheus::BuildGauge()
                              .Name("storage_usage_measured_timestamp_seconds")
                              .Help("When the bucket was last measured (0: not yet)")
                              .Register(*registry_)
                              .Add({});
  route_corrections_ = &prometheus::BuildCounter()
                            .Name("route_hold_corrections_total")
                            .Help("Corrections of route holds by climbers, by action (added, deleted, moved...)")
                            .Register(*registry_);
  // Every series exists from the start (0), so rates and ratios have data before the first event.
  for (const char* p : {"uploads", "routes"}) upload_urls_->Add({{"prefix", p}});
  for (const char* p : {"uploads", "saved", "routes", "thumbnails"})
    presigned_gets_->Add({{"prefix", p}});
}

std::string ApiMetrics::PrefixLabel(std::string_view key) {
  static const std::string_view kKnown[] = {"uploads", "saved", "routes", "thumbnails"};
  std::string_view first = key.substr(0, key.find('/'));
  for (auto k : kKnown) {
    if (first == k && key.size() > first.size()) return std::string(k);
  }
  return "other";
}

void ApiMetrics::SetStorageUsage(std::string_view prefix, double objects, double bytes) {
  std::string label = PrefixLabel(prefix);
  storage_bytes_->Add({{"prefix", label}}).Set(bytes);
  storage_objects_->Add({{"prefix", label}}).Set(objects);
}

const std::string& MethodLabel(const std::string& method) {
  static const std::string kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const std::string kOther = "OTHER";
  for (const auto& m : kKnown) {
    if (method == m) return m;
  }
  return kOther;
}

void ApiMetrics::ObserveRequest(const std::string& raw_method, const std::string& route, int status,
                                double seconds) {
  // Label values are bounded: a client picks the method, so any other is one "OTHER" series
  // (an 8,000-character method used to add a series to /metrics for ever). Routes are already
  // templates, "unmatched" or "/{web}".
  const std::string& method = MethodLabel(raw_method);
  // Each thread keeps the series it has counted into: the families' lock and their label maps
  // are taken only the first time a thread meets a method, route and status, so handler threads
  // do not queue on one lock (nor build label maps) to count a request. Bounded like the labels.
  thread_local std::unordered_map<std::string, RequestSeries> series;
  thread_local std::uint64_t series_of = 0;
  if (series_of != serial_) {
    series.clear();
    series_of = serial_;
  }
  const std::string status_text = std::to_string(status);
  std::string key;
  key.reserve(method.size() + route.size() + status_text.size() + 2);
  key.append(method).append(1, ' ').append(route).append(1, ' ').append(status_text);
  auto it = series.find(key);
  if (it == series.end()) {
    static const prometheus::Histogram::BucketBoundaries kBuckets = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    RequestSeries s{&requests_->Add({{"method", method}, {"route", route}, {"status", status_text}}),
                    &latency_->Add({{"method", method}, {"route", route}}, kBuckets)};
    it = series.emplace(std::move(key), s).first;
  }
  it->second.requests->Increment();
  it->second.latency->Observe(seconds);
}

std::string ApiMetrics::Render() {
  prometheus::TextSerializer serializer;
  std::ostringstream out;
  serializer.Serialize(out, registry_->Collect());
  return out.str() + ProcessMetricsText();
}

}  // namespace ascension::api
