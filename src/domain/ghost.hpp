// Ghost mode through the running system (issue 14, F07): the ghost of a route computed by a job
// for its owner's body, stored with the fingerprint of the inputs it was computed from. Plain
// values; no I/O.
//
// States of a route's ghost: computing (a job is on vision.ghost) → ready (the document stored)
// or failed (with a code). A ready ghost whose inputs changed since (holds, selection, scale or
// profile: another fingerprint) is stale. `dispatch` counts the times its job was queued; a job
// carrying another number is a stale copy and is skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/route.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::domain {

enum class GhostStatus { kComputing, kReady, kFailed };

inline std::string_view GhostStatusName(GhostStatus s) {
  switch (s) {
    case GhostStatus::kComputing:
      return "computing";
    case GhostStatus::kReady:
      return "ready";
    case GhostStatus::kFailed:
      break;
  }
  return "failed";
}

inline std::optional<GhostStatus> ParseGhostStatus(std::string_view name) {
  if (name == "computing") return GhostStatus::kComputing;
  if (name == "ready") return GhostStatus::kReady;
  if (name == "failed") return GhostStatus::kFailed;
  return std::nullopt;
}

struct StoredGhost {
  Uuid route_id;
  Uuid user_id;
  GhostStatus status = GhostStatus::kComputing;
  // Of the inputs when the ghost was last requested.
  std::string requested_fingerprint;
  // Of the inputs the stored document was computed from (empty before the first one).
  std::string fingerprint;
  std::string document;  // the ghost document (JSON), empty before the first one
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  Uuid job_id;
  int dispatch = 0;
  int attempts = 0;
  Time requested_at{};
  std::optional<Time> computed_at;
  Time updated_at{};
};

}  // namespace ascension::domain
