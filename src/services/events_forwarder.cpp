#include "services/events_forwarder.hpp"

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "domain/messages.hpp"

namespace ascension::services {

int EventsForwarder::Forward(std::string_view routing_key, std::string_view body) {
  auto e = domain::DecodeEvent(routing_key, body);
  if (!e.ok()) {
    ++dropped_;
    log::Warn("malformed event dropped", {{"routing_key", std::string(routing_key.substr(0, 200))},
                                          {"error", e.status().message()}});
    return 0;
  }
  nlohmann::json data = {{"analysis_id", e->analysis_id}};
  std::string event;
  switch (e->kind) {
    case domain::EventKind::kProgress:
      event = "analysis:progress";
      data["progress"] = e->progress;
      data["stage"] = e->stage;
      break;
    case domain::EventKind::kCompleted:
      event = "analysis:completed";
      data["status"] = "completed";
      break;
    case domain::EventKind::kFailed:
      event = "analysis:failed";
      data["status"] = "failed";
      data["error_code"] = e->error_code;
      data["message"] = e->message;
      break;
  }
  // Text from the broker may be invalid UTF-8: replaced, never thrown (dump's default throws).
  int n = notifier_.Notify(e->user_id, nlohmann::json{{"event", event}, {"data", data}}.dump(
                                           -1, ' ', false, nlohmann::json::error_handler_t::replace));
  delivered_ += n;
  return n;
}

}  // namespace ascension::services
