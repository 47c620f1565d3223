// Translating between HTTP and the services, shared by every handler: a Status to its error
// response, the fields of a JSON body (types checked, errors naming the field), paging
// parameters, and the JSON body prologue the router's json_body option asks for.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.hpp"
#include "domain/page.hpp"
#include "domain/uuid.hpp"
#include "http/message.hpp"
#include "services/principal.hpp"

namespace ascension::api {

// The error response for a Status: the kind gives the HTTP status, the code (when set) names
// the error ("quota_exceeded"), else the kind's default code.
http::Response FromStatus(const Status& s);

// The body of a json_body route as a JSON object: nullopt with the response to send (415 unless
// Content-Type is application/json, 400 when malformed or not an object). An empty body is an
// empty object when `empty_ok`.
std::optional<nlohmann::json> ParseJsonBody(const http::Request& req, bool empty_ok,
                                            http::Response* error);

// Reads the fields of a JSON object, keeping the first problem as a 422 naming the field.
class Fields {
 public:
  explicit Fields(const nlohmann::json& body) : body_(body) {}
  // A string field; missing (or null) → nullopt, and a 422 "NAME is required" when `required`.
  // Text that is not clean (invalid UTF-8, NUL or another control character:
  // domain::IsCleanText) is a 422 naming the field.
  std::optional<std::string> String(const char* name, bool required = false);
  std::optional<bool> Boolean(const char* name);
  bool Has(const char* name) const { return body_.contains(name); }

  bool ok() const { return !error_.has_value(); }
  const http::Response& error() const { return *error_; }

 private:
  void Fail(std::string message);
  const nlohmann::json& body_;
  std::optional<http::Response> error_;
};

// page/per_page query parameters: page ≥ 1, 1 ≤ per_page ≤ 100 (default 20); 422 otherwise.
std::optional<domain::Page> PageParams(const http::Request& req, http::Response* error);
nlohmann::json PageJson(const domain::Page& p, std::int64_t total);

// A path parameter that must be a UUID; nullopt when it is not (the caller answers 404: an id
// that cannot exist is as missing as one that does not).
std::optional<domain::Uuid> IdParam(const http::Request& req, const char* name = "id");

http::Response NoContent();

// The authenticated caller of a route that requires authentication (set by the middleware from
// a verified access token).
services::Principal Caller(const http::Request& req);

}  // namespace ascension::api
