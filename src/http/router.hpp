// Maps (method, path) to a handler. Paths are templates whose segments are literals or
// "{name}" parameters; a literal segment wins over a parameter at the same position.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace ascension::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  bool requires_auth = true;
  // The body must be a JSON object (415 for another Content-Type, 400 when malformed); the
  // application parses it once, into Request::json, before the handler runs.
  bool json_body = false;
  // With json_body: an empty body is accepted too (Request::json is then an empty object).
  bool body_optional = false;
};

class Router {
 public:
  void Add(std::string method, std::string path_template, RouteOptions options, Handler handler);

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed } kind = Kind::kNotFound;
    const Handler* handler = nullptr;
    RouteOptions options;
    std::string route;
    std::map<std::string, std::string> params;
    std::string allowed;  // for 405: "GET, POST"
  };
  Match Find(std::string_view method, std::string_view path) const;

  // Every (method, template) pair, for the OpenAPI consistency test and docs.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string path_template;
    std::vector<std::string> segments;
    RouteOptions options;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace ascension::http
