// The fixture of the suites that drive the running test stack over HTTP (api_it, resilience_it,
// robustness_it): the stack's environment, a client of the API (each test its own client address
// for the rate limiter, through the X-Forwarded-For the stack trusts from loopback), accounts,
// presigned uploads, SQL on the stack's database, waiting with a timeout, and a second API
// process on its own port.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/s3/client.hpp"
#include "api/http_client.hpp"
#include "common/crypto.hpp"
#include "stack/stack_env.hpp"

namespace ascension::testsuite {

// Polls `pred` every `every` (500 ms) until true or `limit`; returns whether it became true.
// (Each poll is usually an API call: the pace stays within the per-client rate limit.)
inline bool WaitFor(std::chrono::milliseconds limit, const std::function<bool()>& pred,
                    std::chrono::milliseconds every = std::chrono::milliseconds(500)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(every);
  }
  return pred();
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A process of ours (ascension-api, ascension-worker) started with the stack's environment plus
// `extra_env`, stdout to /dev/null; stopped (SIGTERM, then waited) on destruction.
class ChildProcess {
 public:
  ChildProcess(const StackEnv& env, const std::string& binary, std::vector<std::string> extra_env,
               const std::vector<std::string>& drop = {}) {
    std::vector<std::string> vars;
    for (const auto& [k, v] : env.values()) {
      bool replaced = std::find(drop.begin(), drop.end(), k) != drop.end();
      for (const auto& e : extra_env) replaced = replaced || e.rfind(k + "=", 0) == 0;
      if (!replaced) vars.push_back(k + "=" + v);
    }
    for (auto& e : extra_env) vars.push_back(e);
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string bin = binary;
    char* argv[] = {bin.data(), nullptr};
    stderr_path_ = "/tmp/ascension-child-" + HexEncode(RandomBytes(6)) + ".err";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    if (posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv, envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~ChildProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    std::remove(stderr_path_.c_str());
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits up to `limit` for the process to exit; its exit status, or -1 when it still runs.
  int WaitExit(std::chrono::seconds limit) {
    if (pid_ <= 0) return -1;
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  std::string Stderr() const { return ReadFile(stderr_path_); }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string stderr_path_;
};

#ifdef ASCENSION_API_BINARY
// A second ascension-api process on its own port.
class ApiInstance {
 public:
  ApiInstance(const StackEnv& env, int port, std::vector<std::string> extra_env)
      : port_(port), process_(env, ASCENSION_API_BINARY, WithPort(port, std::move(extra_env))) {
    ready_ = process_.pid() > 0 && WaitFor(std::chrono::seconds(30), [&] {
               return Http("GET", url() + "/health").status == 200;
             });
  }
  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  static std::vector<std::string> WithPort(int port, std::vector<std::string> extra) {
    extra.push_back("API_PORT=" + std::to_string(port));
    extra.push_back("INSTANCE_ID=second-" + std::to_string(port));
    return extra;
  }
  int port_;
  ChildProcess process_;
  bool ready_ = false;
};
#endif

class StackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new StackEnv(StackEnv::Load());
    ASSERT_TRUE(env_->ok()) << env_->error();
    base_ = "http://127.0.0.1:" + env_->Get("API_PORT");
    // A suite before this one may have restarted a dependency: start from a ready stack.
    std::string last;
    bool ready = WaitFor(std::chrono::seconds(90), [&] {
      auto r = Http("GET", base_ + "/ready");
      last = std::to_string(r.status) + " " + r.body;
      return r.status == 200;
    });
    ASSERT_TRUE(ready) << "the stack's API did not become ready within 90 s: GET /ready answered "
                       << last;
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  // Each test is its own client for the rate limiter, in the suite's network (`net` is a /24
  // prefix such as "198.51.100.").
  void PickClient(const std::string& net) {
    client_ip_ = net + std::to_string(1 + static_cast<unsigned char>(RandomBytes(1)[0]) % 250);
  }

  static HttpResponse Call(const std::string& method, const std::string& path,
                           const std::string& token = "", const std::string& body = "",
                           std::vector<std::string> headers = {}, const std::string& base = "") {
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    auto has = [&](const char* prefix) {
      return std::any_of(headers.begin(), headers.end(),
                         [&](const std::string& h) { return h.rfind(prefix, 0) == 0; });
    };
    // The stack trusts loopback as a proxy: each test is its own client for the rate limiter.
    if (!has("X-Forwarded-For")) headers.push_back("X-Forwarded-For: " + client_ip_);
    if (!body.empty() && !has("Content-Type")) headers.push_back("Content-Type: application/json");
    return Http(method, (base.empty() ? base_ : base) + path, headers, body, !body.empty());
  }

  static nlohmann::json Body(const HttpResponse& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }

  static std::string ErrorCode(const HttpResponse& r) {
    auto j = Body(r);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) {
      return "<no error shape: " + r.body + ">";
    }
    return j["error"].value("code", "");
  }
  static std::string ErrorMessage(const HttpResponse& r) {
    auto j = Body(r);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
    return j["error"].value("message", "");
  }

  struct Account {
    std::string id, token, refresh, email, password, username;
  };
  // A new account, registered from this test's client address or from `from_ip`.
  static Account Register(const std::string& prefix, const std::string& from_ip = "") {
    std::string tag = HexEncode(RandomBytes(4));
    Account a;
    a.username = prefix + tag;
    a.email = prefix + tag + "@example.com";
    a.password = "climbing-" + tag;
    std::vector<std::string> headers;
    if (!from_ip.empty()) headers.push_back("X-Forwarded-For: " + from_ip);
    auto r = Call(
        "POST", "/v1/auth/register", "",
        nlohmann::json{{"username", a.username}, {"email", a.email}, {"password", a.password}}
            .dump(),
        headers);
    EXPECT_EQ(r.status, 201) << r.body;
    auto j = Body(r);
    if (j.is_object()) {
      a.id = j.value("user_id", "");
      a.token = j.value("access_token", "");
      a.refresh = j.value("refresh_token", "");
    }
    return a;
  }

  // upload-url + presigned PUT of `bytes`; returns the video id.
  static std::string Upload(const Account& a, const std::string& bytes,
                            const std::string& filename = "climb.mp4") {
    auto r = Call("POST", "/v1/videos/upload-url", a.token,
                  nlohmann::json{{"filename", filename}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    auto j = Body(r);
    auto put = Http("PUT", j["upload_url"].get<std::string>(),
                    {"Content-Type: " + j["content_type"].get<std::string>()}, bytes, true);
    EXPECT_EQ(put.status, 200) << put.body;
    return j["video_id"];
  }

  static std::string Start(const Account& a, const std::string& video) {
    auto r = Call("POST", "/v1/analyses", a.token, nlohmann::json{{"video_id", video}}.dump());
    EXPECT_EQ(r.status, 202) << r.body;
    return Body(r).value("analysis_id", "");
  }

  static nlohmann::json WaitTerminal(const Account& a, const std::string& id,
                                     std::chrono::seconds limit) {
    nlohmann::json j;
    WaitFor(limit, [&] {
      j = Body(Call("GET", "/v1/analyses/" + id, a.token));
      return j.is_object() && (j["status"] == "completed" || j["status"] == "failed");
    });
    return j;
  }

  // Runs one SQL statement on the stack's database and returns the first cell.
  static std::string Sql(const std::string& sql) {
    PGconn* c = PQconnectdb(env_->Get("DATABASE_URL").c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    EXPECT_TRUE(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
        << PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    return out;
  }

  static s3::Client Storage() {
    s3::Config c;
    c.endpoint = env_->Get("MINIO_ENDPOINT");
    c.bucket = env_->Get("MINIO_BUCKET");
    c.access_key = env_->Get("MINIO_ROOT_USER");
    c.secret_key = env_->Get("MINIO_ROOT_PASSWORD");
    return s3::Client::Create(c).value();
  }

  static inline StackEnv* env_ = nullptr;
  static inline std::string base_;
  static inline std::string client_ip_;
};

}  // namespace ascension::testsuite
