// Issue 10, the HTTP surface: Transfer-Encoding (item 11), the TRUSTED_PROXIES setting
// (item 14), /ready under a flood and its per-address limit (item 13).
#include <algorithm>
#include <cstdlib>
#include <future>

#include "security/harness.hpp"

namespace ascension::testsuite::security {
namespace {

class HttpAttack : public SecurityTest {
 protected:
  // Text only the database would write into an error.
  static void ExpectNoDatabaseText(const HttpResponse& r, const std::string& what) {
    for (const char* leak : {"DETAIL", "Key (", "violates", "constraint", "argon2", "duplicate key", "foreign key",
                             "SQLSTATE", "ERROR:", "relation ", "syntax", "secret-detail"}) {
      EXPECT_EQ(r.body.find(leak), std::string::npos) << what << " leaks \"" << leak << "\": " << r.body;
    }
  }

  // The session cookie set by a login.
  std::string SessionCookie(const Account& a) const {
    auto r = Call("POST", "/v1/auth/login", "", json{{"email", a.email}, {"password", a.password}}.dump(),
                  {"X-Forwarded-For: " + FreshClientIp()});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string set = r.Header("set-cookie");
    size_t end = set.find(';');
    return set.substr(0, end);  // "session_token=..."
  }

  static std::string Metrics() { return Http("GET", base_ + "/metrics").body; }

  // Counts the AMQP connections RabbitMQ has accepted so far (its log has one line each). The
  // broker writes its log asynchronously: the count is read until it holds still for a second.
  static int AmqpConnectionsAccepted() {
    auto count = [] {
      return Count(ReadFile(env_->Get("ASCENSION_HOME") + "/logs/rabbitmq.log"), "accepting AMQP connection");
    };
    int last = count();
    for (int i = 0; i < 10; ++i) {
      std::this_thread::sleep_for(1000ms);
      int now = count();
      if (now == last) break;
      last = now;
    }
    return last;
  }
};

// Item 11: a Transfer-Encoding other than exactly "chunked" made the body parse as a second
// request (request smuggling behind a proxy that reads it differently).
TEST_F(HttpAttack, TransferEncodingOtherThanChunkedIsRefused) {
  const std::string smuggled = "GET /v1/users/me HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string& te : std::vector<std::string>{"gzip, xchunked", "xchunked", "gzip", "identity", "chunked, identity",
                               "gzip, chunked", "chunked\r\nTransfer-Encoding: gzip"}) {
    std::string answer = RawExchange(
        port_, "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + FreshClientIp() +
                   "\r\nContent-Type: application/json\r\nTransfer-Encoding: " + te + "\r\n\r\n" + smuggled);
    EXPECT_TRUE(answer.rfind("HTTP/1.1 501", 0) == 0 || answer.rfind("HTTP/1.1 400", 0) == 0)
        << te << ": " << answer.substr(0, 200);
    EXPECT_EQ(Count(answer, "HTTP/1.1 "), 1) << te << ": the body was answered as a second request:\n" << answer;
  }
  // Exactly "chunked" (any case) is still HTTP/1.1.
  std::string body = json{{"email", "nobody@example.com"}, {"password", "guessing-1"}}.dump();
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  std::string answer = RawExchange(
      port_, "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + FreshClientIp() +
                 "\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n" +
                 size + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer.substr(0, 200);
}

// Item 14: "10.0.0.0/" or "/abc" in TRUSTED_PROXIES was read by atoi as "trust everyone".
// A malformed entry stops the process at start with one line; IPv6 networks work.
TEST_F(HttpAttack, TrustedProxiesAreParsedStrictly) {
  for (const std::string& bad : std::vector<std::string>{"10.0.0.0/", "/abc", "10.0.0.0/33", "10.0.0.0/8x", "300.1.1.1", "10.0.0.1/-1",
                                "fe80::/129", "localhost", "127.0.0.1,10.0.0.0/"}) {
    ApiProcess api(*env_, {"TRUSTED_PROXIES=" + bad, "API_BIND=127.0.0.1"});
    EXPECT_EQ(api.WaitListening(15000ms), 0) << "started with TRUSTED_PROXIES=" << bad;
    EXPECT_TRUE(api.exited()) << bad;
    EXPECT_EQ(api.exit_code(), 2) << bad << ": " << api.output();
    int lines = 0;
    for (char c : api.output()) lines += c == '\n';
    EXPECT_EQ(lines, 1) << bad << ": " << api.output();
    EXPECT_NE(api.output().find("TRUSTED_PROXIES"), std::string::npos) << api.output();
  }

  // An IPv6 proxy network: its X-Forwarded-For is believed, so two clients behind it are limited
  // separately. (RATE_LIMIT_PER_MINUTE=3 makes the fourth request of one client a 429.)
  for (const auto& [bind, rule, host] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"::1", "::1/128", "[::1]"}, {"::1", "2001:db8::/32, ::/127", "[::1]"}, {"127.0.0.1", "127.0.0.0/8", "127.0.0.1"}}) {
    ApiProcess api(*env_, {"TRUSTED_PROXIES=" + rule, "API_BIND=" + bind, "RATE_LIMIT_PER_MINUTE=3"});
    int port = api.WaitListening(30000ms);
    ASSERT_GT(port, 0) << rule << ": " << api.output();
    std::string url = "http://" + host + ":" + std::to_string(port) + "/v1/users/me";
    std::vector<int> first;
    for (int i = 0; i < 4; ++i) first.push_back(Http("GET", url, {"X-Forwarded-For: 2001:db8::a"}).status);
    EXPECT_EQ(first.back(), 429) << rule << ": the client was never limited";
    EXPECT_EQ(Http("GET", url, {"X-Forwarded-For: 2001:db8::b"}).status, 401)
        << rule << ": the proxy's X-Forwarded-For was not believed";
  }
}

