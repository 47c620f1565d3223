// The AMQP client against the running stack's RabbitMQ (RABBITMQ_URL in the stack's env file).
// Each test declares the production topology under a random name prefix (topology::Names), so
// a worker consuming the real vision.skeleton is never disturbed, and deletes it afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/retry.hpp"
#include "adapters/amqp/topology.hpp"
#include "stack/stack_env.hpp"

namespace ascension::amqp {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s.push_back(kChars[rng() % 36]);
  return s;
}

class AmqpClientIT : public ::testing::Test {
 protected:
  void SetUp() override {
    testsuite::StackEnv env = testsuite::StackEnv::Load();
    if (!env.ok()) GTEST_FAIL() << env.error();
    auto url = ParseUrl(env.Get("RABBITMQ_URL"));
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    names_ = topology::Names::WithPrefix("it-" + RandomSuffix() + ".");
    auto conn = Open();
    ASSERT_TRUE(conn.is_open());
    Status st = conn.DeclareTopology(names_);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  void TearDown() override {
    if (url_.host.empty()) return;
    Connection conn = Open();
    for (const std::string* q :
         {&names_.job_queue, &names_.retry_queue, &names_.dead_letter_queue, &names_.holds_queue,
          &names_.holds_retry_queue, &names_.holds_dead_letter_queue}) {
      EXPECT_TRUE(conn.DeleteQueue(*q).ok());
    }
    EXPECT_TRUE(conn.DeleteExchange(names_.dead_letter_exchange).ok());
    EXPECT_TRUE(conn.DeleteExchange(names_.events_exchange).ok());
  }

  Connection Open() {
    auto conn = Connection::Open(url_);
    EXPECT_TRUE(conn.ok()) << conn.status().ToString();
    return std::move(conn).value();
  }

  PublishOptions Job(std::string id, std::optional<uint8_t> priority = std::nullopt) {
    PublishOptions o;
    o.message_id = std::move(id);
    o.priority = priority;
    o.mandatory = true;
    return o;
  }

  Url url_;
  topology::Names names_;
};

TEST_F(AmqpClientIT, PublishConfirmedThenConsumeWithManualAck) {
  Connection producer = Open();
  PublishOptions o = Job("job-1", 5);
  o.headers = {{"attempt", "1"}, {"trace", "abc"}};
  Status st = producer.PublishConfirmed("", names_.job_queue, R"({"job_id":"j1"})", o);
  ASSERT_TRUE(st.ok()) << st.ToString();

  Connection consumer = Open();
  ASSERT_TRUE(consumer.SetPrefetch(1).ok());
  auto tag = consumer.Consume(names_.job_queue);
  ASSERT_TRUE(tag.ok()) << tag.status().ToString();
  EXPECT_FALSE(tag->empty());

  auto d = consumer.Next(5s);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(d->has_value());
  const Delivery& m = **d;
  EXPECT_EQ(m.body, R"({"job_id":"j1"})");
  EXPECT_EQ(m.routing_key, names_.job_queue);
  EXPECT_EQ(m.message_id, "job-1");
  EXPECT_EQ(m.content_type, "application/json");
  EXPECT_EQ(m.priority, std::optional<uint8_t>(5));
  EXPECT_EQ(m.headers.at("attempt"), "1");
  EXPECT_EQ(m.headers.at("trace"), "abc");
  EXPECT_FALSE(m.redelivered);
  ASSERT_TRUE(consumer.Ack(m.delivery_tag).ok());

  auto none = consumer.Next(300ms);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  // The ack stuck: a fresh consumer sees nothing.
  Connection again = Open();
  ASSERT_TRUE(again.Consume(names_.job_queue).ok());
  auto after = again.Next(500ms);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value());
}

