// Client logic that needs no server: config validation, presigning and error mapping.
#include "adapters/s3/client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ascension::s3 {
namespace {

Config TestConfig(std::string endpoint = "http://127.0.0.1:7480") {
  Config c;
  c.endpoint = std::move(endpoint);
  c.bucket = "ascension";
  c.access_key = "AKIDEXAMPLE";
  c.secret_key = "secret";
  return c;
}

TEST(S3Client, CreateValidatesConfig) {
  EXPECT_TRUE(Client::Create(TestConfig()).ok());
  EXPECT_TRUE(Client::Create(TestConfig("https://s3.example.com")).ok());
  EXPECT_TRUE(Client::Create(TestConfig("http://[::1]:9000/")).ok());
  for (const char* bad : {"127.0.0.1:7480", "ftp://host", "http://", "http://host/base",
                          "http://user@host", "http://host:port"}) {
    auto r = Client::Create(TestConfig(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument) << bad;
  }
  Config no_bucket = TestConfig();
  no_bucket.bucket.clear();
  EXPECT_FALSE(Client::Create(no_bucket).ok());
  Config no_key = TestConfig();
  no_key.secret_key.clear();
  EXPECT_FALSE(Client::Create(no_key).ok());
}

TEST(S3Client, PresignPutIsPathStyleAndSignsContentType) {
  auto client = Client::Create(TestConfig());
  ASSERT_TRUE(client.ok());
  auto now = Clock::from_time_t(1700000000);
  auto url = client->PresignPut("uploads/u 1/v1.mp4", "video/mp4", std::chrono::minutes(15), now);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->url.starts_with("http://127.0.0.1:7480/ascension/uploads/u%201/v1.mp4?"));
  EXPECT_NE(url->url.find("X-Amz-SignedHeaders=content-type%3Bhost"), std::string::npos);
  EXPECT_EQ(url->method, "PUT");
  EXPECT_EQ(url->expires_at, now + std::chrono::minutes(15));
  ASSERT_EQ(url->required_headers.size(), 1u);
  EXPECT_EQ(url->required_headers[0].value, "video/mp4");
}

TEST(S3Client, PresignDropsDefaultPortFromHost) {
  auto client = Client::Create(TestConfig("https://S3.Example.com:443"));
  ASSERT_TRUE(client.ok());
  auto url = client->PresignGet("k", std::chrono::seconds(60), Clock::from_time_t(1700000000));
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->url.starts_with("https://s3.example.com/ascension/k?")) << url->url;
}

TEST(S3Client, PresignRejectsBadKeyAndExpiry) {
  auto client = Client::Create(TestConfig());
  ASSERT_TRUE(client.ok());
  auto now = Clock::now();
  EXPECT_FALSE(client->PresignGet("", std::chrono::seconds(60), now).ok());
  EXPECT_FALSE(client->PresignGet("k", std::chrono::hours(24 * 8), now).ok());
}

