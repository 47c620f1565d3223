// The App's per-address rate limits, driven through App::Handle without a socket: PostgreSQL,
// RabbitMQ and S3 point at a closed port, so a /ready that passes the limit answers 503 (its
// dependencies are down) and a refused one 429.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/app.hpp"
#include "api/testing/closed_port_config.hpp"

namespace ascension::api {
namespace {

ApiConfig ClosedPortConfig() { return testing::ClosedPortConfig("rate-limits-test"); }

http::Request Get(const std::string& path, const std::string& client) {
  http::Request r;
  r.method = "GET";
  r.target = path;
  r.path = path;
  r.peer_ip = client;
  r.client_ip = client;
  return r;
}

std::string HeaderOf(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

std::string ErrorCodeOf(const http::Response& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  const auto& e = j["error"];
  return e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
}

// Issue 10 #13: /ready has its own limit per client address (READY_RATE_LIMIT_PER_MINUTE, bursts
// of 20), apart from the general one; another address and /health are not affected.
TEST(AppRateLimits, ReadyIsLimitedPerClientAddressApartFromTheGeneralLimit) {
  ApiConfig c = ClosedPortConfig();
  c.ready_limit_per_minute = 20;  // one call back every 3 s: none comes back during the test
  c.rate_limit_per_minute = 5;    // the general limit would refuse the sixth /ready
  App app(c);
  ASSERT_TRUE(app.context().Compose().ok());
  const std::string flooder = "192.0.2.10", other = "192.0.2.20";
  for (int i = 0; i < ApiConfig::kReadyBurst; ++i) {
    auto r = Get("/ready", flooder);
    auto res = app.Handle(r);
    EXPECT_EQ(res.status, 503) << "call " << i << ": " << res.body;
  }
  auto r = Get("/ready", flooder);
  auto refused = app.Handle(r);
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(ErrorCodeOf(refused), "rate_limited") << refused.body;
  // Seconds until one call is back: at most 3 (one every 3 s), less if the calls took time.
  const std::string retry = HeaderOf(refused, "Retry-After");
  EXPECT_TRUE(retry == "1" || retry == "2" || retry == "3") << "Retry-After: " << retry;
  // Another address has its own budget.
  auto o = Get("/ready", other);
  EXPECT_EQ(app.Handle(o).status, 503);
  // /health is never limited; the general budget of the flooder is untouched by /ready.
  for (int i = 0; i < 30; ++i) {
    auto h = Get("/health", flooder);
    EXPECT_EQ(app.Handle(h).status, 200) << i;
  }
  auto me = Get("/v1/users/me", flooder);
  EXPECT_EQ(app.Handle(me).status, 401);
}

// A limit below the burst is also the burst: never more calls at once than a minute allows.
TEST(AppRateLimits, AReadyLimitBelowTheBurstIsTheBurst) {
  ApiConfig c = ClosedPortConfig();
  c.ready_limit_per_minute = 2;
  App app(c);
  ASSERT_TRUE(app.context().Compose().ok());
  for (int i = 0; i < 2; ++i) {
    auto r = Get("/ready", "192.0.2.30");
    EXPECT_EQ(app.Handle(r).status, 503) << i;
  }
  auto r = Get("/ready", "192.0.2.30");
  auto refused = app.Handle(r);
  EXPECT_EQ(refused.status, 429);
  // One call back every 30 s.
  const std::string retry = HeaderOf(refused, "Retry-After");
  EXPECT_TRUE(retry == "30" || retry == "29" || retry == "28") << "Retry-After: " << retry;
}

}  // namespace
}  // namespace ascension::api