TEST_F(AmqpClientIT, ManyConfirmedPublishesOnOneConnection) {
  Connection producer = Open();
  for (int i = 0; i < 50; ++i) {
    Status st = producer.PublishConfirmed("", names_.job_queue, "m" + std::to_string(i), Job(""));
    ASSERT_TRUE(st.ok()) << i << ": " << st.ToString();
  }
  Connection consumer = Open();
  ASSERT_TRUE(consumer.SetPrefetch(10).ok());
  ASSERT_TRUE(consumer.Consume(names_.job_queue).ok());
  for (int i = 0; i < 50; ++i) {
    auto d = consumer.Next(5s);
    ASSERT_TRUE(d.ok() && d->has_value()) << i;
    EXPECT_EQ((*d)->body, "m" + std::to_string(i));
    ASSERT_TRUE(consumer.Ack((*d)->delivery_tag).ok());
  }
}

TEST_F(AmqpClientIT, NackWithRequeueIsRedelivered) {
  Connection conn = Open();
  ASSERT_TRUE(conn.PublishConfirmed("", names_.job_queue, "again", Job("n1")).ok());
  ASSERT_TRUE(conn.SetPrefetch(1).ok());
  ASSERT_TRUE(conn.Consume(names_.job_queue).ok());
  auto first = conn.Next(5s);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_FALSE((*first)->redelivered);
  ASSERT_TRUE(conn.Nack((*first)->delivery_tag, /*requeue=*/true).ok());

  auto second = conn.Next(5s);
  ASSERT_TRUE(second.ok() && second->has_value()) << second.status().ToString();
  EXPECT_EQ((*second)->body, "again");
  EXPECT_TRUE((*second)->redelivered);
  ASSERT_TRUE(conn.Ack((*second)->delivery_tag).ok());
}

TEST_F(AmqpClientIT, RejectWithoutRequeueGoesToTheDeadLetterQueue) {
  Connection conn = Open();
  ASSERT_TRUE(conn.PublishConfirmed("", names_.job_queue, "poison", Job("p1")).ok());
  ASSERT_TRUE(conn.Consume(names_.job_queue).ok());
  auto d = conn.Next(5s);
  ASSERT_TRUE(d.ok() && d->has_value());
  ASSERT_TRUE(conn.Reject((*d)->delivery_tag, /*requeue=*/false).ok());

  Connection dlq = Open();
  ASSERT_TRUE(dlq.Consume(names_.dead_letter_queue).ok());
  auto dead = dlq.Next(5s);
  ASSERT_TRUE(dead.ok() && dead->has_value()) << dead.status().ToString();
  EXPECT_EQ((*dead)->body, "poison");
  EXPECT_EQ((*dead)->routing_key, names_.dead_letter_routing_key);
  ASSERT_TRUE(dlq.Ack((*dead)->delivery_tag).ok());
}

TEST_F(AmqpClientIT, HigherPriorityJobsAreDeliveredFirst) {
  Connection producer = Open();
  for (uint8_t p : {1, 9, 5, 0, 10}) {
    ASSERT_TRUE(
        producer.PublishConfirmed("", names_.job_queue, std::to_string(p), Job("", p)).ok());
  }
  Connection consumer = Open();
  ASSERT_TRUE(consumer.SetPrefetch(1).ok());
  ASSERT_TRUE(consumer.Consume(names_.job_queue).ok());
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    auto d = consumer.Next(5s);
    ASSERT_TRUE(d.ok() && d->has_value());
    order.push_back((*d)->body);
    ASSERT_TRUE(consumer.Ack((*d)->delivery_tag).ok());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"10", "9", "5", "1", "0"}));
}

TEST_F(AmqpClientIT, RetryQueueReturnsTheJobAfterItsExpiration) {
  Connection consumer = Open();
  ASSERT_TRUE(consumer.Consume(names_.job_queue).ok());
  Connection producer = Open();
  PublishOptions o = Job("r1", 3);
  o.expiration = 700ms;
  auto start = SteadyClock::now();
  ASSERT_TRUE(producer.PublishConfirmed("", names_.retry_queue, "retry me", o).ok());

  auto d = consumer.Next(10s);
  auto waited = SteadyClock::now() - start;
  ASSERT_TRUE(d.ok() && d->has_value()) << d.status().ToString();
  EXPECT_EQ((*d)->body, "retry me");
  EXPECT_EQ((*d)->message_id, "r1");
  EXPECT_EQ((*d)->routing_key, names_.job_queue);
  EXPECT_EQ((*d)->priority, std::optional<uint8_t>(3));
  EXPECT_GE(waited, 600ms);
  ASSERT_TRUE(consumer.Ack((*d)->delivery_tag).ok());
}

