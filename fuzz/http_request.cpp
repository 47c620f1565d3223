// Raw bytes as an HTTP/1.1 request to the API: the server's parser and limits, the decoration
// (request id, forwarded addresses), rate limiting, routing, authentication and every handler's
// body and query parsing. PostgreSQL, RabbitMQ and S3 point at a closed port, so a request that
// passes validation ends in the handler's dependency error (503) instead of a database call.
//
// The literal tokens FUZZUSER and FUZZADMIN in the input are replaced by valid access tokens (a
// user and an admin), so the fuzzer reaches the routes behind authentication; mutating them
// exercises token verification.
//
// Invariants: no exception escapes, no sanitizer report, every response has a valid status, and
// a JSON response body is valid JSON (errors in the documented shape).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "api/app.hpp"
#include "auth/jwt.hpp"
#include "fuzz_support.hpp"
#include "http/server.hpp"
#include "json_mutator.hpp"

namespace {

using namespace ascension;

constexpr const char* kUserId = "6f1c2e4a-8b3d-4c5e-9f60-7a8b9c0d1e2f";
constexpr const char* kAdminId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
constexpr const char* kSecret = "fuzzing-secret-fuzzing-secret-fuzzing-secret";

struct Harness {
  std::unique_ptr<api::App> app;
  http::ServerOptions server;
  std::string user_token, admin_token;
};

Harness* Make() {
  fuzz::QuietLogs();
  api::ApiConfig c;
  c.common.database_url = "postgresql://ascension:x@127.0.0.1:1/ascension?connect_timeout=1";
  c.common.rabbitmq_url = "amqp://guest:guest@127.0.0.1:1/";
  c.common.s3_endpoint = "http://127.0.0.1:1";
  c.common.s3_bucket = "ascension";
  c.common.s3_access_key = "fuzz";
  c.common.s3_secret_key = "fuzzfuzzfuzz";
  c.common.s3_region = "us-east-1";
  c.jwt_secret = kSecret;
  c.instance_id = "fuzz";
  c.db_pool_size = 2;
  c.rate_limit_per_minute = 1000000;  // the limiter is fuzzed, not the fuzzer limited
  c.login_limit_per_minute = 1000000;
  c.ready_limit_per_minute = 1000000;
  auto proxies = http::TrustedProxies::Parse({"127.0.0.1", "10.0.0.0/8"});
  fuzz::Check(proxies.ok(), "parsing the trusted proxies");
  c.trusted_proxies = std::move(proxies).value();
  c.cors_origins = {"https://app.example"};
  auto* h = new Harness;
  h->app = std::make_unique<api::App>(c);
  // What App::Start does before it listens: storage client, repositories, services.
  fuzz::Check(h->app->context().Compose().ok(), "composing the API context");
  h->server.max_body_bytes = c.max_body_bytes;
  auth::JwtCodec jwt(kSecret, "ascension", "ascension-app", std::chrono::hours(1));
  h->user_token = jwt.Issue(kUserId, "user", auth::UnixNow());
  h->admin_token = jwt.Issue(kAdminId, "admin", auth::UnixNow());
  return h;
}

void ReplaceAll(std::string& s, std::string_view from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

void CheckResponse(const http::Response& res) {
  fuzz::Check(res.status >= 100 && res.status <= 599, "response status out of range");
  fuzz::Check(res.status != 500, "a request produced a 500");
  if (res.content_type.rfind("application/json", 0) == 0 && !res.body.empty()) {
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    fuzz::Check(!j.is_discarded(), "JSON response is not valid JSON");
    if (res.status >= 400) {
      fuzz::Check(j.is_object() && j.contains("error") && j["error"].is_object() &&
                      j["error"].contains("code") && j["error"]["code"].is_string(),
                  "error response without {\"error\":{\"code\"...}}");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness* h = Make();
  std::string raw(reinterpret_cast<const char*>(data), size);
  ReplaceAll(raw, "FUZZUSER", h->user_token);
  ReplaceAll(raw, "FUZZADMIN", h->admin_token);
  // Pipelined requests are answered one after the other, as on a keep-alive connection.
  std::string_view rest = raw;
  for (int i = 0; i < 4 && !rest.empty(); ++i) {
    http::ParsedRequest p = http::ParseRequest(rest, h->server, i % 2 ? "10.1.2.3" : "127.0.0.1");
    h->app->Decorate(p.request);
    if (p.error) {
      CheckResponse(*p.error);
      break;
    }
    if (!p.upgrade) CheckResponse(h->app->Handle(p.request));
    if (p.consumed == 0 || !p.keep_alive) break;
    rest.remove_prefix(p.consumed);
  }
  return 0;
}

// Half of the time, the first request's JSON body gets a structural change (see
// json_mutator.hpp) and its Content-Length is rewritten to match; otherwise byte mutations.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string in(reinterpret_cast<const char*>(data), size);
  std::size_t head_end = in.find("\r\n\r\n");
  std::string lower = in.substr(0, head_end == std::string::npos ? 0 : head_end);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t cl = lower.find("\r\ncontent-length:");
  if (rng() % 2 == 0 && head_end != std::string::npos && cl != std::string::npos) {
    std::size_t value = cl + 17;
    std::size_t value_end = in.find("\r\n", value);
    std::size_t length = std::strtoul(in.c_str() + value, nullptr, 10);
    std::size_t body = head_end + 4;
    std::size_t body_end = std::min(in.size(), body + length);
    auto mutated =
        ascension::fuzz::MutateJsonText(std::string_view(in).substr(body, body_end - body), rng);
    if (mutated) {
      std::string out = in.substr(0, value) + " " + std::to_string(mutated->size()) +
                        in.substr(value_end, body - value_end) + *mutated + in.substr(body_end);
      if (out.size() <= max_size) {
        std::memcpy(data, out.data(), out.size());
        return out.size();
      }
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}
