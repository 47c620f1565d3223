// WebSocket capacity of one API instance: opens N authenticated connections held by a "crowd"
// user, plus one connection of a "probe" user; then publishes events for the probe on
// ascension.events and measures the time from publish to receipt while the crowd stays connected. Prints a JSON summary. The API's memory is read by the caller
// (bench/ws_bench.sh) from /proc before and after.
//
//   ws_capacity HOST PORT CROWD_TOKEN PROBE_TOKEN PROBE_USER_ID AMQP_URL CONNECTIONS EVENTS
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "adapters/amqp/connection.hpp"
#include "adapters/amqp/topology.hpp"
#include "adapters/amqp/url.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc != 9) {
    std::fprintf(stderr, "usage: ws_capacity HOST PORT CROWD_TOKEN PROBE_TOKEN PROBE_USER_ID AMQP_URL CONNECTIONS EVENTS\n");
    return 2;
  }
  std::string host = argv[1], port = argv[2], token = argv[3], probe_token = argv[4], user = argv[5],
              amqp_url = argv[6];
  int n = std::atoi(argv[7]), events = std::atoi(argv[8]);
  net::io_context io;
  net::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, port);
  std::vector<std::unique_ptr<websocket::stream<net::ip::tcp::socket>>> conns;
  int failed = 0;
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    auto ws = std::make_unique<websocket::stream<net::ip::tcp::socket>>(io);
    beast::error_code ec;
    net::connect(ws->next_layer(), endpoints, ec);
    if (!ec) ws->handshake(host, "/v1/ws?token=" + token, ec);
    if (ec) {
      ++failed;
      continue;
    }
    conns.push_back(std::move(ws));
  }
  double connect_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::fprintf(stderr, "%zu connections open (%d failed) in %.1f s\n", conns.size(), failed, connect_s);
  // Tell the caller to sample memory now, then wait for it to say go (a line on stdin).
  std::printf("READY\n");
  std::fflush(stdout);
  char line[16];
  if (std::fgets(line, sizeof line, stdin) == nullptr) return 1;

  auto url = ascension::amqp::ParseUrl(amqp_url);
  auto mq = ascension::amqp::Connection::Open(*url);
  if (!mq.ok()) {
    std::fprintf(stderr, "amqp: %s\n", mq.status().ToString().c_str());
    return 1;
  }
  websocket::stream<net::ip::tcp::socket> probe(io);
  net::connect(probe.next_layer(), endpoints);
  probe.handshake(host, "/v1/ws?token=" + probe_token);
  std::vector<double> lat_ms;
  for (int e = 0; e < events; ++e) {
    nlohmann::json body = {{"job_id", "bench"}, {"analysis_id", std::to_string(e)}, {"user_id", user},
                           {"progress", e % 100}, {"stage", "bench"}};
    ascension::amqp::PublishOptions po;
    po.persistent = false;
    auto sent = Clock::now();
    if (!mq->PublishConfirmed(ascension::amqp::topology::kEventsExchange, "skeleton.progress.bench", body.dump(), po).ok())
      break;
    beast::flat_buffer b;
    probe.read(b);
    lat_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::sort(lat_ms.begin(), lat_ms.end());
  auto pct = [&](double p) { return lat_ms.empty() ? 0.0 : lat_ms[std::min(lat_ms.size() - 1, size_t(p * lat_ms.size()))]; };
  std::printf("{\"connections\":%zu,\"failed\":%d,\"connect_seconds\":%.2f", conns.size(), failed, connect_s);
  std::printf(",\"events\":%zu,\"latency_ms\":{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}}\n", lat_ms.size(), pct(0.5),
              pct(0.99), lat_ms.empty() ? 0.0 : lat_ms.back());
  return 0;
}
