// An event from the `ascension.events` exchange as the API's events forwarder receives it. The
// input's first line is the routing key, the rest the body. Invariants: no exception, and an
// accepted event becomes a WebSocket message in the documented shape for a non-empty user
// ({"event":"analysis:...","data":{"analysis_id":...}}, or for a route's detection, holds.* keys,
// {"event":"route:...","data":{"route_id":...}}), progress an integer 0..100.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.hpp"
#include "json_mutator.hpp"
#include "ports/notifier.hpp"
#include "services/events_forwarder.hpp"

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
  fuzz::Check(n == hub.calls && forwarder.dropped() + hub.calls == 1,
              "neither dropped nor delivered once");
  if (hub.calls == 0) return 0;
  fuzz::Check(!hub.user.empty(), "event for an empty user");
  auto m = nlohmann::json::parse(hub.message, nullptr, false);
  fuzz::Check(m.is_object() && m.contains("event") && m["event"].is_string() &&
                  m.contains("data") && m["data"].is_object(),
              "WebSocket message not in the documented shape");
  const std::string& name = m["event"].get_ref<const std::string&>();
  const nlohmann::json& d = m["data"];
  // A route's detection (holds.* keys) names its route; an analysis's event its analysis.
  const bool route = name.rfind("route:", 0) == 0;
  fuzz::Check(route == key.starts_with("holds."), "an event forwarded under another family");
  const char* id = route ? "route_id" : "analysis_id";
  fuzz::Check(d.contains(id) && d[id].is_string(),
              "WebSocket message without the id of its route or analysis");
  // A route event requires its route_id (an analysis event's analysis_id is optional).
  if (route) {
    fuzz::Check(!d[id].get_ref<const std::string&>().empty(), "route event without its route");
  }
  if (name == "analysis:progress" || name == "route:progress") {
    fuzz::Check(d.contains("progress") && d["progress"].is_number_integer() &&
                    d["progress"].get<int>() >= 0 && d["progress"].get<int>() <= 100,
                "progress is not an integer 0..100");
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