TEST_F(AmqpClientIT, ExclusiveEventQueueReceivesItsJobsByTopic) {
  Connection api = Open();
  std::vector<std::string> keys = {"skeleton.*.j42"};
  auto queue = api.DeclareEventQueue(keys, names_.events_exchange);
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  EXPECT_TRUE(queue->starts_with("amq.gen-")) << *queue;
  ASSERT_TRUE(api.Consume(*queue, {.exclusive = true, .no_ack = false}).ok());

  Connection worker = Open();
  PublishOptions event;
  event.persistent = false;
  for (const std::string& key : {topology::ProgressKey("j41"), topology::ProgressKey("j42"),
                                 topology::CompletedKey("j42")}) {
    Status st =
        worker.PublishConfirmed(names_.events_exchange, key, R"({"analysis_id":"a"})", event);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto first = api.Next(5s);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->routing_key, "skeleton.progress.j42");
  EXPECT_EQ((*first)->exchange, names_.events_exchange);
  ASSERT_TRUE(api.Ack((*first)->delivery_tag).ok());
  auto second = api.Next(5s);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->routing_key, "skeleton.completed.j42");
  ASSERT_TRUE(api.Ack((*second)->delivery_tag).ok());
  auto none = api.Next(300ms);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  // The queue is exclusive to its connection.
  Connection other = Open();
  Result<std::string> stolen = other.Consume(*queue);
  EXPECT_FALSE(stolen.ok());
  EXPECT_FALSE(other.is_open());
}

