// What the security tests share: a client of the running test stack that plays several users
// from several addresses, raw sockets for requests libcurl would refuse to send, direct access to
// the database and the store to check what an attack left behind, and a second API process for
// configurations the stack does not run with.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/s3/client.hpp"
#include "api/http_client.hpp"
#include "common/crypto.hpp"
#include "stack/api_fixture.hpp"
#include "stack/stack_env.hpp"

namespace ascension::testsuite::security {

using nlohmann::json;
using namespace std::chrono_literals;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using WebSocket = websocket::stream<net::ip::tcp::socket>;

// Polls `pred` every 250 ms until it holds or `limit` passes; returns whether it held.
inline bool WaitFor(std::chrono::milliseconds limit, const std::function<bool()>& pred) {
  return testsuite::WaitFor(limit, pred, 250ms);
}

// A fresh documentation-range address: each test is its own client for the rate limiters (the
// stack trusts loopback as a proxy, so X-Forwarded-For names the client).
inline std::string FreshClientIp() {
  auto b = RandomBytes(2);
  return "198.18." + std::to_string(static_cast<unsigned char>(b[0])) + "." +
         std::to_string(1 + static_cast<unsigned char>(b[1]) % 250);
}

// Sends `raw` bytes on a new connection and returns everything the server sent back until it
// closed the connection or `wait` passed without more data.
inline std::string RawExchange(int port, const std::string& raw, std::chrono::milliseconds wait = 3000ms) {
  net::io_context io;
  net::ip::tcp::socket sock(io);
  boost::system::error_code ec;
  sock.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return "<connect failed: " + ec.message() + ">";
  net::write(sock, net::buffer(raw), ec);
  std::string out;
  pollfd p{sock.native_handle(), POLLIN, 0};
  char buf[8192];
  while (::poll(&p, 1, static_cast<int>(wait.count())) > 0) {
    ssize_t n = ::recv(sock.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// How many times `needle` occurs in `hay`.
inline int Count(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// A second ascension-api process with the stack's settings plus `overrides` (NAME=value), on an
// ephemeral port read from its "api listening" log line. Stopped (SIGTERM, waited) on destruction.
class ApiProcess {
 public:
  ApiProcess(const StackEnv& env, const std::vector<std::string>& overrides) {
    std::vector<std::string> vars;
    auto overridden = [&](const std::string& name) {
      for (const auto& o : overrides)
        if (o.rfind(name + "=", 0) == 0) return true;
      return false;
    };
    for (const auto& [k, v] : env.values()) {
      if (k != "API_PORT" && k != "INSTANCE_ID" && !overridden(k)) vars.push_back(k + "=" + v);
    }
    if (!overridden("API_PORT")) vars.push_back("API_PORT=0");
    vars.push_back("INSTANCE_ID=security-" + HexEncode(RandomBytes(3)));
    for (const auto& o : overrides) vars.push_back(o);
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    int out[2];
    if (pipe(out) != 0) return;
    // ASCENSION_API_BINARY in the environment runs another build (e.g. one without the fixes).
    const char* other = std::getenv("ASCENSION_API_BINARY");
    std::string bin = other != nullptr && *other != '\0' ? other : ASCENSION_API_BINARY;
    char* argv[] = {bin.data(), nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    if (posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv, envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    out_fd_ = out[0];
  }
  ~ApiProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }
  ApiProcess(const ApiProcess&) = delete;
  ApiProcess& operator=(const ApiProcess&) = delete;

  // Reads the output until the process listens (returns its port) or exits or `limit` passes
  // (returns 0). output() and exit_code() tell what happened.
  int WaitListening(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (int port = PortFromOutput(); port > 0) return port;
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) > 0) {
        char buf[4096];
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n > 0) {
          output_.append(buf, static_cast<size_t>(n));
          continue;
        }
      }
      int status = 0;
      if (!exited_ && waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        Drain();
        return 0;
      }
    }
    return PortFromOutput();
  }
  bool exited() const { return exited_; }
  int exit_code() const { return exit_code_; }
  const std::string& output() const { return output_; }

 private:
  void Drain() {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) output_.append(buf, static_cast<size_t>(n));
  }
  int PortFromOutput() const {
    for (std::string_view rest = output_; !rest.empty();) {
      size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (line.find("api listening") == std::string_view::npos) continue;
      auto j = json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("port") && j["port"].is_number_integer()) return j["port"].get<int>();
    }
    return 0;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
  std::string output_;
};

// Stops the stack's worker (SIGSTOP) until destroyed (SIGCONT), so that a test can act between
// the 202 of POST /v1/analyses and the worker's download.
class PausedWorker {
 public:
  explicit PausedWorker(const StackEnv& env) {
    std::ifstream f(env.Get("ASCENSION_HOME") + "/run/worker.pid");
    f >> pid_;
    if (pid_ > 0 && ::kill(pid_, SIGSTOP) != 0) pid_ = 0;
  }
  ~PausedWorker() { Resume(); }
  PausedWorker(const PausedWorker&) = delete;
  PausedWorker& operator=(const PausedWorker&) = delete;
  bool paused() const { return pid_ > 0; }
  void Resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
    pid_ = 0;
  }