// Item 10: one request with an 8,000-character custom method grew /metrics by 137 KB for ever
// (also on 429). Unknown methods and unmatched routes collapse to one label value each.
TEST_F(HttpAttack, MetricsLabelsStayBoundedWhateverTheClientSends) {
  auto series = [] { return Count(Metrics(), "http_requests_total{"); };
  // Warm the labels of what follows, so only new series count.
  for (int round = 0; round < 2; ++round) {
    const int before = series();
    for (int i = 0; i < 5; ++i) {
      std::string method = "X" + HexEncode(RandomBytes(3)) + std::string(8000, 'M');
      std::string answer = RawExchange(port_, method + " /v1/nothing-" + HexEncode(RandomBytes(4)) +
                                                  " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      EXPECT_EQ(answer.rfind("HTTP/1.1 ", 0), 0u) << answer.substr(0, 100);
      Call("GET", "/v1/unknown-route-" + HexEncode(RandomBytes(4)));
    }
    std::string text = Metrics();
    EXPECT_EQ(text.find("MMMMMMMM"), std::string::npos) << "a client-chosen method became a label";
    EXPECT_EQ(text.find("unknown-route-"), std::string::npos) << "a client-chosen path became a label";
    if (round == 1) {
      EXPECT_EQ(series(), before) << "new series appeared for requests that were seen before";
    }
  }
  EXPECT_NE(Metrics().find("method=\"OTHER\""), std::string::npos);
}

// Item 10, "also on 429": the same hostile methods and paths from a client over its rate limit.
// A 429 is answered before any handler, so its labels are the method's (or OTHER) and the route's
// template (or unmatched), never what the client sent; a second flood with new methods and paths
// from another address adds no series.
TEST_F(HttpAttack, MetricsLabelsStayBoundedWhenTheClientIsRateLimited) {
  auto series = [] { return Count(Metrics(), "http_requests_total{"); };
  // Hostile request number `i` from `ip` (four kinds in turn); its status, 0 when no HTTP answer.
  auto hostile = [](const std::string& ip, int i) {
    const std::string tag = HexEncode(RandomBytes(4));
    std::string method, path;
    switch (i % 4) {
      case 0:
        method = "X" + tag + std::string(300, 'M');
        path = "/v1/nothing-" + tag;
        break;
      case 1:
        method = "Q" + tag;
        path = "/nothing-" + tag + "/" + std::string(200, 'p');
        break;
      case 2:
        method = "GET";
        path = "/v1/nothing-" + tag;
        break;
      default:
        method = "DELETE";
        path = "/v1/users/nothing-" + tag;
        break;
    }
    std::string answer =
        RawExchange(port_, method + " " + path + " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + ip +
                               "\r\nConnection: close\r\n\r\n");
    if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
    return std::atoi(answer.substr(9, 3).c_str());
  };
  // From one fresh address until each kind has been refused with 429 at least twice.
  auto flood = [&] {
    const std::string ip = FreshClientIp();
    int limited[4] = {0, 0, 0, 0};
    int i = 0;
    for (; i < 5000 && *std::min_element(limited, limited + 4) < 2; ++i) {
      int status = hostile(ip, i);
      EXPECT_NE(status, 0) << "no HTTP answer to hostile request " << i;
      if (status == 429) ++limited[i % 4];
    }
    EXPECT_GE(*std::min_element(limited, limited + 4), 2) << "no 429 after " << i << " requests";
  };
  Metrics();  // its own series, counted from the next scrape on
  flood();
  const int before = series();
  flood();
  std::string text = Metrics();
  EXPECT_EQ(series(), before) << "a second flood with new methods and paths added series";
  for (const char* leak : {"MMMMMMMM", "nothing-", "pppppppp"}) {
    EXPECT_EQ(text.find(leak), std::string::npos)
        << "a client-chosen value became a label: " << leak;
  }
  for (const char* labels : {R"(method="OTHER",route="unmatched",status="429")",
                             R"(method="GET",route="unmatched",status="429")",
                             R"(method="DELETE",route="/v1/users/{id}",status="429")"}) {
    EXPECT_NE(text.find(labels), std::string::npos) << "no series " << labels;
  }
}

// Item 12: a cookie-authenticated state change from another site (Origin: https://evil.example)
// logged the user out; the WebSocket handshake took the cookie from any site too.
TEST_F(HttpAttack, CookieSessionsRefuseOtherOrigins) {
  Account a = Register("org");
  const std::string cookie = SessionCookie(a);
  ASSERT_EQ(cookie.rfind("session_token=", 0), 0u) << cookie;
  const std::string own = "http://127.0.0.1:" + std::to_string(port_);

  auto evil = Call("POST", "/v1/auth/logout", "", "", {"Cookie: " + cookie, "Origin: https://evil.example"});
  EXPECT_EQ(evil.status, 403) << evil.body;
  auto patch = Call("PATCH", "/v1/users/me", "", json{{"language", "en"}}.dump(),
                    {"Cookie: " + cookie, "Origin: https://evil.example"});
  EXPECT_EQ(patch.status, 403) << patch.body;
  // The session survived, and reads stay possible (a cross-site read gets no CORS header anyway).
  EXPECT_EQ(Call("GET", "/v1/users/me", "", "", {"Cookie: " + cookie}).status, 200);
  EXPECT_EQ(Call("GET", "/v1/users/me", "", "", {"Cookie: " + cookie, "Origin: https://evil.example"}).status, 200);

  net::io_context io;
  EXPECT_THROW(OpenWs(io, "/v1/ws", {{"Cookie", cookie}, {"Origin", "https://evil.example"}}),
               boost::system::system_error);
  EXPECT_NO_THROW(OpenWs(io, "/v1/ws", {{"Cookie", cookie}, {"Origin", own}}));
  // A bearer token is never sent by a browser on its own: any Origin may use it.
  EXPECT_NO_THROW(OpenWs(io, "/v1/ws", {{"Authorization", "Bearer " + a.token}, {"Origin", "https://evil.example"}}));

  // From the API's own origin (and with no Origin: not a browser) the cookie works.
  auto own_patch = Call("PATCH", "/v1/users/me", "", json{{"language", "en"}}.dump(), {"Cookie: " + cookie, "Origin: " + own});
  EXPECT_EQ(own_patch.status, 200) << own_patch.body;
  auto out = Call("POST", "/v1/auth/logout", "", "", {"Cookie: " + cookie});
  EXPECT_EQ(out.status, 204) << out.body;
}

// Item 9: a duplicate email on PATCH /v1/users/me answered with the row's DETAIL (the Argon2
// salt and part of the hash), and a foreign-key error leaked after self-deletion. Conflicts
// get the product's own 409 message; the database's text stays in the log.
TEST_F(HttpAttack, DatabaseTextNeverReachesAClient) {
  Account a = Register("dba");
  Account b = Register("dbb");
  auto email = Call("PATCH", "/v1/users/me", a.token, json{{"email", b.email}}.dump());
  EXPECT_EQ(email.status, 409) << email.body;
  ExpectNoDatabaseText(email, "duplicate email");
  auto name = Call("PATCH", "/v1/users/me", a.token, json{{"username", b.username}}.dump());
  EXPECT_EQ(name.status, 409) << name.body;
  ExpectNoDatabaseText(name, "duplicate username");

  // After self-deletion the old access token still reaches handlers that insert rows for it.
  Account c = Register("dbc");
  ASSERT_EQ(Call("DELETE", "/v1/users/me", c.token).status, 204);
  for (const auto& [method, path, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"POST", "/v1/videos/upload-url", json{{"filename", "climb.mp4"}}.dump()},
           {"POST", "/v1/analyses", json{{"video_id", NewUuid()}}.dump()},
           {"PATCH", "/v1/users/me", json{{"language", "en"}}.dump()},
           {"GET", "/v1/users/me", ""},
           {"GET", "/v1/analyses", ""}}) {
    auto r = Call(method, path, c.token, body);
    EXPECT_LT(r.status, 500) << method << " " << path << ": " << r.body;
    ExpectNoDatabaseText(r, method + " " + path + " after self-deletion");
  }
}

