#include "domain/messages.hpp"

#include <nlohmann/json.hpp>

namespace ascension::domain {
namespace {

using nlohmann::json;

constexpr std::string_view kProgressPrefix = "skeleton.progress.";
constexpr std::string_view kCompletedPrefix = "skeleton.completed.";
constexpr std::string_view kFailedPrefix = "skeleton.failed.";
constexpr std::string_view kRouteProgressPrefix = "holds.progress.";
constexpr std::string_view kRouteDetectedPrefix = "holds.detected.";
constexpr std::string_view kRouteFailedPrefix = "holds.failed.";
constexpr std::string_view kGhostProgressPrefix = "ghost.progress.";
constexpr std::string_view kGhostReadyPrefix = "ghost.ready.";
constexpr std::string_view kGhostFailedPrefix = "ghost.failed.";

// Reads fields of one JSON object, remembering the first problem.
class Fields {
 public:
  Fields(const json& object, std::string_view what) : j_(object), what_(what) {}

  // A string field: required ones must be present and non-empty.
  void String(const char* name, bool required, std::string* out) {
    if (!status_.ok()) return;
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) {
      if (required) Fail(name, "is missing");
      return;
    }
    if (!it->is_string()) return Fail(name, "must be a string");
    const auto& s = it->get_ref<const std::string&>();
    if (required && s.empty()) return Fail(name, "is empty");
    if (s.find('\0') != std::string::npos) return Fail(name, "contains a NUL byte");
    *out = s;
  }
  void OptString(const char* name, std::optional<std::string>* out) {
    std::string v;
    bool present = j_.contains(name) && !j_[name].is_null();
    String(name, false, &v);
    if (status_.ok() && present) *out = std::move(v);
  }
  // An integer field in [min, max]; absent leaves *out alone.
  template <typename Int>
  bool Integer(const char* name, std::int64_t min, std::int64_t max, Int* out) {
    if (!status_.ok()) return false;
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return false;
    if (!it->is_number_integer()) {
      Fail(name, "must be an integer");
      return false;
    }
    std::int64_t v =
        it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
            ? max + 1
            : it->get<std::int64_t>();
    if (v < min || v > max) {
      Fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return false;
    }
    *out = static_cast<Int>(v);
    return true;
  }

  // A boolean field; absent (or null) leaves *out alone.
  void Boolean(const char* name, bool* out) {
    if (!status_.ok()) return;
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return;
    if (!it->is_boolean()) return Fail(name, "must be a boolean");
    *out = it->get<bool>();
  }

  const Status& status() const { return status_; }

 private:
  void Fail(const char* name, const std::string& why) {
    status_ = InvalidArgument(std::string(what_) + " field " + name + " " + why);
  }
  const json& j_;
  std::string_view what_;
  Status status_;
};

Result<json> ParseObject(std::string_view body, std::string_view what) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument(std::string(what) + " body is not JSON");
  if (!j.is_object()) return InvalidArgument(std::string(what) + " body is not a JSON object");
  return j;
}

}  // namespace

std::string JobMessage::ObjectKey() const {
  size_t slash = video_url.find('/', 5);
  return slash == std::string::npos ? std::string() : video_url.substr(slash + 1);
}

std::string EncodeJob(const JobMessage& m) {
  json j = {{"job_id", m.job_id},   {"analysis_id", m.analysis_id}, {"user_id", m.user_id},
            {"video_url", m.video_url}, {"attempt", m.attempt},     {"created_at", m.created_at}};
  if (!m.model.empty()) j["model"] = m.model;
  if (m.language) j["language"] = *m.language;
  if (m.dispatch) j["dispatch"] = *m.dispatch;
  return j.dump();
}

Result<JobMessage> DecodeJob(std::string_view body) {
  auto j = ParseObject(body, "job");
  if (!j.ok()) return j.status();
  JobMessage m;
  Fields f(*j, "job");
  f.String("job_id", true, &m.job_id);
  f.String("analysis_id", true, &m.analysis_id);
  f.String("user_id", true, &m.user_id);
  f.String("video_url", true, &m.video_url);
  f.String("model", false, &m.model);
  f.OptString("language", &m.language);
  f.Integer("attempt", 1, 1000000, &m.attempt);
  int dispatch = 0;
  if (f.Integer("dispatch", 0, 1000000, &dispatch)) m.dispatch = dispatch;
  f.String("created_at", false, &m.created_at);
  if (!f.status().ok()) return f.status();
  if (m.video_url.rfind("s3://", 0) != 0 || m.video_url.find('/', 5) == std::string::npos ||
      m.ObjectKey().empty())
    return InvalidArgument("job field video_url must be s3://bucket/key");
  if (!m.model.empty() && m.model != "lite" && m.model != "full" && m.model != "heavy")
    return InvalidArgument("job field model must be lite, full or heavy");
  if (m.language && *m.language != "en" && *m.language != "fr")
    return InvalidArgument("job field language must be en or fr");
  return m;
}

