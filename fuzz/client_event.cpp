// An event from the `ascension.events` exchange as the API's events forwarder receives it. The
// input's first line is the routing key, the rest the body. Invariants: no exception, and an
// accepted event becomes a WebSocket message in the documented shape
// ({"event":"analysis:...","data":{"analysis_id":...}}) for a non-empty user.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ports/notifier.hpp"
#include "services/events_forwarder.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

namespace {

// Keeps what the forwarder delivers; one live connection per user.
class Capture final : public ascension::ports::Notifier {
 public:
  int Notify(const std::string& user_id, const std::string& text) override {
    user = user_id;
    message = text;
    ++calls;
    return 1;
  }
  std::string user, message;
  int calls = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view key = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  Capture hub;
  services::EventsForwarder forwarder(hub);
  int n = forwarder.Forward(key, body);
  fuzz::Check(n == hub.calls && forwarder.dropped() + hub.calls == 1, "neither dropped nor delivered once");
  if (hub.calls == 0) return 0;
  fuzz::Check(!hub.user.empty(), "event for an empty user");
  auto m = nlohmann::json::parse(hub.message, nullptr, false);
  fuzz::Check(m.is_object() && m.contains("event") && m["event"].is_string() &&
                  m.contains("data") && m["data"].is_object() &&
                  m["data"].contains("analysis_id") && m["data"]["analysis_id"].is_string(),
              "WebSocket message not in the documented shape");
  const std::string& name = m["event"].get_ref<const std::string&>();
  if (name == "analysis:progress") {
    fuzz::Check(m["data"].contains("progress") && m["data"]["progress"].is_number(),
                "progress is not a number");
  }
  return 0;
}

// The body after the routing-key line is the JSON part.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nl = in.find('\n');
  std::size_t begin = nl == std::string_view::npos ? size : nl + 1;
  return ascension::fuzz::MutateWithJson(data, size, max_size, seed, begin, size);
}