// One connection both consuming and publishing (as a worker does): deliveries that arrive while
// PublishConfirmed waits for its confirm are kept for Next().
TEST_F(AmqpClientIT, DeliveriesArrivingDuringAPublishAreKept) {
  Connection conn = Open();
  std::vector<std::string> keys = {std::string(topology::kAllEventsKey)};
  auto queue = conn.DeclareEventQueue(keys, names_.events_exchange);
  ASSERT_TRUE(queue.ok());
  ASSERT_TRUE(conn.Consume(*queue, {.exclusive = true, .no_ack = true}).ok());
  for (int i = 0; i < 20; ++i) {
    Status st = conn.PublishConfirmed(
        names_.events_exchange, topology::ProgressKey(std::to_string(i)), std::to_string(i), {});
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  for (int i = 0; i < 20; ++i) {
    auto d = conn.Next(5s);
    ASSERT_TRUE(d.ok() && d->has_value()) << i;
    EXPECT_EQ((*d)->body, std::to_string(i));
  }
}

TEST_F(AmqpClientIT, UnroutableMandatoryPublishFails) {
  Connection conn = Open();
  PublishOptions o;
  o.mandatory = true;
  Status st = conn.PublishConfirmed(names_.events_exchange, "skeleton.progress.nobody", "x", o);
  EXPECT_EQ(st.kind(), ErrorKind::kFailedPrecondition) << st.ToString();
  EXPECT_TRUE(conn.is_open());
  // Without mandatory an event nobody listens to is fine.
  EXPECT_TRUE(
      conn.PublishConfirmed(names_.events_exchange, "skeleton.progress.nobody", "x", {}).ok());
}

TEST_F(AmqpClientIT, ChannelErrorBreaksTheConnectionAndLaterCallsAreUnavailable) {
  Connection conn = Open();
  Status st = conn.PublishConfirmed("it-no-such-exchange-" + RandomSuffix(), "k", "x", {});
  EXPECT_EQ(st.kind(), ErrorKind::kNotFound) << st.ToString();
  EXPECT_FALSE(conn.is_open());
  EXPECT_EQ(conn.SetPrefetch(1).kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(conn.Next(10ms).status().kind(), ErrorKind::kUnavailable);
}

TEST_F(AmqpClientIT, ProductionTopologyIsDeclaredIdempotently) {
  Connection conn = Open();
  Status first = conn.DeclareTopology();
  ASSERT_TRUE(first.ok()) << first.ToString();
  Status second = conn.DeclareTopology();
  EXPECT_TRUE(second.ok()) << second.ToString();
}

// A worker holding a job for longer than the heartbeat timeout, with background heartbeats off,
// keeps its connection (and so its unacked delivery) alive by calling KeepAlive().
TEST_F(AmqpClientIT, KeepAliveServicesHeartbeatsWhileHoldingADelivery) {
  ConnectOptions fast;
  fast.heartbeat = 1s;
  fast.background_heartbeats = false;
  auto worker = Connection::Open(url_, fast);
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  ASSERT_TRUE(worker->PublishConfirmed("", names_.job_queue, "long job", Job("k1")).ok());
  ASSERT_TRUE(worker->SetPrefetch(1).ok());
  ASSERT_TRUE(worker->Consume(names_.job_queue).ok());
  auto d = worker->Next(5s);
  ASSERT_TRUE(d.ok() && d->has_value());
  for (auto until = SteadyClock::now() + 6s; SteadyClock::now() < until;) {
    std::this_thread::sleep_for(250ms);
    Status st = worker->KeepAlive();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  ASSERT_TRUE(worker->Ack((*d)->delivery_tag).ok());
  auto none = worker->Next(300ms);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
}

// By default the connection services its heartbeats from its own thread: a consumer that holds
// a delivery and makes no call at all for several heartbeat timeouts (a worker blocked in a long
// download) keeps its connection, acks, and the job is not redelivered.
TEST_F(AmqpClientIT, BusyConsumerKeepsItsConnectionThroughBackgroundHeartbeats) {
  ConnectOptions fast;
  fast.heartbeat = 1s;
  auto worker = Connection::Open(url_, fast);
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  ASSERT_TRUE(worker->PublishConfirmed("", names_.job_queue, "busy", Job("k3")).ok());
  ASSERT_TRUE(worker->SetPrefetch(1).ok());
  ASSERT_TRUE(worker->Consume(names_.job_queue).ok());
  auto d = worker->Next(5s);
  ASSERT_TRUE(d.ok() && d->has_value());
  std::this_thread::sleep_for(6s);  // the "download": no call into the connection at all
  EXPECT_TRUE(worker->is_open());
  Status acked = worker->Ack((*d)->delivery_tag);
  ASSERT_TRUE(acked.ok()) << acked.ToString();
  auto none = worker->Next(500ms);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value()) << "the job was redelivered";

  Connection other = Open();
  ASSERT_TRUE(other.Consume(names_.job_queue).ok());
  auto again = other.Next(2s);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->has_value()) << "the acked job is still on the queue";
}

// Without servicing heartbeats (background heartbeats off, no call) the broker drops the
// connection; the next call says kUnavailable and the unacked job goes back to the queue.
TEST_F(AmqpClientIT, SilentConsumerLosesItsConnectionAndTheJobIsRequeued) {
  ConnectOptions fast;
  fast.heartbeat = 1s;
  fast.background_heartbeats = false;
  auto worker = Connection::Open(url_, fast);
  ASSERT_TRUE(worker.ok());
  ASSERT_TRUE(worker->PublishConfirmed("", names_.job_queue, "abandoned", Job("k2")).ok());
  ASSERT_TRUE(worker->Consume(names_.job_queue).ok());
  auto d = worker->Next(5s);
  ASSERT_TRUE(d.ok() && d->has_value());
  std::this_thread::sleep_for(5s);
  auto next = worker->Next(3s);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().kind(), ErrorKind::kUnavailable) << next.status().ToString();
  EXPECT_FALSE(worker->is_open());

  Connection other = Open();
  ASSERT_TRUE(other.Consume(names_.job_queue).ok());
  auto again = other.Next(5s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->body, "abandoned");
  EXPECT_TRUE((*again)->redelivered);
  ASSERT_TRUE(other.Ack((*again)->delivery_tag).ok());
}

