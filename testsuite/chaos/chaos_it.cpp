// Chaos (issue 11 item 7): under a steady load — analyses of the reference clip submitted over the
// run, and API traffic from a second process (chaos_load) — kill -9 and restart, in turn, one of
// two API instances, the worker mid-job, RabbitMQ, PostgreSQL, the S3 gateway and the worker
// mid-job again; then publish a poison job and a malformed event. At the end every accepted
// analysis must be completed exactly once or failed with a code (none stuck, none lost, none
// stored twice), no process crashed, /ready 200 on both instances, and each user's quota figure
// matching its analyses. Prints a table of what happened (docs/reliability.md records a run).
//
// Runs against the shared test stack and leaves it as it found it: every service is started
// again at the end, whatever the checks said.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/topology.hpp"
#include "adapters/amqp/url.hpp"
#include "api/http_client.hpp"
#include "common/crypto.hpp"
#include "stack/stack_env.hpp"

extern char** environ;

namespace ascension::testsuite {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kAnalyses = 20;
constexpr int kUsers = 4;  // freemium quota is 10 a month: 5 analyses each
constexpr auto kSubmitEvery = 6s;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

bool WaitFor(Clock::duration limit, const std::function<bool()>& pred,
             Clock::duration every = 250ms) {
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

// A process is gone when /proc has no entry or it is a zombie (a killed daemon lingers a moment).
bool Alive(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(") ");
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' &&
         stat[close + 2] != 'X';
}

std::string CommandLine(pid_t pid) {
  std::string cmd = ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(cmd.begin(), cmd.end(), '\0', ' ');
  return cmd;
}

// A child process (posix_spawn) with stdout and stderr to `log`; SIGTERM and reaped on Stop().
class Child {
 public:
  Child(std::vector<std::string> argv, const std::vector<std::string>& extra_env,
        const std::string& log) {
    // getenv() takes the first match: the extra settings come before the inherited ones.
    std::vector<std::string> vars(extra_env);
    for (char** e = environ; *e != nullptr; ++e) vars.emplace_back(*e);
    std::vector<char*> envp, args;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (posix_spawn(&pid_, argv[0].c_str(), &fa, nullptr, args.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Child() { Stop(); }
  pid_t pid() const { return pid_; }
  bool running() const {
    if (pid_ <= 0) return false;
    int status = 0;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }
  // SIGTERM, then waits (SIGKILL after 30 s). Returns the exit status, -1 if it died of a signal.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    bool done = WaitFor(
        30s, [&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, 50ms);
    if (!done) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
};

class ChaosTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = StackEnv::Load();
    ASSERT_TRUE(env_.ok()) << env_.error();
    home_ = env_.Get("ASCENSION_HOME");
    bases_ = {"http://127.0.0.1:" + env_.Get("API_PORT")};
    worker_url_ = "http://127.0.0.1:" + env_.Get("WORKER_METRICS_PORT");
  }

  // Whatever happened, every service runs again for the suites after this one.
  void TearDown() override {
    for (const char* svc : {"postgres", "rabbitmq", "ceph", "api"})
      env_.Control(std::string("start ") + svc + " >/dev/null");
  }

  static HttpResponse Call(const std::string& method, const std::string& url,
                           const std::string& token = "", const std::string& body = "") {
    static std::mutex mu;
    static std::mt19937 rng(std::random_device{}());
    std::string ip;
    {
      std::lock_guard l(mu);
      ip = "192.0.2." + std::to_string(1 + rng() % 250);
    }
    std::vector<std::string> h = {"X-Forwarded-For: " + ip};
    if (!token.empty()) h.push_back("Authorization: Bearer " + token);
    if (!body.empty()) h.push_back("Content-Type: application/json");
    return Http(method, url, h, body, !body.empty());
  }
  static json Body(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }

  // Rows of a query (each row its columns as text); empty on any error.
  std::vector<std::vector<std::string>> Sql(const std::string& sql) const {
    std::vector<std::vector<std::string>> rows;
    PGconn* c = PQconnectdb((env_.Get("DATABASE_URL") + "?connect_timeout=3").c_str());
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        for (int i = 0; i < PQntuples(r); ++i) {
          std::vector<std::string> row;
          for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
          rows.push_back(std::move(row));
        }
      }
      PQclear(r);
    }
    PQfinish(c);
    return rows;
  }

  bool Ready() const {
    for (const auto& b : bases_) {
      if (Call("GET", b + "/ready").status != 200) return false;
    }
    return Http("GET", worker_url_ + "/health").status == 200;
  }

  pid_t PidOf(const std::string& name) const {
    std::ifstream f(home_ + "/run/" + name + ".pid");
    pid_t pid = 0;
    f >> pid;
    return pid;
  }

  // kill -9 of the stack's process `name` (its pid file), once its command line shows `word`.
  // Returns false (and says why) when there is no such live process.
  bool KillNine(const std::string& name, const std::string& word, std::string* why) const {
    pid_t pid = PidOf(name);
    if (pid <= 0 || !Alive(pid) || CommandLine(pid).find(word) == std::string::npos) {
      *why = name + ": no live process (pid " + std::to_string(pid) + ")";
      return false;
    }
    kill(pid, SIGKILL);
    if (!WaitFor(
            15s, [&] { return !Alive(pid); }, 50ms)) {
      *why = name + " survived SIGKILL";
      return false;
    }
    return true;
  }

  struct Account {
    std::string id, token, video;
  };

  Account Register(int i) const {
    Account a;
    std::string tag = HexEncode(RandomBytes(4));
    auto r = Call("POST", bases_[0] + "/v1/auth/register", "",
                  json{{"username", "chaos" + std::to_string(i) + "_" + tag},
                       {"email", "chaos" + std::to_string(i) + tag + "@example.com"},
                       {"password", "chaos-password-" + tag}}
                      .dump());
    auto j = Body(r);
    EXPECT_EQ(r.status, 201) << r.body;
    if (!j.is_object()) return a;
    a.id = j.value("user_id", "");
    a.token = j.value("access_token", "");
    auto up = Body(
        Call("POST", bases_[0] + "/v1/videos/upload-url", a.token, R"({"filename":"climb.mp4"})"));
    if (!up.is_object() || !up.contains("upload_url")) return a;
    auto put = Http("PUT", up["upload_url"].get<std::string>(),
                    {"Content-Type: " + up.value("content_type", "video/mp4")}, clip_, true);
    EXPECT_EQ(put.status, 200);
    a.video = up.value("video_id", "");
    return a;
  }

  StackEnv env_;
  std::string home_;
  std::vector<std::string> bases_;
  std::string worker_url_;
  std::string clip_;
};

struct FaultRecord {
  explicit FaultRecord(std::string name) : fault(std::move(name)) {}
  std::string fault;
  bool injected = false;
  double recovery_s = 0;  // from the kill (or publish) to both /ready and the worker healthy
  bool recovered = false;
  std::string note;
};

TEST_F(ChaosTest, KillNineEachProcessUnderLoadLosesAndDuplicatesNothing) {
  clip_ = ReadFile(ASCENSION_EXAMPLE_VIDEO);
  ASSERT_GT(clip_.size(), 1000000u);
  const auto started = Clock::now();

  // A second API instance, so that killing one leaves the other serving.
  int second_port = env_.Port("API_PORT") + 60;
  std::vector<std::string> second_env = {"API_PORT=" + std::to_string(second_port),
                                         "INSTANCE_ID=chaos-second"};
  for (const auto& [k, v] : env_.values()) {
    if (k != "API_PORT" && k != "INSTANCE_ID") second_env.push_back(k + "=" + v);
  }
  Child second({ASCENSION_API_BINARY}, second_env, home_ + "/logs/api-chaos.log");
  bases_.push_back("http://127.0.0.1:" + std::to_string(second_port));
  ASSERT_TRUE(WaitFor(60s, [&] { return Ready(); })) << "stack and second API instance not ready";

  std::vector<Account> users;
  for (int i = 0; i < kUsers; ++i) users.push_back(Register(i));
  for (const auto& u : users) ASSERT_FALSE(u.video.empty()) << "upload failed";

  // API traffic from a second process.
  const std::string load_report = home_ + "/chaos-load.json";
  std::remove(load_report.c_str());
  std::vector<std::string> load_argv = {ASCENSION_CHAOS_LOAD_BINARY, load_report};
  for (const auto& b : bases_) load_argv.push_back(b);
  Child load(load_argv, {}, home_ + "/logs/chaos-load.log");

  // The analyses, submitted one every few seconds to alternating instances; a refused or
  // unanswered submission is retried (that is what a client does), an answered 202 is accepted.
  std::mutex mu;
  std::map<std::string, int> accepted;  // analysis id -> user index
  std::atomic<int> submit_retries{0};
  std::atomic<bool> submitting{true};
  std::thread submitter([&] {
    for (int i = 0; i < kAnalyses; ++i) {
      auto next = Clock::now() + kSubmitEvery;
      const Account& u = users[static_cast<std::size_t>(i % kUsers)];
      for (auto until = Clock::now() + 120s; Clock::now() < until;) {
        auto r = Call("POST", bases_[static_cast<std::size_t>(i) % bases_.size()] + "/v1/analyses",
                      u.token, json{{"video_id", u.video}, {"model", "lite"}}.dump());
        auto j = Body(r);
        if (r.status == 202 && j.is_object() && j.contains("analysis_id") &&
            j["analysis_id"].is_string()) {
          std::lock_guard l(mu);
          accepted[j["analysis_id"].get<std::string>()] = i % kUsers;
          break;
        }
        ++submit_retries;
        std::this_thread::sleep_for(1s);
      }
      std::this_thread::sleep_until(next);
    }
    submitting = false;
  });

  std::vector<FaultRecord> faults;
  auto recover = [&](FaultRecord& f, Clock::time_point since) {
    f.recovered = WaitFor(180s, [&] { return Ready(); });
    f.recovery_s = Seconds(Clock::now() - since);
  };
  auto kill_and_restart = [&](const std::string& fault, const std::string& pidname,
                              const std::string& word, const std::string& service) {
    FaultRecord f(fault);
    auto t0 = Clock::now();
    std::string why;
    f.injected = KillNine(pidname, word, &why);
    f.note = why;
    if (env_.Control("start " + service + " >/dev/null") != 0) f.note += " restart failed;";
    recover(f, t0);
    faults.push_back(f);
  };
  auto mid_job = [&] {
    return WaitFor(
        180s,
        [&] {
          return !Sql("SELECT 1 FROM analyses WHERE status = 'processing' AND progress >= 5 LIMIT "
                      "1")
                      .empty();
        },
        200ms);
  };

  std::this_thread::sleep_for(kSubmitEvery);  // some work in flight before the first fault
  kill_and_restart("kill -9 api (one of two instances)", "api", "ascension-api", "api");
  if (!mid_job()) ADD_FAILURE() << "no analysis reached processing before the first worker kill";
  kill_and_restart("kill -9 worker mid-job (1)", "worker", "ascension-worker", "worker");
  kill_and_restart("kill -9 rabbitmq", "rabbitmq-beam", "beam", "rabbitmq");
  kill_and_restart("kill -9 postgresql", "postgres", "postgres", "postgres");
  kill_and_restart("kill -9 s3 gateway (radosgw)", "rgw", "radosgw", "rgw");
  if (!mid_job()) ADD_FAILURE() << "no analysis reached processing before the second worker kill";
  kill_and_restart("kill -9 worker mid-job (2)", "worker", "ascension-worker", "worker");

  // Poison job and malformed event (the two reproductions of issue 11).
  {
    auto url = amqp::ParseUrl(env_.Get("RABBITMQ_URL"));
    ASSERT_TRUE(url.ok());
    auto mq = amqp::Connection::Open(*url);
    ASSERT_TRUE(mq.ok()) << mq.status().ToString();
    FaultRecord poison("poison job (\"model\":1)");
    auto t0 = Clock::now();
    json job = {{"job_id", NewUuid()},
                {"analysis_id", NewUuid()},
                {"user_id", users[0].id},
                {"video_url", "s3://" + env_.Get("MINIO_BUCKET") + "/uploads/x.mp4"},
                {"model", 1},
                {"attempt", 1},
                {"created_at", "2026-01-01T00:00:00Z"}};
    amqp::PublishOptions jo;
    jo.persistent = true;
    poison.injected = mq->PublishConfirmed("", amqp::topology::kJobQueue, job.dump(), jo).ok();
    // The worker must still be serving after it took the message: give it a few polls.
    std::this_thread::sleep_for(3s);
    recover(poison, t0);
    faults.push_back(poison);

    FaultRecord event("malformed event (\"progress\":\"50\")");
    t0 = Clock::now();
    std::string job_id = NewUuid();
    json body = {{"job_id", job_id},
                 {"analysis_id", NewUuid()},
                 {"user_id", users[0].id},
                 {"progress", "50"},
                 {"stage", 7}};
    amqp::PublishOptions eo;
    eo.persistent = false;
    event.injected = mq->PublishConfirmed(amqp::topology::kEventsExchange,
                                          amqp::topology::ProgressKey(job_id), body.dump(), eo)
                         .ok();
    std::this_thread::sleep_for(3s);
    recover(event, t0);
    faults.push_back(event);
  }

  submitter.join();
  // Every accepted analysis reaches a terminal state, or it is stuck.
  std::map<std::string, int> ids;
  {
    std::lock_guard l(mu);
    ids = accepted;
  }
  std::string user_list;
  for (const auto& u : users) user_list += (user_list.empty() ? "'" : ",'") + u.id + "'";
  auto rows_of_users = [&] {
    return Sql(
        "SELECT id, status, coalesce(error_code, ''), attempts, user_id FROM analyses WHERE "
        "user_id IN (" +
        user_list + ")");
  };
  WaitFor(
      600s,
      [&] {
        auto rows = rows_of_users();
        if (rows.empty()) return false;
        for (const auto& r : rows) {
          if (r[1] != "completed" && r[1] != "failed") return false;
        }
        return true;
      },
      1s);
  load.Stop();

  // The verdict, from the database (the truth) and the worker's log (who completed what).
  auto rows = rows_of_users();
  std::map<std::string, std::vector<std::string>> by_id;
  for (auto& r : rows) by_id[r[0]] = r;
  int completed = 0, failed = 0, failed_without_code = 0, stuck = 0, lost = 0, unacknowledged = 0,
      duplicated = 0;
  std::map<std::string, int> completions;
  {
    std::ifstream log(home_ + "/logs/worker.log");
    std::string line;
    while (std::getline(log, line)) {
      if (line.find("analysis completed") == std::string::npos) continue;
      auto j = json::parse(line, nullptr, false);
      if (j.is_object() && j.value("msg", "") == "analysis completed" &&
          j.contains("analysis_id") && j["analysis_id"].is_string()) {
        ++completions[j["analysis_id"].get<std::string>()];
      }
    }
  }
  std::map<std::string, int> failure_codes;
  for (const auto& [id, user] : ids) {
    if (by_id.count(id) == 0) ++lost;
  }
  for (const auto& [id, r] : by_id) {
    if (ids.count(id) == 0) ++unacknowledged;  // created, but its 202 never reached the client
    if (r[1] == "completed") {
      ++completed;
    } else if (r[1] == "failed") {
      ++failed;
      ++failure_codes[r[2].empty() ? "(none)" : r[2]];
      if (r[2].empty()) ++failed_without_code;
    } else {
      ++stuck;
    }
    if (completions[id] > 1) ++duplicated;
  }

  // Quota: each user's figure counts exactly its analyses that did not fail.
  int quota_mismatches = 0;
  for (const auto& u : users) {
    int expected = 0;
    for (const auto& [id, r] : by_id) expected += (r[4] == u.id && r[1] != "failed") ? 1 : 0;
    auto me = Body(Call("GET", bases_[0] + "/v1/users/me", u.token));
    if (!me.is_object() || !me.contains("quota_used") || !me["quota_used"].is_number_integer() ||
        me["quota_used"].get<int>() != expected) {
      ++quota_mismatches;
    }
  }

  // Processes: the stack reports every service up, the second instance still runs.
  bool stack_up = env_.Control("status >/dev/null") == 0;
  bool second_alive = second.running();
  bool ready = Ready();
  json traffic = json::parse(ReadFile(load_report), nullptr, false);

  double longest = 0;
  for (const auto& f : faults) longest = std::max(longest, f.recovery_s);
  std::ostringstream table;
  table << "\nChaos run: " << faults.size() << " faults, " << kAnalyses
        << " analyses submitted (lite model), " << std::fixed << std::setprecision(0)
        << Seconds(Clock::now() - started) << " s\n\n";
  table << "| fault | injected | recovered | recovery (s) | note |\n|---|---|---|---|---|\n";
  for (const auto& f : faults) {
    table << "| " << f.fault << " | " << (f.injected ? "yes" : "NO") << " | "
          << (f.recovered ? "yes" : "NO") << " | " << std::setprecision(1) << f.recovery_s << " | "
          << f.note << " |\n";
  }
  table << "\n| analyses | count |\n|---|---|\n"
        << "| accepted (202 seen by the client) | " << ids.size() << " |\n"
        << "| created without the client seeing its 202 | " << unacknowledged << " |\n"
        << "| completed | " << completed << " |\n"
        << "| failed (with a code) | " << failed - failed_without_code << " |\n"
        << "| failed without a code | " << failed_without_code << " |\n"
        << "| stuck (not terminal after 10 min) | " << stuck << " |\n"
        << "| lost (accepted, no row) | " << lost << " |\n"
        << "| duplicated (completed more than once) | " << duplicated << " |\n"
        << "| submissions retried (503 or no answer) | " << submit_retries.load() << " |\n";
  table << "\nfailure codes:";
  for (const auto& [code, n] : failure_codes) table << " " << code << "=" << n;
  table << "\nlongest recovery: " << std::setprecision(1) << longest << " s"
        << "\nprocesses: stack " << (stack_up ? "all up" : "NOT all up") << ", second API instance "
        << (second_alive ? "running" : "NOT running") << ", /ready " << (ready ? "200" : "not 200")
        << "\nquota figures not matching the rows: " << quota_mismatches
        << "\nAPI traffic (second process): "
        << (traffic.is_object() ? traffic.dump() : "no report") << "\n";
  std::cout << table.str() << std::flush;
  std::ofstream(home_ + "/chaos-report.md") << table.str();

  for (const auto& f : faults) {
    EXPECT_TRUE(f.injected) << f.fault << ": " << f.note;
    EXPECT_TRUE(f.recovered) << f.fault << " did not recover";
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kAnalyses))
      << "some submissions were never accepted";
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(stuck, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(failed_without_code, 0);
  EXPECT_EQ(quota_mismatches, 0);
  EXPECT_TRUE(stack_up) << "a process of the stack is down";
  EXPECT_TRUE(second_alive) << "the second API instance died";
  EXPECT_TRUE(ready);
  ASSERT_TRUE(traffic.is_object()) << "chaos_load wrote no report";
  EXPECT_GT(traffic.value("ok", 0), 0);
  EXPECT_TRUE(traffic["unexpected"].empty())
      << "API answers other than 2xx/503: " << traffic["unexpected"].dump();
  EXPECT_EQ(second.Stop(), 0) << "the second API instance did not exit cleanly";
}

}  // namespace
}  // namespace ascension::testsuite
