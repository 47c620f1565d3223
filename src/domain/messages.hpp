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
  std::string model = "heavy";
  std::optional<std::string> language;  // "en" | "fr"; unset: the worker's DEFAULT_LANGUAGE
  int attempt = 1;                      // 1 for the first delivery, +1 per transient retry
  std::optional<int> dispatch;          // unset in messages older than the dispatch counter
  std::string created_at;

  // The object key of video_url (after "s3://bucket/").
  std::string ObjectKey() const;
};

std::string EncodeJob(const JobMessage& job);
// Required: job_id, analysis_id, user_id (non-empty strings), video_url (s3://bucket/key).
// Optional: model (lite|full|heavy, default heavy), language (en|fr), attempt (integer ≥ 1,
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

}  // namespace ascension::domain
