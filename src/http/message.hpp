// The request and response values handlers see. They are plain data, independent of the
// socket library, so handlers and their tests need nothing but this header.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ascension::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as received
  std::string path;    // percent-decoded path without the query
  std::map<std::string, std::string> query;   // decoded query parameters (last one wins)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;

  std::string peer_ip;     // the socket's remote address
  std::string client_ip;   // peer_ip, or X-Forwarded-For's client when the peer is a trusted proxy
  bool via_tls = false;    // X-Forwarded-Proto: https from a trusted proxy
  std::string request_id;  // X-Request-Id received, or generated

  // Filled by the router and the authentication step.
  std::string route;  // route template, e.g. "/v1/analyses/{id}"; "unmatched" when none
  std::map<std::string, std::string> params;
  std::string user_id;  // empty when anonymous
  std::string credential;  // the access token that authenticated it (a WebSocket re-checks it)
  std::string role;
  nlohmann::json json;  // the parsed body of a json_body route (a JSON object)

  // First header with that (lower-case) name.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // Value of one cookie from the Cookie header.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// A JSON body with the given status.
Response Json(int status, const nlohmann::json& body);
// Appends `text` to `out` as a JSON string (quotes included), byte for byte what Json() writes for
// that string (nlohmann's dump, replacing invalid UTF-8). One pass over valid UTF-8 text, copying
// the runs that need no escape whole: for a multi-megabyte result document embedded in a response
// (GET /v1/analyses/{id}) without first copying it into a json value.
void AppendJsonString(std::string* out, std::string_view text);
// The error shape of DESIGN.md: {"error":{"code":..., "message":...}}.
Response Error(int status, std::string_view code, std::string_view message);

// Splits "a=1&b=x%20y" into decoded pairs.
std::map<std::string, std::string> ParseQuery(std::string_view query);
// Percent-decoding; '+' stays '+' in paths and becomes ' ' in queries when plus_is_space.
std::string PercentDecode(std::string_view in, bool plus_is_space);

}  // namespace ascension::http