// RabbitMQ going away: consumers see kUnavailable, new connections fail fast, ConnectWithRetry
// gets through once the broker is back, and persistent jobs in the durable queue survived.
TEST_F(AmqpClientIT, BrokerRestartIsUnavailableThenConnectWithRetryRecovers) {
  testsuite::StackEnv env = testsuite::StackEnv::Load();
  {
    Connection producer = Open();
    ASSERT_TRUE(producer.PublishConfirmed("", names_.job_queue, "survivor", Job("s1")).ok());
  }
  Connection consumer = Open();
  ASSERT_TRUE(consumer.Consume(names_.retry_queue).ok());  // an idle consumer
  if (env.Control("stop rabbitmq") != 0) GTEST_FAIL() << "needs ASCENSION_CLI (run through ctest)";

  auto lost = consumer.Next(10s);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().kind(), ErrorKind::kUnavailable) << lost.status().ToString();
  EXPECT_FALSE(consumer.is_open());
  auto refused = Connection::Open(url_);
  EXPECT_EQ(refused.status().kind(), ErrorKind::kUnavailable);

  std::atomic<bool> stop{false};
  RetryPolicy policy;
  policy.initial_backoff = 200ms;
  policy.max_backoff = 2s;
  std::optional<Result<Connection>> reconnected;
  std::thread retrier([&] { reconnected.emplace(ConnectWithRetry(url_, policy, &stop)); });
  int started = env.Control("start rabbitmq");
  if (started != 0) stop = true;
  retrier.join();
  ASSERT_EQ(started, 0);
  ASSERT_TRUE(reconnected.has_value());
  ASSERT_TRUE(reconnected->ok()) << reconnected->status().ToString();

  Connection& conn = reconnected->value();
  ASSERT_TRUE(conn.DeclareTopology(names_).ok());
  ASSERT_TRUE(conn.Consume(names_.job_queue).ok());
  auto d = conn.Next(10s);
  ASSERT_TRUE(d.ok() && d->has_value()) << d.status().ToString();
  EXPECT_EQ((*d)->body, "survivor");
  ASSERT_TRUE(conn.Ack((*d)->delivery_tag).ok());
}

TEST_F(AmqpClientIT, WrongPasswordIsPermissionDenied) {
  Url bad = url_;
  bad.password = "wrong";
  auto conn = Connection::Open(bad);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().kind(), ErrorKind::kPermissionDenied) << conn.status().ToString();
}

TEST_F(AmqpClientIT, UnknownVhostIsNotFound) {
  Url bad = url_;
  bad.vhost = "no-such-vhost-" + RandomSuffix();
  auto conn = Connection::Open(bad);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().kind(), ErrorKind::kNotFound) << conn.status().ToString();
}

TEST_F(AmqpClientIT, ClosedPortIsUnavailableQuickly) {
  Url closed = url_;
  closed.port = 1;
  auto start = SteadyClock::now();
  auto conn = Connection::Open(closed);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().kind(), ErrorKind::kUnavailable);
  EXPECT_LT(SteadyClock::now() - start, 2s);

  RetryPolicy policy;
  policy.max_attempts = 2;
  policy.initial_backoff = 50ms;
  auto retried = ConnectWithRetry(closed, policy, nullptr);
  EXPECT_EQ(retried.status().kind(), ErrorKind::kUnavailable);
  // And a reachable broker connects on the first attempt.
  auto good = ConnectWithRetry(url_, policy, nullptr);
  EXPECT_TRUE(good.ok()) << good.status().ToString();
}

}  // namespace
}  // namespace ascension::amqp
