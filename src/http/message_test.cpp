#include "http/message.hpp"

#include <gtest/gtest.h>

namespace ascension::http {
namespace {

TEST(Message, QueryParsingDecodes) {
  auto q = ParseQuery("page=2&status=completed&name=a%20b+c&empty=&flag");
  EXPECT_EQ(q["page"], "2");
  EXPECT_EQ(q["name"], "a b c");
  EXPECT_EQ(q["empty"], "");
  EXPECT_TRUE(q.count("flag"));
}

TEST(Message, CookieLookup) {
  Request r;
  r.headers = {{"cookie", "a=1; session_token=abc.def; b=2"}};
  EXPECT_EQ(r.Cookie("session_token").value(), "abc.def");
  EXPECT_FALSE(r.Cookie("missing").has_value());
}

TEST(Message, ErrorShape) {
  auto res = Error(422, "validation_failed", "username is invalid");
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(j["error"]["code"], "validation_failed");
  EXPECT_EQ(j["error"]["message"], "username is invalid");
}

}  // namespace
}  // namespace ascension::http