// Item 13: /ready opened a new RabbitMQ connection per call (40 clients: 465 calls/s, every other
// request slowed from 1 ms to 70 ms). The dependencies are probed at most once a second per
// instance: a flood of 600 calls opens a connection per elapsed second, not one per call, and
// every call still answers the truth (the stack is up: 200 ready).
TEST_F(HttpAttack, ReadyFloodDoesNotReachTheDependencies) {
  const int before = AmqpConnectionsAccepted();
  auto start = std::chrono::steady_clock::now();
  std::vector<std::future<std::vector<int>>> clients;
  for (int c = 0; c < 20; ++c) {
    clients.push_back(std::async(std::launch::async, [] {
      // Each client is three addresses of ten calls (half the burst of the per-address /ready
      // limit): what is measured is the dependency cache, not the limiter.
      std::vector<int> statuses;
      for (int a = 0; a < 3; ++a) {
        const std::vector<std::string> from = {"X-Forwarded-For: " + FreshClientIp()};
        for (int i = 0; i < 10; ++i) statuses.push_back(Http("GET", base_ + "/ready", from).status);
      }
      return statuses;
    }));
  }
  int ready = 0, other = 0;
  for (auto& f : clients)
    for (int st : f.get()) (st == 200 ? ready : other)++;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(ready, 600) << other << " calls were not 200";
  const int opened = AmqpConnectionsAccepted() - before;
  // One probe per second of the flood (plus the second it started in), and a margin of 3 for the
  // stack's own reconnections.
  EXPECT_LE(opened, seconds + 4) << "600 calls of /ready in " << seconds << " s opened " << opened
                                 << " RabbitMQ connections";
  // Still truthful: a later call probes again (the answer is at most about a second old; reading
  // the log took more than a second).
  const int again = AmqpConnectionsAccepted();
  EXPECT_EQ(Http("GET", base_ + "/ready").status, 200);
  EXPECT_GE(AmqpConnectionsAccepted(), again + 1) << "a call after the cache time did not probe";
}

