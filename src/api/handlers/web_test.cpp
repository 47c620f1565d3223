#include "api/handlers/web.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ascension::api {
namespace {

namespace fs = std::filesystem;

class WebClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/web_client_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    Write("index.html", "<!doctype html><title>Ascension</title>");
    Write("index.html.gz", "GZ-INDEX");
    Write("assets/index-abc123.js", "console.log(1)");
    Write("robots.txt", "User-agent: *");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& body) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << body;
  }

  WebClient Load() {
    return WebClient::Load(
        {.root = root_.string(), .content_security_policy = "default-src 'self'"});
  }

  static http::Request Get(std::string path,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.headers = std::move(headers);
    return r;
  }

  static std::string Header(const http::Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  fs::path root_;
};

TEST_F(WebClientTest, ServesTheIndexAtTheRootWithoutCaching) {
  auto w = Load();
  ASSERT_TRUE(w.built());
  auto r = w.Serve(Get("/"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>Ascension</title>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(r, "Content-Security-Policy"), "default-src 'self'");
  EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
  EXPECT_FALSE(Header(r, "ETag").empty());
}

TEST_F(WebClientTest, HashedAssetsAreImmutable) {
  auto r = Load().Serve(Get("/assets/index-abc123.js"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(r, "Content-Security-Policy"), "");
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
}

TEST_F(WebClientTest, ClientRoutesGetTheIndexButMissingFilesDoNot) {
  auto w = Load();
  for (const char* route :
       {"/upload", "/analyses/7f0c6a4e-0000-4000-8000-000000000000", "/history"}) {
    auto r = w.Serve(Get(route));
    EXPECT_EQ(r.status, 200) << route;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << route;
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache") << route;
  }
  for (const char* missing : {"/assets/index-old.js", "/assets/", "/favicon.ico", "/a/b.css"}) {
    auto r = w.Serve(Get(missing));
    EXPECT_EQ(r.status, 404) << missing;
    EXPECT_EQ(r.content_type, "application/json") << missing;
  }
  EXPECT_EQ(w.Serve(Get("/robots.txt")).body, "User-agent: *");
}

TEST_F(WebClientTest, NoPathLeavesTheLoadedFiles) {
  Write("../outside.txt", "secret");
  auto w = Load();
  for (const char* p :
       {"/../outside.txt", "/assets/../../outside.txt", "/%2e%2e/outside.txt", "//etc/passwd"}) {
    auto r = w.Serve(Get(p));
    EXPECT_NE(r.body, "secret") << p;
    EXPECT_TRUE(r.status == 404 || r.content_type.rfind("text/html", 0) == 0) << p;
  }
  fs::remove(root_.parent_path() / "outside.txt");
}

TEST_F(WebClientTest, RevalidationAnswers304) {
  auto w = Load();
  auto first = w.Serve(Get("/"));
  std::string etag = Header(first, "ETag");
  auto again = w.Serve(Get("/", {{"if-none-match", etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  auto list = w.Serve(Get("/", {{"if-none-match", "\"other\", W/" + etag}}));
  EXPECT_EQ(list.status, 304);
  EXPECT_EQ(w.Serve(Get("/", {{"if-none-match", "\"other\""}})).status, 200);
}

TEST_F(WebClientTest, GzipVariantForClientsThatAcceptIt) {
  auto w = Load();
  auto gz = w.Serve(Get("/", {{"accept-encoding", "br, gzip;q=0.8"}}));
  EXPECT_EQ(gz.body, "GZ-INDEX");
  EXPECT_EQ(Header(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(Header(gz, "Vary"), "Accept-Encoding");
  EXPECT_NE(Header(gz, "ETag"), Header(w.Serve(Get("/")), "ETag"));
  auto plain = w.Serve(Get("/", {{"accept-encoding", "gzip;q=0, br"}}));
  EXPECT_EQ(plain.body, "<!doctype html><title>Ascension</title>");
  EXPECT_EQ(Header(plain, "Content-Encoding"), "");
  // No .gz variant: never Content-Encoding.
  EXPECT_EQ(Header(w.Serve(Get("/assets/index-abc123.js", {{"accept-encoding", "gzip"}})),
                   "Content-Encoding"),
            "");
}

TEST_F(WebClientTest, NotBuiltIsAClearError) {
  auto w = WebClient::Load({.root = (root_ / "nowhere").string(), .content_security_policy = ""});
  EXPECT_FALSE(w.built());
  auto r = w.Serve(Get("/"));
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("web_client_not_built"), std::string::npos);
  fs::remove(root_ / "index.html");
  EXPECT_FALSE(Load().built());
}

TEST_F(WebClientTest, RefusesAClientLargerThanItsLimit) {
  auto w = WebClient::Load(
      {.root = root_.string(), .content_security_policy = "", .max_total_bytes = 10});
  EXPECT_FALSE(w.built());
}

TEST(IsOwnOriginTest, SameSchemeAndHost) {
  EXPECT_TRUE(IsOwnOrigin("http://127.0.0.1:8080", "127.0.0.1:8080", false));
  EXPECT_TRUE(IsOwnOrigin("https://api.ascension.app", "api.ascension.app", true));
  // nginx passes $host, without the port.
  EXPECT_TRUE(IsOwnOrigin("https://127.0.0.1:8443", "127.0.0.1", true));
  EXPECT_TRUE(IsOwnOrigin("https://[::1]:8443", "[::1]", true));
  EXPECT_FALSE(IsOwnOrigin("http://127.0.0.1:8080", "127.0.0.1:8080", true));  // scheme
  EXPECT_FALSE(IsOwnOrigin("https://evil.example", "api.ascension.app", true));
  EXPECT_FALSE(IsOwnOrigin("https://api.ascension.app.evil.example", "api.ascension.app", true));
  EXPECT_FALSE(IsOwnOrigin("http://127.0.0.1:9999", "127.0.0.1:8080", false));
  EXPECT_FALSE(IsOwnOrigin("http://127.0.0.1:x", "127.0.0.1", false));
  EXPECT_FALSE(IsOwnOrigin("null", "127.0.0.1", false));
  EXPECT_FALSE(IsOwnOrigin("http://127.0.0.1", "", false));
}

TEST(CookieOriginAllowedTest, OwnOrListedOriginsOnly) {
  http::Request req;
  req.headers = {{"host", "api.ascension.app"}};
  req.via_tls = true;
  const std::vector<std::string> listed = {"https://app.ascension.app"};
  EXPECT_TRUE(CookieOriginAllowed(req, listed));  // no Origin: not a cross-site browser request
  req.headers.emplace_back("origin", "https://api.ascension.app");
  EXPECT_TRUE(CookieOriginAllowed(req, listed));
  req.headers.back().second = "https://app.ascension.app";
  EXPECT_TRUE(CookieOriginAllowed(req, listed));
  req.headers.back().second = "https://evil.example";
  EXPECT_FALSE(CookieOriginAllowed(req, listed));
  EXPECT_FALSE(CookieOriginAllowed(req, {"*"}));  // a wildcard never lends the cookie
  req.headers.back().second = "null";
  EXPECT_FALSE(CookieOriginAllowed(req, listed));
}

TEST(AcceptsGzipTest, ReadsTokensAndWeights) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, gzip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("xgzip"));
}

TEST(WebContentSecurityPolicyTest, AllowsStorageForImagesMediaAndUploadsOnly) {
  std::string csp = WebContentSecurityPolicy("https://s3.ascension.app/bucket");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("img-src 'self' data: blob: https://s3.ascension.app;"), std::string::npos);
  EXPECT_NE(csp.find("media-src 'self' blob: https://s3.ascension.app;"), std::string::npos);
  EXPECT_NE(csp.find("connect-src 'self' https://s3.ascension.app;"), std::string::npos);
  EXPECT_NE(WebContentSecurityPolicy("http://127.0.0.1:7480")
                .find("connect-src 'self' http://127.0.0.1:7480;"),
            std::string::npos);
  // Anything odd in the configured address stays out of the header.
  std::string bad = WebContentSecurityPolicy("https://x.example; script-src *");
  EXPECT_EQ(bad.find("script-src *"), std::string::npos);
  EXPECT_NE(bad.find("connect-src 'self';"), std::string::npos);
}

}  // namespace
}  // namespace ascension::api
