// The OpenAPI document (api/openapi.json) against the routes the App really registers: every
// implemented route is documented, every documented route is implemented (GET /v1/ws is the
// one exception: the WebSocket upgrade is handled by the server, not the router), and the
// document is well-formed enough for clients to rely on (2xx per operation, 401 wherever
// authentication is required, path parameters named as in the router, $refs that resolve).
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/app.hpp"
#include "api/testing/closed_port_config.hpp"

namespace ascension::api {
namespace {

using Route = std::pair<std::string, std::string>;  // (METHOD, template)

const char* const kHttpMethods[] = {"get", "put", "post", "delete", "patch", "options", "head", "trace"};

// Documented in the OpenAPI paths but served as a WebSocket upgrade, outside the router.
const Route kWebSocket{"GET", "/v1/ws"};

// Routes that need no authentication (DESIGN.md "HTTP API").
const std::set<Route> kPublic = {
    {"POST", "/v1/auth/register"}, {"POST", "/v1/auth/login"}, {"POST", "/v1/auth/refresh"},
    {"GET", "/health"},            {"GET", "/ready"},          {"GET", "/metrics"},
    {"GET", "/openapi.json"},
};

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Describe(const Route& r) { return r.first + " " + r.second; }

// Parameter names in a template, in order: "/v1/a/{id}/b" → {"id"}.
std::vector<std::string> TemplateParams(const std::string& t) {
  std::vector<std::string> out;
  for (size_t open = t.find('{'); open != std::string::npos; open = t.find('{', open + 1)) {
    size_t close = t.find('}', open);
    if (close == std::string::npos) break;
    out.push_back(t.substr(open + 1, close - open - 1));
  }
  return out;
}

// A concrete path for a template, to ask the router how it treats the route.
std::string Concrete(const std::string& t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{') {
      out += "00000000-0000-4000-8000-000000000001";
      i = t.find('}', i);
    } else {
      out += t[i];
    }
  }
  return out;
}

ApiConfig TestConfig() {
  ApiConfig c = testing::ClosedPortConfig("openapi-test");
  c.openapi_path = ASCENSION_OPENAPI_FILE;
  return c;
}

class OpenApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    text_ = new std::string(ReadFile(ASCENSION_OPENAPI_FILE));
    doc_ = new nlohmann::json(nlohmann::json::parse(*text_, nullptr, false));
    app_ = new App(TestConfig());  // builds the routes; Start() is never called, no network
  }
  static void TearDownTestSuite() {
    delete app_;
    delete doc_;
    delete text_;
    app_ = nullptr;
    doc_ = nullptr;
    text_ = nullptr;
  }

  static const nlohmann::json& doc() { return *doc_; }

  static std::set<Route> Implemented() {
    std::set<Route> out;
    for (const auto& [method, path] : app_->router().Routes()) out.emplace(Upper(method), path);
    return out;
  }

  // Every (METHOD, path) → operation object in the document.
  static std::map<Route, nlohmann::json> Documented() {
    std::map<Route, nlohmann::json> out;
    if (!doc().is_object() || !doc().contains("paths") || !doc()["paths"].is_object()) return out;
    for (const auto& [path, item] : doc()["paths"].items()) {
      if (!item.is_object()) continue;
      for (const char* m : kHttpMethods) {
        if (item.contains(m)) out.emplace(Route{Upper(m), path}, item[m]);
      }
    }
    return out;
  }

  static bool IsPublic(const nlohmann::json& op) {
    return op.contains("security") && op["security"].is_array() && op["security"].empty();
  }

  static std::string* text_;
  static nlohmann::json* doc_;
  static App* app_;
};

std::string* OpenApiTest::text_ = nullptr;
nlohmann::json* OpenApiTest::doc_ = nullptr;
App* OpenApiTest::app_ = nullptr;

TEST_F(OpenApiTest, DocumentIsValidOpenApi303) {
  ASSERT_FALSE(text_->empty()) << "cannot read " << ASCENSION_OPENAPI_FILE;
  ASSERT_FALSE(doc().is_discarded()) << ASCENSION_OPENAPI_FILE << " is not valid JSON";
  ASSERT_TRUE(doc().is_object());
  EXPECT_EQ(doc().value("openapi", ""), "3.0.3");
  ASSERT_TRUE(doc().contains("info") && doc()["info"].is_object());
  EXPECT_TRUE(doc()["info"].contains("title") && doc()["info"]["title"].is_string());
  EXPECT_TRUE(doc()["info"].contains("version") && doc()["info"]["version"].is_string());
  ASSERT_TRUE(doc().contains("paths") && doc()["paths"].is_object());
  for (const auto& [path, item] : doc()["paths"].items()) EXPECT_EQ(path.rfind('/', 0), 0u) << path;

  const auto& schemes = doc()["components"]["securitySchemes"];
  ASSERT_TRUE(schemes.is_object());
  ASSERT_TRUE(schemes.contains("bearerAuth"));
  EXPECT_EQ(schemes["bearerAuth"].value("type", ""), "http");
  EXPECT_EQ(schemes["bearerAuth"].value("scheme", ""), "bearer");
  EXPECT_EQ(schemes["bearerAuth"].value("bearerFormat", ""), "JWT");
  ASSERT_TRUE(schemes.contains("cookieAuth"));
  EXPECT_EQ(schemes["cookieAuth"].value("type", ""), "apiKey");
  EXPECT_EQ(schemes["cookieAuth"].value("in", ""), "cookie");
  EXPECT_EQ(schemes["cookieAuth"].value("name", ""), "session_token");

  // The error shape of DESIGN.md.
  const auto& error = doc()["components"]["schemas"]["Error"];
  ASSERT_TRUE(error.is_object());
  EXPECT_TRUE(error["properties"]["error"]["properties"].contains("code"));
  EXPECT_TRUE(error["properties"]["error"]["properties"].contains("message"));
}