// Item 13, "rate-limit it": /ready is limited per client address (READY_RATE_LIMIT_PER_MINUTE,
// 600 a minute in bursts of 20): one address flooding it gets 429 with Retry-After, another
// address is still answered.
TEST_F(HttpAttack, ReadyFloodFromOneAddressIsRateLimited) {
  const std::vector<std::string> flooder = {"X-Forwarded-For: " + FreshClientIp()};
  auto start = std::chrono::steady_clock::now();
  std::vector<HttpResponse> answers;
  for (int i = 0; i < 80; ++i) answers.push_back(Http("GET", base_ + "/ready", flooder));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int ready = 0, refused = 0;
  for (size_t i = 0; i < answers.size(); ++i) {
    const HttpResponse& r = answers[i];
    if (i < 20) {
      EXPECT_EQ(r.status, 200) << "call " << i << " within the burst: " << r.body;
    }
    if (r.status == 200) ++ready;
    if (r.status != 429) continue;
    ++refused;
    EXPECT_EQ(ErrorCode(r), "rate_limited") << r.body;
    const std::string retry = r.Header("retry-after");
    EXPECT_TRUE(retry.size() == 1 && retry[0] >= '1' && retry[0] <= '9') << "Retry-After: " << retry;
  }
  EXPECT_EQ(ready + refused, 80) << "other answers than 200 and 429";
  // The burst, plus ten a second for the time the flood took, plus one for rounding.
  EXPECT_GT(refused, 0) << "80 calls from one address in " << seconds << " s were all answered";
  EXPECT_LE(ready, 20 + static_cast<int>(10 * seconds) + 1) << "in " << seconds << " s";
  // Another address is answered meanwhile, and so is the flooder's other traffic.
  EXPECT_EQ(Http("GET", base_ + "/ready", {"X-Forwarded-For: " + FreshClientIp()}).status, 200);
  EXPECT_EQ(Http("GET", base_ + "/health", flooder).status, 200);
  // The flooder, calling at a probe's pace, is answered again within its Retry-After.
  EXPECT_TRUE(WaitFor(3000ms, [&] { return Http("GET", base_ + "/ready", flooder).status == 200; }))
      << "the flooding address was still refused 3 s later";
}

}  // namespace
}  // namespace ascension::testsuite::security
