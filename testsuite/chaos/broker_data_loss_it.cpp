// RabbitMQ loses its data (issue 18 item 6; the production setup document's recovery procedure:
// "re-queue any in-flight jobs from the database"). Against the shared test stack:
//  1. one analysis is processing (the worker holds its message) and three wait pending behind
//     it, their job messages confirmed by the broker; RabbitMQ is stopped, its data directory
//     (mnesia: queues and messages) deleted, and RabbitMQ started again, empty;
//  2. `ascension admin requeue --dry-run` counts the three lost pending analyses and changes
//     nothing;
//  3. an API instance whose reaper re-publishes pending analyses after PENDING_REQUEUE_SECONDS
//     (60 s, the smallest allowed) is started: every analysis completes, each exactly once (one
//     worker run: attempts = 1, one "analysis completed" log line), the pending ones through
//     their re-published message (dispatch 1), the processing one by the worker that held it;
//  4. `requeue` afterwards finds nothing to do;
//  5. the broker loses its data again with one analysis pending and no reaper configured for
//     it: `ascension admin requeue` re-publishes it on demand and it completes exactly once.
// Every wait is bounded and says what it waited for. RabbitMQ runs again at the end, whatever
// the checks said.
#include <signal.h>
#include <sys/types.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stack/api_fixture.hpp"

namespace ascension::testsuite {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class BrokerDataLossTest : public StackTest {
 protected:
  void SetUp() override { PickClient("203.0.113."); }
  void TearDown() override { env_->Control("start rabbitmq >/dev/null"); }

  static std::string Home() { return env_->Get("ASCENSION_HOME"); }
  static pid_t WorkerPid() {
    std::ifstream f(Home() + "/run/worker.pid");
    long pid = 0;
    if (!(f >> pid)) return -1;
    return static_cast<pid_t>(pid);
  }

  // POST /v1/analyses with a model; the analysis id ("" and a failure when refused).
  static std::string StartWith(const Account& a, const std::string& video,
                               const std::string& model) {
    auto r =
        Call("POST", "/v1/analyses", a.token, json{{"video_id", video}, {"model", model}}.dump());
    EXPECT_EQ(r.status, 202) << r.body;
    auto j = Body(r);
    return j.is_object() && j.contains("analysis_id") && j["analysis_id"].is_string()
               ? j["analysis_id"].get<std::string>()
               : "";
  }

  static std::string Status(const std::string& id) {
    return Sql("SELECT status FROM analyses WHERE id = '" + id + "'");
  }
  static std::string Column(const std::string& id, const std::string& column) {
    return Sql("SELECT " + column + " FROM analyses WHERE id = '" + id + "'");
  }
  // Outbox rows of the analysis not yet confirmed by the broker.
  static std::string Unsent(const std::string& id) {
    return Sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND analysis_id = '" + id + "'");
  }

  // The worker's "analysis completed" log lines per analysis id.
  static std::map<std::string, int> Completions() {
    std::map<std::string, int> n;
    std::ifstream log(Home() + "/logs/worker.log");
    std::string line;
    while (std::getline(log, line)) {
      if (line.find("analysis completed") == std::string::npos) continue;
      auto j = json::parse(line, nullptr, false);
      if (j.is_object() && j.value("msg", "") == "analysis completed" &&
          j.contains("analysis_id") && j["analysis_id"].is_string()) {
        ++n[j["analysis_id"].get<std::string>()];
      }
    }
    return n;
  }

  // Stops RabbitMQ, deletes its data directory, starts it again (empty). Fails the test with
  // the step that went wrong.
  static void LoseBrokerData() {
    ASSERT_EQ(env_->Control("stop rabbitmq >/dev/null"), 0) << "could not stop rabbitmq";
    const std::filesystem::path mnesia = Home() + "/rabbitmq/mnesia";
    ASSERT_TRUE(std::filesystem::exists(mnesia)) << mnesia << ": no RabbitMQ data directory";
    std::error_code ec;
    std::filesystem::remove_all(mnesia, ec);
    ASSERT_FALSE(ec) << "could not delete " << mnesia << ": " << ec.message();
    ASSERT_FALSE(std::filesystem::exists(mnesia));
    ASSERT_EQ(env_->Control("start rabbitmq >/dev/null"), 0)
        << "rabbitmq did not start on an empty data dir";
    ASSERT_TRUE(WaitFor(120s, [] { return Http("GET", base_ + "/ready").status == 200; }))
        << "the API did not become ready again after RabbitMQ came back empty";
  }

