// The system under failure, against the running test stack: /ready following each dependency
// down and up, the outbox across a RabbitMQ outage, WebSocket delivery through two API
// instances, bad videos through the worker, a worker killed mid-job, and the upload sweeper.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/topology.hpp"
#include "adapters/amqp/url.hpp"
#include "adapters/s3/client.hpp"
#include "api/http_client.hpp"
#include "common/crypto.hpp"
#include "stack/api_fixture.hpp"

extern char** environ;

namespace ascension::testsuite {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;

class ResilienceTest : public StackTest {
 protected:
  void SetUp() override { PickClient("192.0.2."); }

  static std::unique_ptr<websocket::stream<net::ip::tcp::socket>> OpenWs(net::io_context& io, int port,
                                                                         const std::string& token) {
    auto ws = std::make_unique<websocket::stream<net::ip::tcp::socket>>(io);
    net::ip::tcp::resolver resolver(io);
    net::connect(ws->next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws->handshake("127.0.0.1", "/v1/ws?token=" + token);
    return ws;
  }
  // Reads one message within `limit`, or "" when none came. Waits with poll() so the stream
  // itself only ever sees blocking reads of data that has arrived.
  static std::string ReadOne(websocket::stream<net::ip::tcp::socket>& ws, std::chrono::milliseconds limit) {
    pollfd p{ws.next_layer().native_handle(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return "";
    boost::beast::flat_buffer buf;
    boost::beast::error_code ec;
    ws.read(buf, ec);
    return ec ? "" : boost::beast::buffers_to_string(buf.data());
  }
};

TEST_F(ResilienceTest, ReadyNamesTheDependencyThatIsDownAndRecovers) {
  struct Dep { const char* service; const char* check; };
  for (Dep d : {Dep{"rabbitmq", "rabbitmq"}, Dep{"rgw", "s3"}, Dep{"postgres", "postgres"}}) {
    ASSERT_EQ(env_->Control(std::string("stop ") + d.service), 0) << d.service;
    json j;
    bool down = WaitFor(60s, [&] {
      auto r = Call("GET", "/ready");
      j = Body(r);
      return r.status == 503 && j.is_object() && j["checks"][d.check]["status"] == "down";
    });
    int started = env_->Control(std::string("start ") + d.service);
    EXPECT_TRUE(down) << d.service << ": " << j.dump();
    if (down) {
      EXPECT_NE(j["error"]["message"].get<std::string>().find(d.check), std::string::npos);
    }
    ASSERT_EQ(started, 0) << d.service;
    EXPECT_TRUE(WaitFor(120s, [&] { return Call("GET", "/ready").status == 200; })) << d.service << " did not come back";
  }
}

TEST_F(ResilienceTest, JobsStartedWhileRabbitMqIsDownAreDeliveredOnceWhenItReturns) {
  Account a = Register("out");
  std::string video = Upload(a, "plain text, not a video\n");
  ASSERT_EQ(env_->Control("stop rabbitmq"), 0);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Start(a, video));
  std::string unsent = Sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND user_id = '" + a.id + "'");
  ASSERT_EQ(env_->Control("start rabbitmq"), 0);
  EXPECT_EQ(unsent, "3");
  EXPECT_TRUE(WaitFor(120s, [&] {
    return Sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND user_id = '" + a.id + "'") == "0";
  })) << "the outbox was not relayed after RabbitMQ came back";
  for (const auto& id : ids) {
    json j = WaitTerminal(a, id, 180s);
    EXPECT_EQ(j["status"], "failed") << j.dump();
    EXPECT_EQ(j["error"]["code"], "not_a_video");
    // Each job was taken exactly once.
    EXPECT_EQ(Sql("SELECT attempts FROM analyses WHERE id = '" + id + "'"), "1");
  }
}

TEST_F(ResilienceTest, EventsReachTheOwnersSocketsOnBothApiInstances) {
  ApiInstance second(*env_, env_->Port("API_PORT") + 50, {});
  ASSERT_TRUE(second.ready()) << "second API instance did not answer /health";
  Account owner = Register("ws1");
  Account other = Register("ws2");
  net::io_context io;
  auto owner_a = OpenWs(io, env_->Port("API_PORT"), owner.token);
  auto owner_b = OpenWs(io, second.port(), owner.token);
  auto other_b = OpenWs(io, second.port(), other.token);
  // An instance's events forwarder has its queue bound once its /ready says so. The instance
  // under test may still be reconnecting after the previous test restarted RabbitMQ (backoff up
  // to 5 s), and the second one has only answered /health: an event published before that is
  // lost for it (CI saw "instance A did not deliver" after a restart).
  for (const std::string& instance : {base_, second.url()}) {
    std::string last;
    bool ready = WaitFor(60s, [&] {
      auto r = Http("GET", instance + "/ready");
      last = std::to_string(r.status) + " " + r.body;
      return r.status == 200;
    });
    ASSERT_TRUE(ready) << instance << " did not become ready within 60 s: GET /ready answered " << last;
  }
  auto url = amqp::ParseUrl(env_->Get("RABBITMQ_URL"));
  ASSERT_TRUE(url.ok());
  auto mq = amqp::Connection::Open(*url);
  ASSERT_TRUE(mq.ok()) << mq.status().ToString();
  std::string job = NewUuid(), analysis = NewUuid();
  json event = {{"job_id", job}, {"analysis_id", analysis}, {"user_id", owner.id}, {"progress", 42}, {"stage", "pose_estimation"}};
  amqp::PublishOptions po;
  po.persistent = false;
  ASSERT_TRUE(mq->PublishConfirmed(amqp::topology::kEventsExchange, amqp::topology::ProgressKey(job), event.dump(), po).ok());
  std::string got_a = ReadOne(*owner_a, 5000ms);
  std::string got_b = ReadOne(*owner_b, 5000ms);
  ASSERT_FALSE(got_a.empty()) << "instance A did not deliver";
  ASSERT_FALSE(got_b.empty()) << "instance B did not deliver";
  for (const auto& got : {got_a, got_b}) {
    auto j = json::parse(got);
    EXPECT_EQ(j["event"], "analysis:progress");
    EXPECT_EQ(j["data"]["analysis_id"], analysis);
    EXPECT_EQ(j["data"]["progress"], 42);
  }
  json done = {{"job_id", job}, {"analysis_id", analysis}, {"user_id", owner.id}, {"status", "completed"}};
  ASSERT_TRUE(mq->PublishConfirmed(amqp::topology::kEventsExchange, amqp::topology::CompletedKey(job), done.dump(), po).ok());
  EXPECT_EQ(json::parse(ReadOne(*owner_b, 5000ms))["event"], "analysis:completed");
  EXPECT_EQ(ReadOne(*other_b, 1000ms), "") << "another user's socket received the owner's event";
  // Each instance names itself.
  EXPECT_NE(Http("GET", second.url() + "/health").Header("x-instance"),
            Http("GET", base_ + "/health").Header("x-instance"));
}

TEST_F(ResilienceTest, BadVideosFailWithTheirCodeAndTheWorkerGoesOn) {
  Account a = Register("bad");
  std::string example = ReadFile(ASCENSION_EXAMPLE_VIDEO);
  std::mt19937 rng(7);
  std::string random(100000, '\0');
  for (auto& c : random) c = static_cast<char>(rng());
  struct Case { std::string name, bytes, code; };
  std::vector<Case> cases = {
      {"random.mp4", random, "not_a_video"},
      {"notes.mp4", "Dear diary, today I climbed.\n", "not_a_video"},
      {"cut.mp4", example.substr(0, example.size() / 2), "corrupt_video"},
      {"huge.mp4", "YUV4MPEG2 W10000 H6000 F30:1 Ip A1:1 C420jpeg\nFRAME\n" + std::string(4096, '\x80'),
       "unsupported_dimensions"},
  };
  std::vector<std::string> ids;
  for (const auto& c : cases) ids.push_back(Start(a, Upload(a, c.bytes, c.name)));
  for (size_t i = 0; i < cases.size(); ++i) {
    json j = WaitTerminal(a, ids[i], 120s);
    EXPECT_EQ(j["status"], "failed") << cases[i].name << " " << j.dump();
    EXPECT_EQ(j["error"]["code"], cases[i].code) << cases[i].name;
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }
  // An empty upload is refused before any job exists.
  auto empty = Call("POST", "/v1/analyses", a.token, json{{"video_id", Upload(a, "")}}.dump());
  EXPECT_EQ(empty.status, 422);
}

TEST_F(ResilienceTest, WorkerKilledMidJobTheJobIsRedeliveredAndCompletesOnce) {
  Account a = Register("kil");
  std::string id = Start(a, Upload(a, ReadFile(ASCENSION_EXAMPLE_VIDEO)));
  bool mid = WaitFor(180s, [&] {
    auto j = Body(Call("GET", "/v1/analyses/" + id, a.token));
    return j.is_object() && j["status"] == "processing" && j["progress"].get<int>() >= 10;
  });
  ASSERT_TRUE(mid) << "the analysis never got going";
  std::ifstream pidfile(env_->Get("ASCENSION_HOME") + "/run/worker.pid");
  pid_t pid = 0;
  pidfile >> pid;
  ASSERT_GT(pid, 0);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  WaitFor(10s, [&] { return kill(pid, 0) != 0; });
  ASSERT_EQ(env_->Control("start worker"), 0);
  json j = WaitTerminal(a, id, 300s);
  EXPECT_EQ(j["status"], "completed") << j.dump();
  EXPECT_EQ(Sql("SELECT attempts FROM analyses WHERE id = '" + id + "'"), "2");
  EXPECT_EQ(Sql("SELECT count(*) FROM analyses WHERE video_id = (SELECT video_id FROM analyses WHERE id = '" + id + "')"), "1");
  EXPECT_GE(json::parse(j["result_json"].get<std::string>())["frames"].size(), 300u);
}

TEST_F(ResilienceTest, TheJobMessageOnTheQueueHasTheDesignShape) {
  Account a = Register("msg");
  std::string video = Upload(a, "body check");
  ASSERT_EQ(env_->Control("stop worker"), 0);
  std::string id = Start(a, video);
  {
    auto url = amqp::ParseUrl(env_->Get("RABBITMQ_URL"));
    auto mq = amqp::Connection::Open(*url);
    ASSERT_TRUE(mq.ok());
    ASSERT_TRUE(mq->SetPrefetch(1).ok());
    ASSERT_TRUE(mq->Consume(amqp::topology::kJobQueue).ok());
    std::optional<amqp::Delivery> got;
    WaitFor(30s, [&] {
      auto d = mq->Next(200ms);
      if (!d.ok() || !*d) return false;
      auto body = json::parse((*d)->body, nullptr, false);
      if (body.value("analysis_id", "") != id) {
        (void)mq->Nack((*d)->delivery_tag, true);  // another test's job: give it back
        return false;
      }
      got = **d;
      return true;
    });
    ASSERT_TRUE(got.has_value()) << "the job never reached vision.skeleton";
    auto body = json::parse(got->body);
    EXPECT_EQ(body["user_id"], a.id);
    EXPECT_EQ(body["model"], "heavy");
    EXPECT_EQ(body["attempt"], 1);
    EXPECT_FALSE(body["job_id"].get<std::string>().empty());
    EXPECT_FALSE(body["created_at"].get<std::string>().empty());
    EXPECT_EQ(body["video_url"].get<std::string>().rfind("s3://" + env_->Get("MINIO_BUCKET") + "/uploads/" + a.id + "/", 0), 0u);
    EXPECT_EQ(got->priority.value_or(0), 1);  // freemium
    // Given back, then this consumer closes (end of the block): while it consumes with a free
    // prefetch slot the broker hands the message straight back to it, never to the worker.
    ASSERT_TRUE(mq->Nack(got->delivery_tag, true).ok());
  }
  ASSERT_EQ(env_->Control("start worker"), 0);
  EXPECT_EQ(WaitTerminal(a, id, 120s)["status"], "failed");  // "body check" is no video
}

TEST_F(ResilienceTest, ReaperRequeuesAnAnalysisAbandonedInProcessing) {
  Account a = Register("rea");
  std::string video = Upload(a, "abandoned");
  // An analysis a dead worker left in `processing` ten minutes ago, with no message anywhere.
  std::string id = NewUuid();
  Sql("INSERT INTO analyses (id, user_id, video_id, job_id, status, updated_at) VALUES ('" + id + "', '" + a.id +
      "', '" + video + "', gen_random_uuid(), 'processing', now() - interval '10 minutes')");
  ApiInstance reaper(*env_, env_->Port("API_PORT") + 52, {"REAPER_TIMEOUT_SECONDS=60"});
  ASSERT_TRUE(reaper.ready());
  json j = WaitTerminal(a, id, 120s);
  EXPECT_EQ(j["status"], "failed") << j.dump();
  EXPECT_EQ(j["error"]["code"], "not_a_video");  // a worker really took it again
  EXPECT_EQ(Sql("SELECT requeues FROM analyses WHERE id = '" + id + "'"), "1");
}

TEST_F(ResilienceTest, SweeperExpiresOldUnsavedUploadsOnly) {
  Account a = Register("swp");
  std::string kept = Upload(a, "saved one");
  ASSERT_EQ(Call("POST", "/v1/videos/" + kept + "/save", a.token).status, 200);
  std::string old = Upload(a, "old one");
  std::string key = Sql("SELECT object_key FROM videos WHERE id = '" + old + "'");
  // Make it look eight days old, then run a sweeper (an API instance starts one 2 s after start).
  Sql("UPDATE videos SET created_at = now() - interval '8 days' WHERE user_id = '" + a.id + "'");
  ApiInstance sweeper(*env_, env_->Port("API_PORT") + 51, {"SWEEP_INTERVAL_SECONDS=1"});
  ASSERT_TRUE(sweeper.ready());
  EXPECT_TRUE(WaitFor(30s, [&] { return Sql("SELECT status FROM videos WHERE id = '" + old + "'") == "expired"; }));
  EXPECT_EQ(Sql("SELECT status FROM videos WHERE id = '" + kept + "'"), "saved");
  s3::Config c;
  c.endpoint = env_->Get("MINIO_ENDPOINT");
  c.bucket = env_->Get("MINIO_BUCKET");
  c.access_key = env_->Get("MINIO_ROOT_USER");
  c.secret_key = env_->Get("MINIO_ROOT_PASSWORD");
  auto s3 = s3::Client::Create(c).value();
  EXPECT_EQ(s3.HeadObject(key).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(Call("GET", "/v1/videos/" + old, a.token).status, 404);
  EXPECT_EQ(Call("GET", "/v1/videos/" + kept, a.token).status, 200);
}

// The value of a Prometheus sample (`name` with its labels, e.g.
// `worker_jobs_total{outcome="invalid"}`) in a /metrics text, or 0 when it is not there yet.
double Sample(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return 0;
}

// Issue 11's first reproduction: a job whose `model` is a number used to abort every worker in
// turn. It must go to the dead-letter queue at once, its analysis fail with invalid_job, and the
// worker keep consuming.
TEST_F(ResilienceTest, APoisonJobIsDeadLetteredAndTheWorkerKeepsServing) {
  const std::string worker = "http://127.0.0.1:" + env_->Get("WORKER_METRICS_PORT");
  ASSERT_EQ(Http("GET", worker + "/health").status, 200);
  const std::string invalid = "worker_jobs_total{outcome=\"invalid\"}";
  double before = Sample(Http("GET", worker + "/metrics").body, invalid);
  Account a = Register("poi");
  std::string video = Upload(a, "poison");
  std::string id = NewUuid(), job = NewUuid();
  Sql("INSERT INTO analyses (id, user_id, video_id, job_id, status) VALUES ('" + id + "', '" +
      a.id + "', '" + video + "', '" + job + "', 'pending')");
  json poison = {{"job_id", job},
                 {"analysis_id", id},
                 {"user_id", a.id},
                 {"video_url", "s3://" + env_->Get("MINIO_BUCKET") + "/uploads/" + a.id + "/x.mp4"},
                 {"model", 1},
                 {"attempt", 1},
                 {"created_at", "2026-12-01T00:00:00Z"}};
  auto url = amqp::ParseUrl(env_->Get("RABBITMQ_URL"));
  ASSERT_TRUE(url.ok());
  auto mq = amqp::Connection::Open(*url);
  ASSERT_TRUE(mq.ok()) << mq.status().ToString();
  ASSERT_TRUE(mq->PublishConfirmed("", amqp::topology::kJobQueue, poison.dump(), {}).ok());

  json j = WaitTerminal(a, id, 60s);
  EXPECT_EQ(j["status"], "failed") << j.dump();
  EXPECT_EQ(j["error"]["code"], "invalid_job") << j.dump();
  EXPECT_TRUE(WaitFor(10s, [&] {
    return Sample(Http("GET", worker + "/metrics").body, invalid) >= before + 1;
  })) << "the invalid job was not counted";
  EXPECT_EQ(Http("GET", worker + "/health").status, 200) << "the worker stopped consuming";
  EXPECT_EQ(Call("GET", "/ready").status, 200);

  // The message itself waits in the dead-letter queue (others' dead letters go back on close).
  ASSERT_TRUE(mq->Consume(amqp::topology::kDeadLetterQueue).ok());
  bool found = false;
  WaitFor(20s, [&] {
    auto d = mq->Next(200ms);
    if (!d.ok() || !*d) return false;
    if (json::parse((*d)->body, nullptr, false).value("job_id", json()) != job) return false;
    found = mq->Ack((*d)->delivery_tag).ok();
    return true;
  });
  EXPECT_TRUE(found) << "the poison job is not in " << amqp::topology::kDeadLetterQueue;
}

// Issue 11's second reproduction: an event whose `progress` is a string used to abort every API
// instance. It must be dropped and counted, and the next event still reach the owner's socket.
TEST_F(ResilienceTest, AMistypedEventIsDroppedAndTheApiKeepsServing) {
  Account owner = Register("evt");
  double before = Sample(Call("GET", "/metrics").body, "events_dropped_total");
  net::io_context io;
  auto ws = OpenWs(io, env_->Port("API_PORT"), owner.token);
  auto url = amqp::ParseUrl(env_->Get("RABBITMQ_URL"));
  ASSERT_TRUE(url.ok());
  auto mq = amqp::Connection::Open(*url);
  ASSERT_TRUE(mq.ok()) << mq.status().ToString();
  std::string job = NewUuid(), analysis = NewUuid();
  amqp::PublishOptions po;
  po.persistent = false;
  json bad = {{"job_id", job},
              {"analysis_id", analysis},
              {"user_id", owner.id},
              {"progress", "50"},
              {"stage", "x"}};
  ASSERT_TRUE(mq->PublishConfirmed(amqp::topology::kEventsExchange,
                                   amqp::topology::ProgressKey(job), bad.dump(), po)
                  .ok());
  json good = {{"job_id", job},
               {"analysis_id", analysis},
               {"user_id", owner.id},
               {"progress", 60},
               {"stage", "pose_estimation"}};
  ASSERT_TRUE(mq->PublishConfirmed(amqp::topology::kEventsExchange,
                                   amqp::topology::ProgressKey(job), good.dump(), po)
                  .ok());

  std::string got = ReadOne(*ws, 5000ms);
  ASSERT_FALSE(got.empty()) << "the well-typed event after the bad one was not delivered";
  auto j = json::parse(got, nullptr, false);
  EXPECT_EQ(j["event"], "analysis:progress") << got;
  EXPECT_EQ(j["data"]["progress"], 60) << "the mistyped event was delivered: " << got;
  EXPECT_TRUE(WaitFor(10s, [&] {
    return Sample(Call("GET", "/metrics").body, "events_dropped_total") >= before + 1;
  })) << "the dropped event was not counted";
  EXPECT_EQ(Call("GET", "/ready").status, 200);
}

}  // namespace
}  // namespace ascension::testsuite