TEST(S3Client, StatusFromHttpMapsKinds) {
  std::string no_key =
      "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>gone</Message></Error>";
  Status st = StatusFromHttp(404, no_key, "GET k");
  EXPECT_EQ(st.kind(), ErrorKind::kNotFound);
  EXPECT_NE(st.message().find("NoSuchKey"), std::string::npos);
  EXPECT_NE(st.message().find("gone"), std::string::npos);
  EXPECT_EQ(StatusFromHttp(404, "", "HEAD k").kind(), ErrorKind::kNotFound);
  EXPECT_EQ(
      StatusFromHttp(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>", "PUT k").kind(),
      ErrorKind::kPermissionDenied);
  EXPECT_EQ(StatusFromHttp(503, "<Error><Code>SlowDown</Code></Error>", "PUT k").kind(),
            ErrorKind::kUnavailable);
  EXPECT_EQ(StatusFromHttp(500, "", "PUT k").kind(), ErrorKind::kUnavailable);
  Status bad =
      StatusFromHttp(400, "<Error><Code>InvalidArgument</Code><Message>m</Message></Error>", "X");
  EXPECT_EQ(bad.kind(), ErrorKind::kInternal);
  EXPECT_NE(bad.message().find("HTTP 400 InvalidArgument: m"), std::string::npos);
}

TEST(S3Client, ClosedPortIsUnavailable) {
  Config c = TestConfig("http://127.0.0.1:1");
  c.connect_timeout = std::chrono::milliseconds(500);
  auto client = Client::Create(c);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->HeadBucket().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(client->HeadObject("k").status().kind(), ErrorKind::kUnavailable);
}

// A TCP port that accepts connections (the kernel completes the handshake) but never answers.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 16);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { close(fd_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(S3Client, SilentServerTimesOutAsUnavailable) {
  SilentServer server;
  Config c = TestConfig("http://127.0.0.1:" + std::to_string(server.port()));
  c.request_timeout = std::chrono::milliseconds(300);
  auto client = Client::Create(c);
  ASSERT_TRUE(client.ok());
  auto start = std::chrono::steady_clock::now();
  Status st = client->PutObject("k", "body");
  EXPECT_EQ(st.kind(), ErrorKind::kUnavailable) << st.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

// Answers each of the next connections with one canned response, and keeps the requests it read.
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::string> responses) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 16);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, responses = std::move(responses)] {
      for (const auto& response : responses) {
        int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string request;
        char buf[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
          ssize_t n = recv(c, buf, sizeof buf, 0);
          if (n <= 0) break;
          request.append(buf, static_cast<size_t>(n));
        }
        {
          std::lock_guard l(mu_);
          requests_.push_back(request);
        }
        (void)send(c, response.data(), response.size(), MSG_NOSIGNAL);
        shutdown(c, SHUT_RDWR);
        close(c);
      }
    });
  }
  ~CannedServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;
  int port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard l(mu_);
    return requests_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

// issue 10 #2: a download names the version it wants (If-Match) and refuses more bytes than the
// limit, from the announced length or as they arrive (no length announced); nothing is kept.
TEST(S3Client, ConditionalDownloadRefusesAnotherVersionAndTooManyBytes) {
  const std::string body(100, 'v');
  CannedServer server({
      "HTTP/1.1 412 Precondition Failed\r\nContent-Type: application/xml\r\nContent-Length: 47\r\n"
      "Connection: close\r\n\r\n<Error><Code>PreconditionFailed</Code></Error>\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n" + body,
      "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body,
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n" + body,
  });
  auto client = Client::Create(TestConfig("http://127.0.0.1:" + std::to_string(server.port())));
  ASSERT_TRUE(client.ok());
  auto path = std::filesystem::temp_directory_path() /
              ("s3-cond-" + std::to_string(::getpid()) + ".bin");

  Status changed = client->GetObjectToFile("k", path, std::nullopt, {"abc123", 1000});
  EXPECT_EQ(changed.kind(), ErrorKind::kFailedPrecondition) << changed.ToString();
  EXPECT_EQ(changed.code(), "object_changed");
  ASSERT_FALSE(server.requests().empty());
  EXPECT_NE(server.requests()[0].find("If-Match: \"abc123\""), std::string::npos)
      << server.requests()[0];

  for (const char* which : {"announced", "streamed"}) {
    Status big = client->GetObjectToFile("k", path, std::nullopt, {"", 50});
    EXPECT_EQ(big.code(), "object_too_large") << which << ": " << big.ToString();
    EXPECT_FALSE(std::filesystem::exists(path)) << which;
    std::filesystem::path part = path;
    part += ".part";
    EXPECT_FALSE(std::filesystem::exists(part)) << which;
  }

  ASSERT_TRUE(client->GetObjectToFile("k", path, std::nullopt, {"", 100}).ok());
  EXPECT_EQ(std::filesystem::file_size(path), 100u);
  std::filesystem::remove(path);
  EXPECT_EQ(client->GetObjectToFile("k", path, std::nullopt, {"a\"b", 100}).kind(),
            ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace ascension::s3
