// A worker whose video download takes three minutes keeps its RabbitMQ connection, so the broker
// never redelivers the job to another pipeline (issue 11 item 3). The worker under test reaches the
// S3 gateway through a throttling TCP proxy (responses at clip size / 180 s) and runs two
// pipelines: a starved connection would be closed by the broker after two missed heartbeats
// (about a minute) and the job handed to the idle pipeline, which would download it a second time.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

#include "api/http_client.hpp"
#include "common/crypto.hpp"
#include "stack/stack_env.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

bool WaitFor(Clock::duration limit, const std::function<bool()>& pred,
             Clock::duration every = 500ms) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(every);
  }
  return pred();
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A TCP proxy on 127.0.0.1 in front of `upstream_port`: requests pass as they come, responses
// are paced to `bytes_per_second`. Counts the requests whose request line is a GET naming
// `watch`, and how long the longest response took to pass.
class ThrottlingProxy {
 public:
  ThrottlingProxy(int upstream_port, std::size_t bytes_per_second, std::string watch)
      : upstream_port_(upstream_port), rate_(bytes_per_second), watch_(std::move(watch)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        listen(listen_fd_, 16) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      return;
    }
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~ThrottlingProxy() {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    std::lock_guard l(mu_);
    for (auto& t : sessions_) t.join();
    close(listen_fd_);
  }
  int port() const { return port_; }
  int gets() const { return gets_.load(); }
  double longest_response_s() const {
    std::lock_guard l(mu_);
    return longest_;
  }

 private:
  void Accept() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      int client = accept(listen_fd_, nullptr, nullptr);
      if (client < 0) continue;
      std::lock_guard l(mu_);
      sessions_.emplace_back([this, client] { Session(client); });
    }
  }

  void Session(int client) {
    int up = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(upstream_port_));
    if (connect(up, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close(up);
      close(client);
      return;
    }
    std::string requests;  // what the client sent, to find request lines
    std::size_t scanned = 0;
    std::optional<Clock::time_point> response_started;
    std::size_t paced = 0;  // response bytes passed since response_started
    char buf[16384];
    bool open = true;
    while (open && !stop_) {
      pollfd p[2] = {{client, POLLIN, 0}, {up, POLLIN, 0}};
      if (poll(p, 2, 100) <= 0) continue;
      if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = read(client, buf, sizeof buf);
        if (n <= 0 || write(up, buf, static_cast<std::size_t>(n)) != n) break;
        requests.append(buf, static_cast<std::size_t>(n));
        for (std::size_t eol; (eol = requests.find("\r\n", scanned)) != std::string::npos;
             scanned = eol + 2) {
          std::string_view line(requests.data() + scanned, eol - scanned);
          if (line.starts_with("GET ") && line.find(watch_) != std::string_view::npos) {
            ++gets_;
            response_started = Clock::now();
            paced = 0;
          }
        }
      }
      if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
        // Read no more than the pace allows, so the upstream's own buffers fill and it waits.
        const std::size_t chunk = std::max<std::size_t>(1, std::min(sizeof buf, rate_ / 20));
        ssize_t n = read(up, buf, chunk);
        if (n <= 0) break;
        for (ssize_t off = 0; off < n && open;) {
          ssize_t w = write(client, buf + off, static_cast<std::size_t>(n - off));
          if (w <= 0) open = false;
          off += std::max<ssize_t>(w, 0);
        }
        if (!response_started) response_started = Clock::now();
        paced += static_cast<std::size_t>(n);
        auto due = *response_started + std::chrono::microseconds(paced * 1000000 / rate_);
        std::this_thread::sleep_until(due);
        std::lock_guard l(mu_);
        longest_ = std::max(
            longest_, std::chrono::duration<double>(Clock::now() - *response_started).count());
      }
    }
    close(up);
    close(client);
  }

  int upstream_port_;
  std::size_t rate_;
  std::string watch_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> gets_{0};
  mutable std::mutex mu_;
  double longest_ = 0;
  std::thread acceptor_;
  std::vector<std::thread> sessions_;
};

class WorkerHeartbeatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = StackEnv::Load();
    ASSERT_TRUE(env_.ok()) << env_.error();
    base_ = "http://127.0.0.1:" + env_.Get("API_PORT");
  }
  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& token = "", const std::string& body = "") const {
    std::vector<std::string> h = {"X-Forwarded-For: 192.0.2.201"};
    if (!token.empty()) h.push_back("Authorization: Bearer " + token);
    if (!body.empty()) h.push_back("Content-Type: application/json");
    return Http(method, base_ + path, h, body, !body.empty());
  }
  std::string Sql(const std::string& sql) const {
    PGconn* c = PQconnectdb(env_.Get("DATABASE_URL").c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(c);
    return out;
  }
  StackEnv env_;
  std::string base_;
};

TEST_F(WorkerHeartbeatTest, ThreeMinuteDownloadCausesNoRedelivery) {
  const std::string clip = ReadFile(ASCENSION_EXAMPLE_VIDEO);
  ASSERT_GT(clip.size(), 1000000u);

  // An account and its upload, straight to the S3 gateway.
  std::string tag = HexEncode(RandomBytes(4));
  auto reg = json::parse(Call("POST", "/v1/auth/register", "",
                              json{{"username", "slow" + tag},
                                   {"email", "slow" + tag + "@example.com"},
                                   {"password", "slow-password-" + tag}}
                                  .dump())
                             .body,
                         nullptr, false);
  ASSERT_TRUE(reg.is_object() && reg.contains("access_token")) << reg.dump();
  const std::string token = reg["access_token"];
  auto up =
      json::parse(Call("POST", "/v1/videos/upload-url", token, R"({"filename":"slow.mp4"})").body,
                  nullptr, false);
  ASSERT_TRUE(up.is_object() && up.contains("upload_url")) << up.dump();
  ASSERT_EQ(Http("PUT", up["upload_url"],
                 {"Content-Type: " + up.value("content_type", "video/mp4")}, clip, true)
                .status,
            200);
  const std::string video = up["video_id"];

  // The worker under test: the stack's settings, storage through the proxy, two pipelines.
  ASSERT_EQ(env_.Control("stop worker"), 0);
  ThrottlingProxy proxy(env_.Port("ASCENSION_S3_PORT"), clip.size() / 180, video);
  ASSERT_GT(proxy.port(), 0);
  std::vector<std::string> vars = {
      "MINIO_ENDPOINT=http://127.0.0.1:" + std::to_string(proxy.port()), "WORKER_CONCURRENCY=2"};
  for (const auto& [k, v] : env_.values()) {
    if (k != "MINIO_ENDPOINT" && k != "WORKER_CONCURRENCY") vars.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  const std::string log = env_.Get("ASCENSION_HOME") + "/logs/worker-throttled.log";
  std::string bin = ASCENSION_WORKER_BINARY;
  char* argv[] = {bin.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv, envp.data()), 0);
  posix_spawn_file_actions_destroy(&fa);
  const std::string health = "http://127.0.0.1:" + env_.Get("WORKER_METRICS_PORT") + "/health";
  bool healthy = WaitFor(60s, [&] { return Http("GET", health).status == 200; });

  std::string id;
  json final;
  if (healthy) {
    auto started = json::parse(
        Call("POST", "/v1/analyses", token, json{{"video_id", video}, {"model", "lite"}}.dump())
            .body,
        nullptr, false);
    if (started.is_object() && started.contains("analysis_id")) id = started["analysis_id"];
    WaitFor(
        600s,
        [&] {
          final = json::parse(Call("GET", "/v1/analyses/" + id, token).body, nullptr, false);
          return final.is_object() &&
                 (final["status"] == "completed" || final["status"] == "failed");
        },
        2s);
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(env_.Control("start worker"), 0);

  ASSERT_TRUE(healthy) << "the worker under test did not start; see " << log;
  ASSERT_FALSE(id.empty()) << "the analysis was not accepted";
  EXPECT_EQ(final.value("status", ""), "completed") << final.dump();
  EXPECT_GE(proxy.longest_response_s(), 170.0) << "the download was not throttled to three minutes";
  EXPECT_EQ(proxy.gets(), 1) << "the video was downloaded more than once: the job was redelivered";
  EXPECT_EQ(Sql("SELECT attempts FROM analyses WHERE id = '" + id + "'"), "1");
  const std::string worker_log = ReadFile(log);
  EXPECT_EQ(worker_log.find("lost rabbitmq"), std::string::npos)
      << "the worker lost its broker connection";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the worker did not exit cleanly";
}

}  // namespace
}  // namespace ascension::testsuite