Result<std::string> WithAttempt(std::string_view body, int attempt) {
  auto j = ParseObject(body, "job");
  if (!j.ok()) return j.status();
  (*j)["attempt"] = attempt;
  return j->dump();
}

std::string EventRoutingKey(const JobEvent& e) {
  switch (e.kind) {
    case EventKind::kProgress:
      return std::string(kProgressPrefix) + e.job_id;
    case EventKind::kCompleted:
      return std::string(kCompletedPrefix) + e.job_id;
    case EventKind::kFailed:
      break;
  }
  return std::string(kFailedPrefix) + e.job_id;
}

std::string EncodeEvent(const JobEvent& e) {
  json j = {{"job_id", e.job_id}, {"analysis_id", e.analysis_id}, {"user_id", e.user_id}};
  switch (e.kind) {
    case EventKind::kProgress:
      j["progress"] = e.progress;
      j["stage"] = e.stage;
      break;
    case EventKind::kCompleted:
      j["status"] = "completed";
      if (e.processing_time_ms) j["processing_time_ms"] = *e.processing_time_ms;
      break;
    case EventKind::kFailed:
      j["status"] = "failed";
      j["error_code"] = e.error_code;
      j["message"] = e.message;
      break;
  }
  return j.dump();
}

Result<JobEvent> DecodeEvent(std::string_view key, std::string_view body) {
  JobEvent e;
  if (key.starts_with(kProgressPrefix)) {
    e.kind = EventKind::kProgress;
  } else if (key.starts_with(kCompletedPrefix)) {
    e.kind = EventKind::kCompleted;
  } else if (key.starts_with(kFailedPrefix)) {
    e.kind = EventKind::kFailed;
  } else {
    return InvalidArgument("event routing key " + std::string(key.substr(0, 64)) +
                           " is not a job event");
  }
  auto j = ParseObject(body, "event");
  if (!j.ok()) return j.status();
  Fields f(*j, "event");
  f.String("user_id", true, &e.user_id);
  f.String("job_id", false, &e.job_id);
  f.String("analysis_id", false, &e.analysis_id);
  f.String("stage", false, &e.stage);
  f.Integer("progress", 0, 100, &e.progress);
  std::int64_t ms = 0;
  if (f.Integer("processing_time_ms", 0, std::int64_t{1} << 53, &ms)) e.processing_time_ms = ms;
  e.error_code = "analysis_failed";
  f.String("error_code", false, &e.error_code);
  f.String("message", false, &e.message);
  if (!f.status().ok()) return f.status();
  return e;
}

// ---- hold detection (routes) ----

namespace {

std::string KeyOfUrl(const std::string& url) {
  size_t slash = url.find('/', 5);
  return slash == std::string::npos ? std::string() : url.substr(slash + 1);
}

}  // namespace

std::string HoldsJobMessage::ImageKey() const {
  return KeyOfUrl(image_url);
}

std::string EncodeHoldsJob(const HoldsJobMessage& m) {
  json j = {{"job_id", m.job_id},     {"route_id", m.route_id},    {"user_id", m.user_id},
            {"source", m.source},     {"image_url", m.image_url},  {"attempt", m.attempt},
            {"dispatch", m.dispatch}, {"created_at", m.created_at}};
  if (m.analysis_id) j["analysis_id"] = *m.analysis_id;
  return j.dump();
}

Result<HoldsJobMessage> DecodeHoldsJob(std::string_view body) {
  auto j = ParseObject(body, "holds job");
  if (!j.ok()) return j.status();
  HoldsJobMessage m;
  Fields f(*j, "holds job");
  f.String("job_id", true, &m.job_id);
  f.String("route_id", true, &m.route_id);
  f.String("user_id", true, &m.user_id);
  f.String("source", true, &m.source);
  f.String("image_url", true, &m.image_url);
  f.OptString("analysis_id", &m.analysis_id);
  f.Integer("attempt", 1, 1000000, &m.attempt);
  f.Integer("dispatch", 0, 1000000, &m.dispatch);
  f.String("created_at", false, &m.created_at);
  if (!f.status().ok()) return f.status();
  if (m.image_url.rfind("s3://", 0) != 0 || m.ImageKey().empty())
    return InvalidArgument("holds job field image_url must be s3://bucket/key");
  if (m.source != "photo" && m.source != "analysis")
    return InvalidArgument("holds job field source must be photo or analysis");
  if (m.source == "analysis" && (!m.analysis_id || m.analysis_id->empty()))
    return InvalidArgument("holds job field analysis_id is missing");
  return m;
}

std::string RouteEventRoutingKey(const RouteEvent& e) {
  switch (e.kind) {
    case RouteEventKind::kProgress:
      return std::string(kRouteProgressPrefix) + e.route_id;
    case RouteEventKind::kDetected:
      return std::string(kRouteDetectedPrefix) + e.route_id;
    case RouteEventKind::kFailed:
      break;
  }
  return std::string(kRouteFailedPrefix) + e.route_id;
}

