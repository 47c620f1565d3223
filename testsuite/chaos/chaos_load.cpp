// chaos_load REPORT_PATH BASE_URL...
//
// API traffic from a second process while chaos_it kills the stack's processes: round-robin over
// the API instances, a steady mix of reads and writes (health, profile, history, a presigned
// upload URL, /ready) about 20 times a second, each request from its own client address (the
// stack trusts loopback as a proxy, so X-Forwarded-For picks the rate-limit bucket). Runs until
// SIGTERM, then writes a JSON report:
//   {"requests", "ok", "unavailable" (503 or no answer), "unexpected" (anything else, by status),
//    "longest_outage_ms" (longest time without one successful request on any instance)}
#include <curl/curl.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api/http_client.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using ascension::testsuite::Http;
using ascension::testsuite::HttpResponse;

std::atomic<bool> g_stop{false};

void OnTerm(int) {
  g_stop = true;
}

struct Account {
  std::string token;
};

std::string ClientIp(std::mt19937& rng) {
  return "198.51." + std::to_string(rng() % 250) + "." + std::to_string(1 + rng() % 250);
}

HttpResponse Call(std::mt19937& rng, const std::string& method, const std::string& url,
                  const std::string& token, const std::string& body) {
  std::vector<std::string> h = {"X-Forwarded-For: " + ClientIp(rng)};
  if (!token.empty()) h.push_back("Authorization: Bearer " + token);
  if (!body.empty()) h.push_back("Content-Type: application/json");
  return Http(method, url, h, body, !body.empty());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: chaos_load REPORT_PATH BASE_URL...\n";
    return 2;
  }
  signal(SIGTERM, OnTerm);
  signal(SIGINT, OnTerm);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const std::string report = argv[1];
  const std::vector<std::string> bases(argv + 2, argv + argc);
  std::mt19937 rng(std::random_device{}());

  // One account to read as; registering is retried while the stack is still coming up.
  Account a;
  for (auto until = Clock::now() + 60s; a.token.empty() && Clock::now() < until && !g_stop;) {
    std::string tag = std::to_string(rng());
    auto r = Call(rng, "POST", bases[0] + "/v1/auth/register", "",
                  json{{"username", "load" + tag.substr(0, 12)},
                       {"email", "load" + tag + "@example.com"},
                       {"password", "load-password-" + tag}}
                      .dump());
    auto j = json::parse(r.body, nullptr, false);
    if (r.status == 201 && j.is_object() && j.contains("access_token") &&
        j["access_token"].is_string()) {
      a.token = j["access_token"].get<std::string>();
    } else {
      std::this_thread::sleep_for(500ms);
    }
  }
  if (a.token.empty()) {
    std::cerr << "chaos_load: could not register an account\n";
    return 1;
  }

  struct Step {
    const char* method;
    const char* path;
    const char* body;
    bool auth;
  };
  const std::vector<Step> steps = {
      {"GET", "/health", "", false},
      {"GET", "/v1/users/me", "", true},
      {"GET", "/v1/analyses?page=1&per_page=5", "", true},
      {"POST", "/v1/videos/upload-url", R"({"filename":"load.mp4"})", true},
      {"GET", "/v1/videos?page=1&per_page=5", "", true},
      {"GET", "/ready", "", false},
  };
  long requests = 0, ok = 0, unavailable = 0;
  std::map<long, long> unexpected;
  auto last_success = Clock::now();
  Clock::duration longest{0};
  for (std::size_t i = 0; !g_stop; ++i) {
    const Step& s = steps[i % steps.size()];
    const std::string& base = bases[i % bases.size()];
    auto r = Call(rng, s.method, base + s.path, s.auth ? a.token : "", s.body);
    ++requests;
    auto now = Clock::now();
    if (r.status >= 200 && r.status < 300) {
      ++ok;
      longest = std::max(longest, now - last_success);
      last_success = now;
    } else if (r.status == 503 || r.status == 0) {
      ++unavailable;
    } else {
      ++unexpected[r.status];
    }
    std::this_thread::sleep_for(50ms);
  }
  longest = std::max(longest, Clock::now() - last_success);
  json by_status = json::object();
  for (auto [status, n] : unexpected) by_status[std::to_string(status)] = n;
  json out = {{"requests", requests},
              {"ok", ok},
              {"unavailable", unavailable},
              {"unexpected", by_status},
              {"longest_outage_ms",
               std::chrono::duration_cast<std::chrono::milliseconds>(longest).count()}};
  std::ofstream(report) << out.dump() << "\n";
  return 0;
}
