// An event from the `ascension.events` exchange as the API's events forwarder receives it. The
// input's first line is the routing key, the rest the body. Invariants: no exception, and an
// accepted event becomes a WebSocket message in the documented shape
// ({"event":"analysis:...","data":{"analysis_id":...}}) for a non-empty user.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "api/client_events.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view key = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto event = api::TranslateEvent(key, body);
  if (!event.ok()) {
    fuzz::Check(event.status().kind() == ErrorKind::kInvalidArgument, "unexpected error kind");
    return 0;
  }
  fuzz::Check(!event->user_id.empty(), "event for an empty user");
  auto m = nlohmann::json::parse(event->message, nullptr, false);
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