std::string EncodeRouteEvent(const RouteEvent& e) {
  json j = {{"job_id", e.job_id}, {"route_id", e.route_id}, {"user_id", e.user_id}};
  switch (e.kind) {
    case RouteEventKind::kProgress:
      j["progress"] = e.progress;
      j["stage"] = e.stage;
      break;
    case RouteEventKind::kDetected:
      j["status"] = "ready";
      j["hold_count"] = e.hold_count;
      break;
    case RouteEventKind::kFailed:
      j["status"] = "failed";
      j["error_code"] = e.error_code;
      j["message"] = e.message;
      break;
  }
  return j.dump();
}

Result<RouteEvent> DecodeRouteEvent(std::string_view key, std::string_view body) {
  RouteEvent e;
  if (key.starts_with(kRouteProgressPrefix)) {
    e.kind = RouteEventKind::kProgress;
  } else if (key.starts_with(kRouteDetectedPrefix)) {
    e.kind = RouteEventKind::kDetected;
  } else if (key.starts_with(kRouteFailedPrefix)) {
    e.kind = RouteEventKind::kFailed;
  } else {
    return InvalidArgument("event routing key " + std::string(key.substr(0, 64)) +
                           " is not a route event");
  }
  auto j = ParseObject(body, "route event");
  if (!j.ok()) return j.status();
  Fields f(*j, "route event");
  f.String("user_id", true, &e.user_id);
  f.String("route_id", true, &e.route_id);
  f.String("job_id", false, &e.job_id);
  f.String("stage", false, &e.stage);
  f.Integer("progress", 0, 100, &e.progress);
  f.Integer("hold_count", 0, 1000000, &e.hold_count);
  e.error_code = "internal";
  f.String("error_code", false, &e.error_code);
  f.String("message", false, &e.message);
  if (!f.status().ok()) return f.status();
  return e;
}

std::string EncodeGhostJob(const GhostJobMessage& job) {
  json j = {{"job_id", job.job_id},           {"route_id", job.route_id},
            {"user_id", job.user_id},         {"fingerprint", job.fingerprint},
            {"attempt", job.attempt},         {"dispatch", job.dispatch},
            {"created_at", job.created_at}};
  return j.dump();
}

Result<GhostJobMessage> DecodeGhostJob(std::string_view body) {
  auto j = ParseObject(body, "ghost job");
  if (!j.ok()) return j.status();
  GhostJobMessage m;
  Fields f(*j, "ghost job");
  f.String("job_id", true, &m.job_id);
  f.String("route_id", true, &m.route_id);
  f.String("user_id", true, &m.user_id);
  f.String("fingerprint", false, &m.fingerprint);
  f.Integer("attempt", 1, 1000000, &m.attempt);
  f.Integer("dispatch", 0, 1000000, &m.dispatch);
  f.String("created_at", false, &m.created_at);
  if (!f.status().ok()) return f.status();
  return m;
}

std::string GhostEventRoutingKey(const GhostEvent& e) {
  switch (e.kind) {
    case GhostEventKind::kProgress:
      return std::string(kGhostProgressPrefix) + e.route_id;
    case GhostEventKind::kReady:
      return std::string(kGhostReadyPrefix) + e.route_id;
    case GhostEventKind::kFailed:
      break;
  }
  return std::string(kGhostFailedPrefix) + e.route_id;
}

std::string EncodeGhostEvent(const GhostEvent& e) {
  json j = {{"job_id", e.job_id}, {"route_id", e.route_id}, {"user_id", e.user_id}};
  switch (e.kind) {
    case GhostEventKind::kProgress:
      j["progress"] = e.progress;
      j["stage"] = e.stage;
      break;
    case GhostEventKind::kReady:
      j["status"] = "ready";
      j["beta_found"] = e.beta_found;
      break;
    case GhostEventKind::kFailed:
      j["status"] = "failed";
      j["error_code"] = e.error_code;
      j["message"] = e.message;
      break;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<GhostEvent> DecodeGhostEvent(std::string_view key, std::string_view body) {
  GhostEvent e;
  if (key.starts_with(kGhostProgressPrefix)) {
    e.kind = GhostEventKind::kProgress;
  } else if (key.starts_with(kGhostReadyPrefix)) {
    e.kind = GhostEventKind::kReady;
  } else if (key.starts_with(kGhostFailedPrefix)) {
    e.kind = GhostEventKind::kFailed;
  } else {
    return InvalidArgument("event routing key " + std::string(key.substr(0, 64)) +
                           " is not a ghost event");
  }
  auto j = ParseObject(body, "ghost event");
  if (!j.ok()) return j.status();
  Fields f(*j, "ghost event");
  f.String("user_id", true, &e.user_id);
  f.String("route_id", true, &e.route_id);
  f.String("job_id", false, &e.job_id);
  f.String("stage", false, &e.stage);
  f.Integer("progress", 0, 100, &e.progress);
  f.Boolean("beta_found", &e.beta_found);
  e.error_code = "internal";
  f.String("error_code", false, &e.error_code);
  f.String("message", false, &e.message);
  if (!f.status().ok()) return f.status();
  return e;
}

}  // namespace ascension::domain
