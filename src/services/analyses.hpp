// Analyses (API side): starting one on an uploaded video under the monthly quota, reading one
// and its result, the history and deletion (the statistics page is services::Stats).
//
// Rules held here: the video must be the caller's, uploaded, not empty, within MAX_VIDEO_BYTES
// and not expired; the object's ETag and size (HEAD) are recorded with the analysis, so the
// worker analyses that version and no replacement; the quota of the caller's tier (freemium 10, premium 30, infinity 100 a UTC
// calendar month: the analyses started in the month, deleted or not, failed ones not counted) is checked and taken atomically with the insert
// of the analysis and its job's outbox message; the job's priority follows the tier; the hints'
// language is Accept-Language, else the profile's, else DEFAULT_LANGUAGE.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/analysis.hpp"
#include "domain/page.hpp"
#include "ports/analysis_repository.hpp"
#include "ports/clock.hpp"
#include "ports/object_store.hpp"
#include "ports/route_repository.hpp"
#include "ports/user_repository.hpp"
#include "ports/video_repository.hpp"
#include "services/principal.hpp"

namespace ascension::services {

struct AnalysesOptions {
  std::int64_t max_video_bytes = 500LL * 1024 * 1024;
  std::string bucket;  // video_url = s3://bucket/key
  domain::Language default_language = domain::Language::kFr;
};

struct StartAnalysis {
  domain::Uuid video_id;
  std::string model = "heavy";                      // lite | full | heavy
  std::optional<domain::Language> accept_language;  // from the request, when it names en or fr
  // The route climbed: the caller's, ready (its holds detected); the worker matches the climb's
  // placements to its holds (result route.holds_used).
  std::optional<domain::Uuid> route_id;
};

// The outbox message that queues `a`'s job: vision.skeleton with the tier's priority and the
// analysis's dispatch number (DESIGN.md's message plus language and dispatch).
ports::OutboxMessage JobFor(const domain::Analysis& a, const std::string& bucket,
                            const std::string& object_key, int dispatch, int attempt = 1);

class Analyses {
 public:
  Analyses(ports::AnalysisRepository& analyses, ports::VideoRepository& videos,
           ports::UserRepository& users, ports::RouteRepository& routes,
           const ports::ObjectStore& objects, const ports::Clock& clock, AnalysesOptions options);

  // The new pending analysis. Errors: kNotFound (no such video or route of the caller's: code
  // "route_not_found" for the route), kFailedPrecondition "route_not_ready" (its holds are not
  // detected),
  // kFailedPrecondition "video_expired" | "video_not_uploaded", kInvalidArgument "video_empty" |
  // "video_too_large" | a bad model, kPermissionDenied "quota_exceeded".
  Result<domain::Analysis> Start(const Principal& caller, const StartAnalysis& request);
  // The caller's analysis with its result; kNotFound otherwise.
  Result<domain::Analysis> Show(const Principal& caller, const domain::Uuid& id);
  // The result document of a completed analysis; kFailedPrecondition "result_not_ready" before.
  Result<std::string> ResultOf(const Principal& caller, const domain::Uuid& id);
  // The same document as GET /v1/analyses/{id}/result serves it: its stored ETag (nothing else
  // when it is `if_none_match`), its stored gzip copy when `accept_gzip` and one is kept, else
  // the document; the repository reads them, nothing is computed per request. kNotFound, or
  // kFailedPrecondition "result_not_ready" before it is completed.
  Result<ports::StoredResult> ServeResult(const Principal& caller, const domain::Uuid& id,
                                          bool accept_gzip,
                                          const std::optional<std::string>& if_none_match);
  Result<domain::PageOf<domain::Analysis>> List(const Principal& caller,
                                                const std::optional<std::string>& status,
                                                const domain::Page& page);
  Status Delete(const Principal& caller, const domain::Uuid& id);

 private:
  ports::AnalysisRepository& analyses_;
  ports::VideoRepository& videos_;
  ports::UserRepository& users_;
  ports::RouteRepository& routes_;
  const ports::ObjectStore& objects_;
  const ports::Clock& clock_;
  AnalysesOptions options_;
};

}  // namespace ascension::services
