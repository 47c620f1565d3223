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

namespace ascension::http {
namespace {

std::string NlohmannString(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Appended(const std::string& prefix, const std::string& s) {
  std::string out = prefix;
  AppendJsonString(&out, s);
  return out;
}

TEST(Message, AppendJsonStringWritesWhatJsonWrites) {
  const std::string cases[] = {
      "",
      "plain",
      R"({"frames":[{"x":0.5,"label":"say \"hi\""}],"path":"C:\dir"})",
      "Gardez les bras tendus : « vous » déjà, 中文, 🧗",
      std::string("nul\0byte", 8),
      "\b\t\n\f\r\x01\x1f\x7f",
      "\xC3",              // truncated sequence
      "ok \xFF then",      // a byte UTF-8 never uses
      "\xC0\xAF",          // overlong '/'
      "\xED\xA0\x80",      // a surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xE0\x80\x80 \xF0\x80\x80\x80",
  };
  for (const std::string& c : cases) {
    EXPECT_EQ(Appended("", c), NlohmannString(c))
        << nlohmann::json(c).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
    EXPECT_EQ(Appended("{\"a\":", c), "{\"a\":" + NlohmannString(c))
        << "appends after what is there";
  }
  // Random bytes, mostly printable, some of every other kind.
  std::uint32_t seed = 12345;
  const auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (int round = 0; round < 2000; ++round) {
    std::string s(next() % 64, '\0');
    for (auto& ch : s) {
      const std::uint32_t r = next() >> 8;
      ch = static_cast<char>(r % 4 == 0 ? (r >> 4) & 0xFF : 0x20 + (r >> 4) % 0x5F);
    }
    ASSERT_EQ(Appended("", s), NlohmannString(s)) << round;
  }
  // A large document goes through unchanged when it needs no escape.
  std::string big(3 << 20, 'a');
  EXPECT_EQ(Appended("", big), "\"" + big + "\"");
}

}  // namespace
}  // namespace ascension::http