TEST_F(OpenApiTest, EveryImplementedRouteIsDocumented) {
  ASSERT_FALSE(doc().is_discarded());
  auto implemented = Implemented();
  ASSERT_FALSE(implemented.empty());
  auto documented = Documented();
  for (const auto& r : implemented) {
    EXPECT_TRUE(documented.count(r)) << Describe(r) << " is implemented but missing from api/openapi.json";
  }
}

TEST_F(OpenApiTest, EveryDocumentedRouteIsImplemented) {
  ASSERT_FALSE(doc().is_discarded());
  auto implemented = Implemented();
  for (const auto& [r, op] : Documented()) {
    if (r == kWebSocket) continue;  // WebSocket upgrade: handled by the server, not the router
    EXPECT_TRUE(implemented.count(r)) << Describe(r) << " is documented but not implemented";
  }
}

TEST_F(OpenApiTest, WebSocketIsDocumentedAndIsTheOnlyException) {
  ASSERT_FALSE(doc().is_discarded());
  EXPECT_TRUE(Documented().count(kWebSocket)) << "GET /v1/ws must be documented";
  // If the router ever serves /v1/ws itself, the exclusion above must go.
  EXPECT_FALSE(Implemented().count(kWebSocket));
}

TEST_F(OpenApiTest, EveryOperationHasASuccessResponse) {
  for (const auto& [r, op] : Documented()) {
    ASSERT_TRUE(op.contains("responses") && op["responses"].is_object()) << Describe(r);
    EXPECT_TRUE(op.contains("summary") && op["summary"].is_string()) << Describe(r) << " has no summary";
    bool success = false;
    for (const auto& [code, res] : op["responses"].items()) {
      if (code.size() == 3 && code[0] == '2') success = true;
      if (r == kWebSocket && code == "101") success = true;  // the upgrade answers 101
    }
    EXPECT_TRUE(success) << Describe(r) << " documents no 2xx response";
  }
}

TEST_F(OpenApiTest, SecurityMatchesTheRouterAndProtectedOperationsList401) {
  const auto& router = app_->router();
  auto documented = Documented();
  for (const auto& [r, op] : documented) {
    bool doc_public = IsPublic(op);
    EXPECT_EQ(doc_public, kPublic.count(r) == 1)
        << Describe(r) << (doc_public ? " is documented public (security: [])" : " must have security: []");
    if (!doc_public) {
      EXPECT_TRUE(op["responses"].contains("401")) << Describe(r) << " needs auth but does not list 401";
    }
    if (r == kWebSocket) continue;
    auto m = router.Find(r.first, Concrete(r.second));
    if (m.kind != http::Router::Match::Kind::kFound || m.route != r.second) continue;  // reported above
    EXPECT_EQ(m.options.requires_auth, !doc_public)
        << Describe(r) << ": router requires_auth=" << m.options.requires_auth
        << " but the document says " << (doc_public ? "public" : "authenticated");
  }
  for (const auto& r : kPublic) EXPECT_TRUE(documented.count(r)) << Describe(r) << " (public) not documented";
}

TEST_F(OpenApiTest, RateLimitedResponsesCarryRetryAfter) {
  for (const auto& [r, op] : Documented()) {
    if (!op.contains("responses") || !op["responses"].contains("429")) continue;
    nlohmann::json res = op["responses"]["429"];
    if (res.contains("$ref")) {
      auto ptr = res["$ref"].get<std::string>();
      res = doc().at(nlohmann::json::json_pointer(ptr.substr(1)));
    }
    EXPECT_TRUE(res.contains("headers") && res["headers"].contains("Retry-After")) << Describe(r);
  }
}

TEST_F(OpenApiTest, PathParametersMatchTheRouterTemplates) {
  for (const auto& [path, item] : doc()["paths"].items()) {
    for (const char* m : kHttpMethods) {
      if (!item.contains(m)) continue;
      std::set<std::string> declared;
      for (const auto* list : {&item, &item[m]}) {
        if (!list->contains("parameters")) continue;
        for (auto p : (*list)["parameters"]) {
          if (p.contains("$ref")) p = doc().at(nlohmann::json::json_pointer(p["$ref"].get<std::string>().substr(1)));
          if (p.value("in", "") != "path") continue;
          EXPECT_TRUE(p.value("required", false)) << path << " path parameter " << p.value("name", "");
          declared.insert(p.value("name", ""));
        }
      }
      auto wanted = TemplateParams(path);
      EXPECT_EQ(declared, std::set<std::string>(wanted.begin(), wanted.end())) << Upper(m) << " " << path;
    }
  }
}

TEST_F(OpenApiTest, EveryRefResolves) {
  ASSERT_FALSE(doc().is_discarded());
  std::vector<std::string> refs;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (k == "$ref" && v.is_string()) refs.push_back(v.get<std::string>());
        walk(v);
      }
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc());
  EXPECT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << "only local refs: " << ref;
    EXPECT_TRUE(doc().contains(nlohmann::json::json_pointer(ref.substr(1)))) << "dangling $ref " << ref;
  }
}

TEST_F(OpenApiTest, AppServesThisDocument) {
  ASSERT_FALSE(doc().is_discarded());
  auto served = nlohmann::json::parse(app_->context().openapi_json, nullptr, false);
  ASSERT_FALSE(served.is_discarded());
  EXPECT_EQ(served, doc());
}

}  // namespace
}  // namespace ascension::api
