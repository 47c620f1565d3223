// One analysis of one video and its job. States: pending → processing → generating_hints →
// completed, or failed with a FailureCode name. `dispatch` counts the times the job was handed
// to the queue again by the reaper or `ascension-admin requeue`; a job message carrying an older
// dispatch number is a stale copy and is skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/language.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::domain {

struct Analysis {
  Uuid id;
  Uuid user_id;
  Uuid video_id;
  Uuid job_id;  // equals id for analyses created since migration 0002
  std::string status = "pending";
  int progress = 0;
  std::string stage;
  std::string model = "heavy";
  Language language = Language::kFr;
  std::optional<std::string> result_json;  // only when read "with result"
  std::optional<std::string> hints;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<std::int64_t> processing_time_ms;
  int attempts = 0;
  int requeues = 0;
  int priority = 0;
  int dispatch = 0;
  // The video object as it was when the analysis was accepted (HEAD at POST /v1/analyses): the
  // worker analyses exactly that version. Unset for analyses created before migration 0010.
  std::optional<std::string> object_etag;
  std::optional<std::int64_t> object_size;
  // The route climbed (POST /v1/analyses {route_id}): the result gains route.holds_used.
  std::optional<Uuid> route_id;
  Time created_at{};
  std::optional<Time> completed_at;
};

}  // namespace ascension::domain
