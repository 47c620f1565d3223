#include "api/respond.hpp"

#include <cctype>
#include <charconv>

#include "common/log.hpp"
#include "common/strings.hpp"
#include "domain/rules.hpp"

namespace ascension::api {
namespace {

// HTTP statuses for product codes that the kind alone does not give.
int StatusForCode(const std::string& code) {
  if (code == "video_too_large") return 413;
  return 0;
}

http::Response Coded(int status, const Status& s, const char* fallback_code) {
  int special = StatusForCode(s.code());
  return http::Error(special ? special : status, s.code().empty() ? fallback_code : s.code(),
                     s.message());
}

}  // namespace

http::Response FromStatus(const Status& s) {
  if (s.code() == "database") {
    // The database refused the data and no service put it in the product's words: its text
    // (constraint names, the row's values) stays in the log.
    log::Warn("database refusal reached the API", {{"error", s.ToString()}});
    if (s.kind() == ErrorKind::kInvalidArgument)
      return http::Error(422, "validation_failed", "A value in the request was not accepted");
    if (s.kind() == ErrorKind::kAlreadyExists || s.kind() == ErrorKind::kFailedPrecondition)
      return http::Error(409, "conflict", "The request conflicts with the current data; reload and retry");
  }
  switch (s.kind()) {
    case ErrorKind::kOk:
      return http::Json(200, nlohmann::json::object());
    case ErrorKind::kInvalidArgument:
      return Coded(422, s, "validation_failed");
    case ErrorKind::kNotFound:
      return Coded(404, s, "not_found");
    case ErrorKind::kAlreadyExists:
      return Coded(409, s, "already_exists");
    case ErrorKind::kPermissionDenied:
      return Coded(403, s, "forbidden");
    case ErrorKind::kUnauthenticated:
      return Coded(401, s, "unauthorized");
    case ErrorKind::kResourceExhausted:
      return Coded(429, s, "rate_limited").With("Retry-After", "60");
    case ErrorKind::kFailedPrecondition:
      return Coded(409, s, "conflict");
    case ErrorKind::kUnavailable:
      if (s.code() == "busy") {
        return http::Error(503, "busy", "The server is busy, please retry in a moment")
            .With("Retry-After", "1");
      }
      return http::Error(503, "service_unavailable", "A dependency is unavailable, please retry")
          .With("Retry-After", "5");
    case ErrorKind::kDataLoss:
    case ErrorKind::kInternal:
      break;
  }
  return http::Error(500, "internal_error", "Internal server error");
}

std::optional<nlohmann::json> ParseJsonBody(const http::Request& req, bool empty_ok,
                                            http::Response* error) {
  if (empty_ok && req.body.empty()) return nlohmann::json::object();
  auto ct = req.Header("content-type");
  std::string type = ct ? Lowercase(*ct) : "";
  if (type.rfind("application/json", 0) != 0) {
    *error = http::Error(415, "unsupported_media_type", "Content-Type must be application/json");
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    *error = http::Error(400, "malformed_json", "Request body is not valid JSON");
    return std::nullopt;
  }
  if (!j.is_object()) {
    *error = http::Error(400, "malformed_json", "Request body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

void Fields::Fail(std::string message) {
  if (!error_) error_ = http::Error(422, "validation_failed", message);
}

std::optional<std::string> Fields::String(const char* name, bool required) {
  if (error_) return std::nullopt;
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) Fail(std::string(name) + " is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    Fail(std::string(name) + " must be a string");
    return std::nullopt;
  }
  const auto& text = it->get_ref<const std::string&>();
  if (auto e = domain::ValidateText(name, text)) {
    Fail(*e);
    return std::nullopt;
  }
  return text;
}

std::optional<bool> Fields::Boolean(const char* name) {
  if (error_) return std::nullopt;
  auto it = body_.find(name);
  if (it == body_.end()) return std::nullopt;
  if (!it->is_boolean()) {
    Fail(std::string(name) + " must be a boolean");
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<domain::Page> PageParams(const http::Request& req, http::Response* error) {
  domain::Page p;
  auto read = [&](const char* name, int* out, int min, int max) {
    auto it = req.query.find(name);
    if (it == req.query.end()) return true;
    const std::string& text = it->second;
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min ||
        v > max) {
      *error = http::Error(422, "validation_failed",
                           std::string(name) + " must be an integer between " +
                               std::to_string(min) + " and " + std::to_string(max));
      return false;
    }
    *out = v;
    return true;
  };
  if (!read("page", &p.page, 1, 1000000) || !read("per_page", &p.per_page, 1, 100))
    return std::nullopt;
  return p;
}

nlohmann::json PageJson(const domain::Page& p, std::int64_t total) {
  return {{"page", p.page},
          {"per_page", p.per_page},
          {"total", total},
          {"pages", (total + p.per_page - 1) / p.per_page}};
}

std::optional<domain::Uuid> IdParam(const http::Request& req, const char* name) {
  auto it = req.params.find(name);
  if (it == req.params.end()) return std::nullopt;
  return domain::Uuid::Parse(it->second);
}

http::Response NoContent() {
  http::Response res;
  res.status = 204;
  return res;
}

services::Principal Caller(const http::Request& req) {
  return {domain::Uuid::Parse(req.user_id).value_or(domain::Uuid()), req.role};
}

}  // namespace ascension::api
