// The environment a process starts with: NAME=value lines (the first '=' splits; a value may hold
// any byte but NUL and newline) become the whole environment, then the settings every process
// shares are read (EnvReader, ReadCommonConfig) and the values handed to the parsers that consume
// them at start: the RabbitMQ URL parser and the S3 client's endpoint parser. Invariants: no
// exception or sanitizer report; a refusal names the problem; an accepted configuration has every
// required value.
//
// Not an invariant (a finding handed to issue 11 item 2): the reader's URL checks are looser than
// the parsers behind them (e.g. RABBITMQ_URL=amqps://... passes, the AMQP parser refuses it). The
// API and the worker fail at start on a refused S3 endpoint; for the AMQP URL that start-up check
// is the "health tells the truth" work.
#include "common/config.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "adapters/amqp/url.hpp"
#include "adapters/s3/client.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  clearenv();
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string line(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0 || line.find('\0') != std::string::npos) continue;
    std::string name = line.substr(0, eq);
    setenv(name.c_str(), line.c_str() + eq + 1, 1);
  }
  EnvReader env;
  CommonConfig c = ReadCommonConfig(env);
  (void)env.Int("API_PORT", 8080, 0, 65535);
  (void)env.Int("MAX_VIDEO_BYTES", 1, 1, std::int64_t{1} << 40);
  (void)env.Bool("FUZZ_FLAG", false);
  (void)env.List("TRUSTED_PROXIES");
  (void)env.List("CORS_ALLOWED_ORIGINS");
  if (!env.ok()) {
    fuzz::Check(env.error().has_value() && !env.error()->empty(), "refused without a message");
    return 0;
  }
  fuzz::Check(!c.database_url.empty() && !c.rabbitmq_url.empty() && !c.s3_endpoint.empty() &&
                  !c.s3_bucket.empty() && !c.s3_access_key.empty() && !c.s3_secret_key.empty(),
              "accepted a configuration without a required value");
  (void)amqp::ParseUrl(c.rabbitmq_url);
  (void)s3::Client::Create(s3::ConfigFrom(c));
  return 0;
}