  // The number of pending analyses a requeue report says it re-queued ("[dry run: would be ]N
  // pending analyses re-queued, ..."), or -1 when the report has no such line or, with
  // `dry_run`, the line does not say it was a dry run.
  static int Count(const std::string& report, bool dry_run) {
    const std::string tail = " pending analyses re-queued";
    auto end = report.find(tail);
    if (end == std::string::npos) return -1;
    auto begin = end;
    while (begin > 0 && report[begin - 1] >= '0' && report[begin - 1] <= '9') --begin;
    if (begin == end) return -1;
    const std::string dry = "dry run: would be ";
    bool says_dry = begin >= dry.size() && report.compare(begin - dry.size(), dry.size(), dry) == 0;
    if (says_dry != dry_run) return -1;
    return std::stoi(report.substr(begin, end - begin));
  }

  // `ascension admin requeue ARGS` against the stack: its exit status and stdout.
  static std::pair<int, std::string> Requeue(const std::string& args) {
    const std::string out = Home() + "/requeue-" + HexEncode(RandomBytes(4)) + ".out";
    int rc = env_->Control("admin requeue " + args + " >'" + out + "' 2>&1");
    std::string text = ReadFile(out);
    std::filesystem::remove(out);
    return {rc, text};
  }
};

TEST_F(BrokerDataLossTest, PendingAndProcessingAnalysesEachCompleteOnceAfterTheBrokerLostItsData) {
  const std::string clip = ReadFile(ASCENSION_EXAMPLE_VIDEO);
  ASSERT_GT(clip.size(), 1000000u) << ASCENSION_EXAMPLE_VIDEO;
  Account a = Register("bdl");
  ASSERT_FALSE(a.token.empty());
  const std::string video = Upload(a, clip);

  // 1. One analysis under way (heavy model: long enough to outlive the outage), three behind it.
  const std::string processing = StartWith(a, video, "heavy");
  ASSERT_FALSE(processing.empty());
  ASSERT_TRUE(WaitFor(300s,
                      [&] {
                        return Status(processing) == "processing" &&
                               std::stoi("0" + Column(processing, "progress")) >= 5;
                      }))
      << "the first analysis never got going: status " << Status(processing);
  std::vector<std::string> pending;
  for (int i = 0; i < 3; ++i) pending.push_back(StartWith(a, video, "lite"));
  for (const auto& id : pending) {
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(WaitFor(30s, [&] { return Unsent(id) == "0"; }))
        << id << ": its job was never confirmed by the broker";
  }
  for (const auto& id : pending) {
    ASSERT_EQ(Status(id), "pending") << id << " left the queue before the broker lost its data";
  }

  {
    // The worker is paused through the outage, so the first analysis is still under way when the
    // broker loses its data however fast the machine analyses (two cores finished it first).
    const pid_t worker = WorkerPid();
    ASSERT_GT(worker, 0) << "no worker pid in " << Home() << "/run/worker.pid";
    ASSERT_EQ(::kill(worker, SIGSTOP), 0) << "could not pause the worker";
    struct Resume {
      pid_t pid;
      ~Resume() { ::kill(pid, SIGCONT); }
    } resume{worker};
    ASSERT_EQ(Status(processing), "processing")
        << "the first analysis finished before the broker lost its data: the outage tested nothing";
    ASSERT_NO_FATAL_FAILURE(LoseBrokerData());
  }

  // 2. The dry run counts the lost ones and changes nothing.
  auto [dry_rc, dry_out] = Requeue("--dry-run");
  EXPECT_EQ(dry_rc, 0) << dry_out;
  // (at least ours: any other pending analysis whose job reached the broker counts too)
  EXPECT_GE(Count(dry_out, true), 3) << dry_out;
  for (const auto& id : pending) {
    EXPECT_EQ(Status(id), "pending") << id;
    EXPECT_EQ(Column(id, "dispatch"), "0") << id << ": the dry run changed it";
  }

  // 3. The reaper of an instance with the shortest timeouts re-publishes them.
  ApiInstance reaper(*env_, env_->Port("API_PORT") + 53,
                     {"PENDING_REQUEUE_SECONDS=60", "REAPER_TIMEOUT_SECONDS=60"});
  ASSERT_TRUE(reaper.ready()) << "the reaper's API instance did not start";
  std::vector<std::string> all = pending;
  all.insert(all.begin(), processing);
  // One bound for all four (the heavy one first, then three lite ones on a shared machine).
  auto terminal = [&] {
    for (const auto& id : all) {
      auto s = Status(id);
      if (s != "completed" && s != "failed") return false;
    }
    return true;
  };
  EXPECT_TRUE(WaitFor(900s, terminal)) << "not every analysis finished within 15 min";
  for (const auto& id : all) {
    EXPECT_EQ(Status(id), "completed") << id << ": " << Column(id, "coalesce(error_code, '')");
  }
  auto done = Completions();
  for (const auto& id : all) {
    EXPECT_EQ(done[id], 1) << id << ": completed " << done[id] << " times by the worker";
    EXPECT_EQ(Column(id, "attempts"), "1") << id << ": taken by the worker more than once";
  }
  EXPECT_EQ(Column(processing, "dispatch"), "0") << "the analysis the worker held was re-published";
  // Re-published at least once (again each PENDING_REQUEUE_SECONDS while it waited behind the
  // others: the worker skipped the older copies).
  std::map<std::string, std::string> dispatch;
  for (const auto& id : pending) {
    dispatch[id] = Column(id, "dispatch");
    EXPECT_GE(std::stoi("0" + dispatch[id]), 1)
        << id << ": not completed through a re-published job";
  }

  // 4. A completed analysis is never re-published: a second requeue leaves them all as they are.
  auto [again_rc, again_out] = Requeue("");
  EXPECT_EQ(again_rc, 0) << again_out;
  EXPECT_GE(Count(again_out, false), 0) << again_out;
  for (const auto& id : pending) {
    EXPECT_EQ(Column(id, "dispatch"), dispatch[id]) << id;
    EXPECT_EQ(Status(id), "completed") << id;
  }
}

TEST_F(BrokerDataLossTest, RequeueOnDemandRepublishesAPendingAnalysisTheBrokerLost) {
  const std::string clip = ReadFile(ASCENSION_EXAMPLE_VIDEO);
  Account a = Register("brq");
  ASSERT_FALSE(a.token.empty());
  const std::string video = Upload(a, clip);
  // The worker is stopped: the job waits in the queue, confirmed, when the broker loses it.
  ASSERT_EQ(env_->Control("stop worker >/dev/null"), 0);
  const std::string id = StartWith(a, video, "lite");
  ASSERT_FALSE(id.empty());
  bool confirmed = WaitFor(30s, [&] { return Unsent(id) == "0"; });
  ASSERT_NO_FATAL_FAILURE(LoseBrokerData());
  ASSERT_EQ(env_->Control("start worker >/dev/null"), 0) << "the worker did not start again";
  ASSERT_TRUE(confirmed) << "the job was never confirmed by the broker";
  // Its message is gone: nothing processes it (the stack's own reaper waits 30 min).
  EXPECT_FALSE(WaitFor(10s, [&] { return Status(id) != "pending"; }))
      << "the analysis left pending without a re-queue: the broker kept its message";

  auto [rc, out] = Requeue("");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_GE(Count(out, false), 1) << out;
  json j = WaitTerminal(a, id, 600s);
  EXPECT_EQ(j["status"], "completed") << j.dump().substr(0, 400);
  EXPECT_EQ(Completions()[id], 1);
  EXPECT_EQ(Column(id, "attempts"), "1");
  EXPECT_GE(std::stoi("0" + Column(id, "dispatch")), 1);
}

}  // namespace
}  // namespace ascension::testsuite
