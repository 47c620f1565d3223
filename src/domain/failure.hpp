// Why an analysis failed: one list of codes, each permanent (the input itself is bad: retrying
// cannot help, the analysis fails at once) or transient (a dependency failed: the job is retried
// with backoff, then dead-lettered), with the sentence the app shows in French and English. The
// worker, the reaper, the API (`error.code` of a failed analysis, `analysis:failed` events) and
// docs/architecture.md all use this table.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "domain/language.hpp"

namespace ascension::domain {

enum class FailureCode {
  kEmptyFile,              // permanent: the uploaded file has no bytes
  kNotAVideo,              // permanent: no video container or stream
  kCorruptVideo,           // permanent: a container that cannot be decoded
  kUnsupportedDimensions,  // permanent: too small or too many pixels
  kVideoTooLong,           // permanent: over MAX_VIDEO_SECONDS
  kNoClimberFound,         // permanent: no pose in any frame
  kVideoNotFound,          // permanent: the object is gone from storage
  kVideoChanged,           // permanent: the object was replaced after the analysis was accepted
  kVideoTooLarge,          // permanent: the object is larger than MAX_VIDEO_BYTES
  kInvalidJob,             // permanent: the job message cannot be read
  kProcessingTimeout,      // permanent: re-queued too often by the reaper
  // Hold detection (routes) — the photo or the wall image:
  kImageTooLarge,        // permanent: over the photo size limit
  kHeicUnsupported,      // permanent: HEIC/HEIF/AVIF (export as JPEG)
  kUnsupportedFormat,    // permanent: not a JPEG, PNG or WebP
  kCorruptImage,         // permanent: the image does not decode
  kPhotoNotFound,        // permanent: the photo is not (or no longer) in storage
  kAnalysisNotFound,     // permanent: the analysis a route is built from is gone or has no poses
  kStorageUnavailable,   // transient: the object store failed
  kDatabaseUnavailable,  // transient: PostgreSQL failed
  kInternal,             // transient: anything else (models, memory, a bug)
};

struct FailureInfo {
  FailureCode code;
  std::string_view name;  // snake_case, as stored in analyses.error_code and sent to clients
  bool permanent;
  std::string_view message_en;
  std::string_view message_fr;
};

// Every code, in declaration order.
std::span<const FailureInfo> AllFailures();
const FailureInfo& Describe(FailureCode code);

std::string_view FailureName(FailureCode code);
bool IsPermanent(FailureCode code);
std::string_view UserMessage(FailureCode code, Language language);
// The code named `name` ("not_a_video"); nullopt for an unknown name.
std::optional<FailureCode> ParseFailureCode(std::string_view name);

}  // namespace ascension::domain
