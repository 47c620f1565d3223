#include "http/router.hpp"

#include <gtest/gtest.h>

namespace ascension::http {
namespace {

Response Named(const char* name) {
  Response r;
  r.body = name;
  return r;
}

TEST(Router, LiteralBeatsParameterAndParamsAreExtracted) {
  Router r;
  r.Add("GET", "/v1/users/{id}", {}, [](Request&) { return Named("by-id"); });
  r.Add("GET", "/v1/users/me", {}, [](Request&) { return Named("me"); });
  Request req;
  auto m = r.Find("GET", "/v1/users/me");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ((*m.handler)(req).body, "me");
  m = r.Find("GET", "/v1/users/42");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_EQ(m.route, "/v1/users/{id}");
}

TEST(Router, MethodNotAllowedListsMethods) {
  Router r;
  r.Add("GET", "/v1/x", {}, [](Request&) { return Named("x"); });
  r.Add("POST", "/v1/x", {}, [](Request&) { return Named("x"); });
  auto m = r.Find("DELETE", "/v1/x");
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, "GET, POST");
}

TEST(Router, UnknownPathAndEmptyParamNotFound) {
  Router r;
  r.Add("GET", "/v1/users/{id}", {}, [](Request&) { return Named("x"); });
  EXPECT_EQ(r.Find("GET", "/v1/nope").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(r.Find("GET", "/v1/users/").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(r.Find("GET", "/v1/users/1/2").kind, Router::Match::Kind::kNotFound);
}

}  // namespace
}  // namespace ascension::http