 private:
  pid_t pid_ = 0;
};

class SecurityTest : public StackTest {
 protected:
  static void SetUpTestSuite() {
    StackTest::SetUpTestSuite();
    if (env_ != nullptr) port_ = env_->Port("API_PORT");
  }
  void SetUp() override { client_ip_ = FreshClientIp(); }

  // Registered from a fresh address, so that no test meets another's registration rate limit.
  Account Register(const std::string& prefix) const {
    return StackTest::Register(prefix, FreshClientIp());
  }
  // Logs in again (from a fresh address): a token carrying the account's current role.
  std::string Login(const Account& a) const {
    auto r = Call("POST", "/v1/auth/login", "", json{{"email", a.email}, {"password", a.password}}.dump(),
                  {"X-Forwarded-For: " + FreshClientIp()});
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = Body(r);
    return j.is_object() ? j.value("access_token", "") : "";
  }
  Account Admin(const std::string& prefix) const {
    Account a = Register(prefix);
    Sql("UPDATE users SET role = 'admin' WHERE id = '" + a.id + "'");
    a.token = Login(a);
    return a;
  }

  struct UploadUrl {
    std::string video_id, url, content_type, key;
  };
  UploadUrl NewUploadUrl(const Account& a, json extra = json::object()) const {
    extra["filename"] = "climb.mp4";
    auto r = Call("POST", "/v1/videos/upload-url", a.token, extra.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    auto j = Body(r);
    UploadUrl u;
    if (!j.is_object()) return u;
    u.video_id = j.value("video_id", "");
    u.url = j.value("upload_url", "");
    u.content_type = j.value("content_type", "");
    u.key = j.value("object_key", "");
    return u;
  }
  // upload-url + presigned PUT of `bytes`.
  UploadUrl Upload(const Account& a, const std::string& bytes) const {
    UploadUrl u = NewUploadUrl(a);
    auto put = Http("PUT", u.url, {"Content-Type: " + u.content_type}, bytes, true);
    EXPECT_EQ(put.status, 200) << put.body;
    return u;
  }

  // An unsigned request straight to the store (what anyone on the internet can do).
  static HttpResponse Anonymous(const std::string& method, const std::string& key) {
    return Http(method, env_->Get("MINIO_ENDPOINT") + "/" + env_->Get("MINIO_BUCKET") + "/" + key);
  }

  // An HS256 token signed with the stack's secret, for claims the API would not issue itself.
  static std::string Jwt(const json& claims) {
    std::string input = Base64UrlEncode(json{{"alg", "HS256"}, {"typ", "JWT"}}.dump()) + "." +
                        Base64UrlEncode(claims.dump());
    return input + "." + Base64UrlEncode(HmacSha256(env_->Get("JWT_SECRET"), input));
  }

  // A WebSocket to /v1/ws; `headers` are added to the handshake. Throws on refusal.
  std::unique_ptr<WebSocket> OpenWs(net::io_context& io, const std::string& target,
                                    const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    auto ws = std::make_unique<WebSocket>(io);
    net::ip::tcp::resolver resolver(io);
    net::connect(ws->next_layer(), resolver.resolve("127.0.0.1", std::to_string(port_)));
    std::string ip = client_ip_;
    ws->set_option(websocket::stream_base::decorator([headers, ip](websocket::request_type& req) {
      req.set("X-Forwarded-For", ip);
      for (const auto& [k, v] : headers) req.set(k, v);
    }));
    ws->handshake("127.0.0.1", target);
    return ws;
  }
  // Reads until the server closes the WebSocket (true) or `limit` passes (false). Pings are
  // answered by the stream itself.
  static bool ClosedWithin(WebSocket& ws, std::chrono::milliseconds limit) {
    auto& sock = ws.next_layer();
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{sock.native_handle(), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      beast::flat_buffer buf;
      beast::error_code ec;
      ws.read(buf, ec);
      if (ec) return true;
    }
    return false;
  }

  // Peak resident memory of the stack's API process (kB), and a way to reset it.
  static pid_t ApiPid() {
    std::ifstream f(env_->Get("ASCENSION_HOME") + "/run/api.pid");
    pid_t pid = 0;
    f >> pid;
    return pid;
  }
  static long PeakRssKb(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }
  static void ResetPeakRss(pid_t pid) {
    std::ofstream f("/proc/" + std::to_string(pid) + "/clear_refs");
    f << "5";
  }

  static inline int port_ = 0;
};

}  // namespace ascension::testsuite::security
