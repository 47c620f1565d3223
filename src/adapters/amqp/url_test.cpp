#include "adapters/amqp/url.hpp"

#include <gtest/gtest.h>

namespace ascension::amqp {
namespace {

TEST(AmqpUrl, FullUrl) {
  auto u = ParseUrl("amqp://ascension:s3cr%40t@rabbit.internal:5673/prod");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "rabbit.internal");
  EXPECT_EQ(u->port, 5673);
  EXPECT_EQ(u->user, "ascension");
  EXPECT_EQ(u->password, "s3cr@t");
  EXPECT_EQ(u->vhost, "prod");
}

TEST(AmqpUrl, Defaults) {
  auto u = ParseUrl("amqp://localhost");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 5672);
  EXPECT_EQ(u->user, "guest");
  EXPECT_EQ(u->password, "guest");
  EXPECT_EQ(u->vhost, "/");
  EXPECT_EQ(ParseUrl("amqp://h:1/")->vhost, "/");
}

TEST(AmqpUrl, VhostIsPercentDecoded) {
  EXPECT_EQ(ParseUrl("amqp://u:p@h/%2F")->vhost, "/");
  EXPECT_EQ(ParseUrl("amqp://u:p@h/%2fdev%20x")->vhost, "/dev x");
}

TEST(AmqpUrl, UserWithoutPasswordAndIpv6) {
  auto u = ParseUrl("amqp://bob@[::1]:5679/v");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 5679);
  EXPECT_EQ(u->user, "bob");
  EXPECT_EQ(u->password, "");
}

TEST(AmqpUrl, RejectsMalformed) {
  for (const char* bad :
       {"", "http://h", "amqps://h", "amqp://", "amqp://:5672/", "amqp://h:", "amqp://h:0",
        "amqp://h:65536", "amqp://h:12ab", "amqp://h/a/b", "amqp://h/%zz", "amqp://h/%2",
        "amqp://u:%g1@h", "amqp://h?heartbeat=5", "amqp://[::1", "amqp://[::1]x"}) {
    auto u = ParseUrl(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.status().kind(), ErrorKind::kInvalidArgument) << bad;
  }
}

TEST(AmqpUrl, RejectsNulBytes) {
  // A NUL, typed or percent-encoded, would cut the C string librabbitmq parses short.
  for (std::string bad : {std::string("amqp://u:p%00x@h"), std::string("amqp://h/v\0x", 12),
                          std::string("amqp://h\0.evil:5672", 20)}) {
    auto u = ParseUrl(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.status().kind(), ErrorKind::kInvalidArgument);
  }
}

TEST(AmqpUrl, RedactedHidesPassword) {
  auto u = ParseUrl("amqp://user:hunter2@h:5672/%2F");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->Redacted(), "amqp://user@h:5672/%2F");
  EXPECT_EQ(u->Redacted().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace ascension::amqp
