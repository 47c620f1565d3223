// The `stack` fixture itself: the env file names everything the binaries need, and each service
// answers its own protocol on the port the file gives. Plain sockets, so this test depends on
// nothing but the stack.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>

#include "stack/stack_env.hpp"

namespace ascension::testsuite {
namespace {

// A connected TCP socket to 127.0.0.1:port with 5 s send/receive timeouts; closed on scope exit.
class Socket {
 public:
  static std::optional<Socket> Connect(int port) {
    Socket s(::socket(AF_INET, SOCK_STREAM, 0));
    if (s.fd_ < 0) return std::nullopt;
    timeval tv{5, 0};
    ::setsockopt(s.fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s.fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(s.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return std::nullopt;
    return s;
  }
  Socket(Socket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket& operator=(Socket&&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool Send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Up to n bytes (fewer when the peer stops sending).
  std::string Receive(size_t n) {
    std::string out;
    char buf[512];
    while (out.size() < n) {
      ssize_t got = ::recv(fd_, buf, std::min(sizeof buf, n - out.size()), 0);
      if (got <= 0) break;
      out.append(buf, static_cast<size_t>(got));
    }
    return out;
  }

 private:
  explicit Socket(int fd) : fd_(fd) {}
  int fd_;
};

// The status line of GET path on 127.0.0.1:port ("" when nothing answers).
std::string HttpStatusLine(int port, const std::string& path) {
  auto s = Socket::Connect(port);
  if (!s) return "";
  s->Send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string reply = s->Receive(64);
  return reply.substr(0, reply.find("\r\n"));
}

class StackSmokeIT : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = StackEnv::Load();
    ASSERT_TRUE(env_.ok()) << env_.error();
  }
  StackEnv env_;
};

TEST_F(StackSmokeIT, EnvFileNamesEverySetting) {
  for (const char* name :
       {"DATABASE_URL", "RABBITMQ_URL", "MINIO_ENDPOINT", "MINIO_BUCKET", "MINIO_ROOT_USER",
        "MINIO_ROOT_PASSWORD", "JWT_SECRET", "API_PORT", "WORKER_METRICS_PORT",
        "ASCENSION_MODELS_DIR", "LOG_LEVEL", "ASCENSION_PG_PORT", "ASCENSION_AMQP_PORT",
        "ASCENSION_S3_PORT", "ASCENSION_HOME"}) {
    EXPECT_FALSE(env_.Get(name).empty()) << name << " missing from " << env_.path();
  }
  EXPECT_EQ(env_.Get("JWT_SECRET").size(), 96u) << "JWT_SECRET is 48 random bytes in hex";
  EXPECT_EQ(env_.Get("DATABASE_URL").rfind("postgresql://ascension:", 0), 0u);
  EXPECT_NE(env_.Get("DATABASE_URL").find(":" + env_.Get("ASCENSION_PG_PORT") + "/ascension"),
            std::string::npos);
  EXPECT_EQ(env_.Get("RABBITMQ_URL").rfind("amqp://ascension:", 0), 0u);
  EXPECT_EQ(env_.Get("MINIO_ENDPOINT"), "http://127.0.0.1:" + env_.Get("ASCENSION_S3_PORT"));
}

TEST_F(StackSmokeIT, PostgresAnswersSslRequest) {
  auto s = Socket::Connect(env_.Port("ASCENSION_PG_PORT"));
  ASSERT_TRUE(s) << "nothing listens on the PostgreSQL port";
  // SSLRequest: length 8, code 80877103; the server answers one byte, 'S' or 'N'.
  const unsigned char req[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
  ASSERT_TRUE(s->Send(std::string_view(reinterpret_cast<const char*>(req), sizeof req)));
  const std::string reply = s->Receive(1);
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_TRUE(reply[0] == 'N' || reply[0] == 'S') << "unexpected reply " << int(reply[0]);
}

TEST_F(StackSmokeIT, RabbitMqAnswersProtocolHeader) {
  auto s = Socket::Connect(env_.Port("ASCENSION_AMQP_PORT"));
  ASSERT_TRUE(s) << "nothing listens on the AMQP port";
  ASSERT_TRUE(s->Send(std::string_view("AMQP\x00\x00\x09\x01", 8)));
  const std::string frame = s->Receive(1);
  ASSERT_EQ(frame.size(), 1u);
  EXPECT_EQ(frame[0], 1) << "expected a method frame (connection.start)";
}

TEST_F(StackSmokeIT, S3AnswersHttp) {
  const std::string status = HttpStatusLine(env_.Port("ASCENSION_S3_PORT"), "/");
  EXPECT_EQ(status.rfind("HTTP/1.1 ", 0), 0u) << "S3 endpoint answered '" << status << "'";
}

TEST_F(StackSmokeIT, ApiIsReadyWhenStarted) {
  const std::string status = HttpStatusLine(env_.Port("API_PORT"), "/ready");
  if (status.empty()) GTEST_FAIL() << "the API is not running (not built yet): services-only stack";
  EXPECT_EQ(status.rfind("HTTP/1.1 200", 0), 0u) << "GET /ready answered '" << status << "'";
}

}  // namespace
}  // namespace ascension::testsuite
