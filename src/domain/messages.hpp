// The messages on RabbitMQ (DESIGN.md "RabbitMQ topology"), their encoding and their defensive
// decoding. A decoder never throws: a body that is not JSON, a missing field or a field of the
// wrong type is a kInvalidArgument Status whose message names the field ("job field model must
// be a string").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace ascension::domain {

// A job on vision.skeleton: {"job_id","analysis_id","user_id","video_url":"s3://bucket/key",
// "model","language","attempt","dispatch","created_at"}. Ids are carried as received; the
// consumer parses them into Uuids.
struct JobMessage {
  std::string job_id;
  std::string analysis_id;
  std::string user_id;
  std::string video_url;  // s3://bucket/key
  std::string model;                    // lite | full | heavy; empty: the worker's default
  std::optional<std::string> language;  // "en" | "fr"; unset: the worker's DEFAULT_LANGUAGE
  int attempt = 1;                      // 1 for the first delivery, +1 per transient retry
  std::optional<int> dispatch;          // unset in messages older than the dispatch counter
  std::string created_at;

  // The object key of video_url (after "s3://bucket/").
  std::string ObjectKey() const;
};

std::string EncodeJob(const JobMessage& job);
// Required: job_id, analysis_id, user_id (non-empty strings), video_url (s3://bucket/key).
// Optional: model (lite|full|heavy), language (en|fr), attempt (integer ≥ 1,
// default 1), dispatch (integer ≥ 0), created_at (string). Unknown fields are ignored.
Result<JobMessage> DecodeJob(std::string_view body);
// The same body with `attempt` replaced (the transient-retry copy); other fields untouched.
Result<std::string> WithAttempt(std::string_view body, int attempt);

// An event on ascension.events, routing key skeleton.<kind>.<job_id>.
enum class EventKind { kProgress, kCompleted, kFailed };

struct JobEvent {
  EventKind kind = EventKind::kProgress;
  std::string job_id;
  std::string analysis_id;
  std::string user_id;
  int progress = 0;                                // progress events: 0..100
  std::string stage;                               // progress events
  std::optional<std::int64_t> processing_time_ms;  // completed events
  std::string error_code;                          // failed events
  std::string message;                             // failed events: the user message
};

std::string EventRoutingKey(const JobEvent& e);
std::string EncodeEvent(const JobEvent& e);
// The kind comes from the routing key (skeleton.progress|completed|failed.*; another key is
// kInvalidArgument). Required: user_id (non-empty string). Optional, type-checked: job_id,
// analysis_id, stage, error_code, message (strings), progress (integer 0..100),
// processing_time_ms (integer).
Result<JobEvent> DecodeEvent(std::string_view routing_key, std::string_view body);

// ---- hold detection (routes) ----

// A job on vision.holds: {"job_id","route_id","user_id","source":"photo"|"analysis",
// "image_url":"s3://bucket/routes/{user}/{route}.jpg","analysis_id" (source analysis),
// "attempt","dispatch","created_at"}. A photo route's image is the uploaded photo; an analysis
// route's wall image is built by the worker from the analysed video and stored there.
struct HoldsJobMessage {
  std::string job_id;
  std::string route_id;
  std::string user_id;
  std::string source = "photo";
  std::string image_url;  // s3://bucket/key
  std::optional<std::string> analysis_id;
  int attempt = 1;
  int dispatch = 0;
  std::string created_at;

  std::string ImageKey() const;  // the key of image_url
};

std::string EncodeHoldsJob(const HoldsJobMessage& job);
// Required: job_id, route_id, user_id (non-empty strings), image_url (s3://bucket/key), source
// (photo | analysis; analysis needs analysis_id). Optional: attempt (integer >= 1, default 1),
// dispatch (integer >= 0, default 0), created_at.
Result<HoldsJobMessage> DecodeHoldsJob(std::string_view body);

// An event of a route's detection on ascension.events, routing key holds.<kind>.<route_id>.
enum class RouteEventKind { kProgress, kDetected, kFailed };

struct RouteEvent {
  RouteEventKind kind = RouteEventKind::kProgress;
  std::string job_id;
  std::string route_id;
  std::string user_id;
  int progress = 0;        // progress events: 0..100
  std::string stage;       // progress events
  int hold_count = 0;      // detected events
  std::string error_code;  // failed events
  std::string message;     // failed events: the user message
};

std::string RouteEventRoutingKey(const RouteEvent& e);
std::string EncodeRouteEvent(const RouteEvent& e);
// The kind from the routing key (holds.progress|detected|failed.*; another key is
// kInvalidArgument). Required: user_id, route_id. Optional, type-checked: job_id, stage,
// error_code, message (strings), progress (0..100), hold_count (integer >= 0).
Result<RouteEvent> DecodeRouteEvent(std::string_view routing_key, std::string_view body);
// Binding key matching every route event.
inline constexpr std::string_view kAllRouteEventsKey = "holds.#";

// ---- ghost mode (issue 14) ----

// A job on vision.ghost: {"job_id","route_id","user_id","fingerprint","attempt","dispatch",
// "created_at"}. `fingerprint` is the inputs' fingerprint when the ghost was requested (the
// worker computes from the inputs as they are when it runs, and stores their fingerprint).
struct GhostJobMessage {
  std::string job_id;
  std::string route_id;
  std::string user_id;
  std::string fingerprint;
  int attempt = 1;
  int dispatch = 0;
  std::string created_at;
};

std::string EncodeGhostJob(const GhostJobMessage& job);
// Required: job_id, route_id, user_id (non-empty strings). Optional: fingerprint, created_at
// (strings), attempt (integer >= 1, default 1), dispatch (integer >= 0, default 0).
Result<GhostJobMessage> DecodeGhostJob(std::string_view body);

// An event of a ghost's computation on ascension.events, routing key ghost.<kind>.<route_id>:
// ghost.progress (the worker started computing), ghost.ready (stored; `beta_found` false when
// the route has no beta, the document says why), ghost.failed (error_code, message).
enum class GhostEventKind { kProgress, kReady, kFailed };

struct GhostEvent {
  GhostEventKind kind = GhostEventKind::kProgress;
  std::string job_id;
  std::string route_id;
  std::string user_id;
  int progress = 0;        // progress events: 0..100
  std::string stage;       // progress events
  bool beta_found = true;  // ready events
  std::string error_code;  // failed events
  std::string message;     // failed events: the user message
};

std::string GhostEventRoutingKey(const GhostEvent& e);
std::string EncodeGhostEvent(const GhostEvent& e);
// The kind from the routing key (ghost.progress|ready|failed.*; another key is
// kInvalidArgument). Required: user_id, route_id (non-empty strings). Optional, type-checked:
// job_id, stage, error_code, message (strings), progress (integer 0..100), beta_found (boolean).
Result<GhostEvent> DecodeGhostEvent(std::string_view routing_key, std::string_view body);
// Binding key matching every ghost event.
inline constexpr std::string_view kAllGhostEventsKey = "ghost.#";

}  // namespace ascension::domain
