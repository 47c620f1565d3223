#include "services/analyses.hpp"


#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"
#include "domain/messages.hpp"
#include "domain/rules.hpp"

namespace ascension::services {
namespace {

Status NoSuchAnalysis() {
  return NotFound("Analysis not found");
}

}  // namespace

ports::OutboxMessage JobFor(const domain::Analysis& a, const std::string& bucket,
                            const std::string& object_key, int dispatch, int attempt) {
  domain::JobMessage m;
  m.job_id = a.job_id.str();
  m.analysis_id = a.id.str();
  m.user_id = a.user_id.str();
  m.video_url = "s3://" + bucket + "/" + object_key;
  m.model = a.model;
  m.language = std::string(domain::LanguageCode(a.language));
  m.attempt = attempt;
  m.dispatch = dispatch;
  m.created_at = domain::FormatTime(a.created_at);
  ports::OutboxMessage out;
  out.exchange = "";
  out.routing_key = std::string(amqp::topology::kJobQueue);
  out.body = domain::EncodeJob(m);
  out.priority = a.priority;
  out.analysis_id = a.id;
  return out;
}

Analyses::Analyses(ports::AnalysisRepository& analyses, ports::VideoRepository& videos,
                   ports::UserRepository& users, ports::RouteRepository& routes,
                   const ports::ObjectStore& objects, const ports::Clock& clock,
                   AnalysesOptions options)
    : analyses_(analyses),
      videos_(videos),
      users_(users),
      routes_(routes),
      objects_(objects),
      clock_(clock),
      options_(std::move(options)) {}

Result<domain::Analysis> Analyses::Start(const Principal& caller, const StartAnalysis& request) {
  if (request.model != "lite" && request.model != "full" && request.model != "heavy")
    return InvalidArgument("model must be lite, full or heavy");
  auto video = videos_.FindOwned(request.video_id, caller.user_id);
  if (!video.ok()) return video.status();
  if (!*video) return NotFound("Video not found");
  const domain::Video& v = **video;
  if (request.route_id) {
    auto route = routes_.FindOwned(*request.route_id, caller.user_id);
    if (!route.ok()) return route.status();
    if (!*route) return Status(ErrorKind::kNotFound, "Route not found", "route_not_found");
    if ((*route)->status != domain::RouteStatus::kReady) {
      return Status(ErrorKind::kFailedPrecondition,
                    "The route's holds are not detected yet (status " +
                        std::string(domain::RouteStatusName((*route)->status)) + ")",
                    "route_not_ready");
    }
  }
  if (v.status == domain::kExpired) {
    return Status(ErrorKind::kFailedPrecondition, "The video has expired, please upload it again",
                  "video_expired");
  }
  auto head = objects_.Head(v.object_key);
  if (!head.ok()) {
    if (head.status().kind() == ErrorKind::kNotFound) {
      return Status(ErrorKind::kFailedPrecondition, "The video has not been uploaded yet",
                    "video_not_uploaded");
    }
    return head.status();
  }
  if (!head->directives.empty()) {
    // Tags, metadata, a redirect... that the upload URL did not sign: the object is not used.
    log::Warn("upload carried unsigned directives", {{"key", v.object_key},
                                                     {"directive", head->directives.front()},
                                                     {"user_id", caller.user_id.str()}});
    (void)objects_.Delete(v.object_key);
    return Status(ErrorKind::kInvalidArgument,
                  "The upload carried storage directives it was not given; upload the video again",
                  "upload_rejected");
  }
  auto size = static_cast<std::int64_t>(head->size);
  if (size == 0)
    return Status(ErrorKind::kInvalidArgument, "The uploaded video is empty", "video_empty");
  if (size > options_.max_video_bytes) {
    return Status(ErrorKind::kInvalidArgument,
                  "The video is larger than the limit of " +
                      std::to_string(options_.max_video_bytes / (1024 * 1024)) + " MB",
                  "video_too_large");
  }
  if (v.status == domain::kAwaitingUpload) (void)videos_.MarkUploaded(v.id, size);

  auto user = users_.FindById(caller.user_id);
  if (!user.ok()) return user.status();
  if (!*user) return NotFound("User not found");
  const std::string& tier = (*user)->subscription_tier;
  domain::Analysis a;
  a.id = domain::Uuid::Random();
  a.job_id = a.id;  // one job per analysis: the job is named by the analysis
  a.user_id = caller.user_id;
  a.video_id = v.id;
  a.route_id = request.route_id;
  a.model = request.model;
  a.language =
      request.accept_language.value_or((*user)->language.value_or(options_.default_language));
  a.priority = domain::JobPriority(tier);
  // The version accepted here is the one the worker analyses (If-Match on this ETag).
  if (!head->etag.empty()) a.object_etag = head->etag;
  a.object_size = size;
  domain::Time now = clock_.Now();
  a.created_at = now;
  int quota = domain::MonthlyQuota(tier);
  auto created =
      analyses_.CreateUnderQuota(a, v.object_key, domain::MonthStart(now), quota,
                                 [this](const domain::Analysis& stored, const std::string& key) {
                                   return JobFor(stored, options_.bucket, key, stored.dispatch);
                                 });
  if (!created.ok()) {
    if (created.status().kind() == ErrorKind::kResourceExhausted) {
      return Status(ErrorKind::kPermissionDenied,
                    "Monthly analysis quota reached (" + std::to_string(quota) + " for the " +
                        tier + " plan)",
                    "quota_exceeded");
    }
    return created.status();
  }
  log::Info("analysis requested",
            {{"analysis_id", created->id.str()}, {"user_id", caller.user_id.str()}});
  return created;
}

Result<domain::Analysis> Analyses::Show(const Principal& caller, const domain::Uuid& id) {
  auto a = analyses_.FindOwned(id, caller.user_id, /*with_result=*/true);
  if (!a.ok()) return a.status();
  if (!*a) return NoSuchAnalysis();
  return std::move(**a);
}

Result<std::string> Analyses::ResultOf(const Principal& caller, const domain::Uuid& id) {
  auto a = Show(caller, id);
  if (!a.ok()) return a.status();
  if (a->status != domain::kCompleted || !a->result_json) {
    return Status(ErrorKind::kFailedPrecondition,
                  "The analysis has no result yet (status " + a->status + ")", "result_not_ready");
  }
  return std::move(*a->result_json);
}

Result<ports::StoredResult> Analyses::ServeResult(const Principal& caller,
                                                 const domain::Uuid& id, bool accept_gzip,
                                                 const std::optional<std::string>& if_none_match) {
  auto r = analyses_.FindResult(id, caller.user_id, accept_gzip, if_none_match);
  if (!r.ok()) return r.status();
  if (!*r) return NoSuchAnalysis();
  if (!(*r)->etag) {
    return Status(ErrorKind::kFailedPrecondition,
                  "The analysis has no result yet (status " + (*r)->status + ")", "result_not_ready");
  }
  return std::move(**r);
}

Result<domain::PageOf<domain::Analysis>> Analyses::List(const Principal& caller,
                                                        const std::optional<std::string>& status,
                                                        const domain::Page& page) {
  if (status && !domain::IsAnalysisStatus(*status))
    return InvalidArgument("status has an unknown value");
  return analyses_.ListOwned(caller.user_id, status, page);
}

Status Analyses::Delete(const Principal& caller, const domain::Uuid& id) {
  auto deleted = analyses_.DeleteOwned(id, caller.user_id);
  if (!deleted.ok()) return deleted.status();
  return *deleted ? Status::Ok() : NoSuchAnalysis();
}

}  // namespace ascension::services
