#include "api/client_events.hpp"

#include <nlohmann/json.hpp>

namespace ascension::api {

namespace {

// The member `name` of an event body: its default when absent or null, the value when it has the
// wanted type, an error naming it otherwise.
Result<std::string> OptionalString(const nlohmann::json& body, const char* name,
                                   const char* fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string(fallback);
  if (!it->is_string())
    return InvalidArgument(std::string("event field ") + name + " must be a string");
  return it->get<std::string>();
}

}  // namespace

Result<ClientEvent> TranslateEvent(std::string_view routing_key, std::string_view body_text) {
  auto body = nlohmann::json::parse(body_text, nullptr, false);
  if (!body.is_object() || !body.contains("user_id") || !body["user_id"].is_string() ||
      body["user_id"].get_ref<const std::string&>().empty())
    return InvalidArgument("event body has no string user_id");
  auto analysis_id = OptionalString(body, "analysis_id", "");
  if (!analysis_id.ok()) return analysis_id.status();
  nlohmann::json data = {{"analysis_id", *analysis_id}};
  std::string event;
  if (routing_key.rfind("skeleton.progress.", 0) == 0) {
    event = "analysis:progress";
    auto progress = body.find("progress");
    if (progress != body.end() && !progress->is_null() && !progress->is_number())
      return InvalidArgument("event field progress must be a number");
    data["progress"] =
        progress == body.end() || progress->is_null() ? nlohmann::json(0) : *progress;
    auto stage = OptionalString(body, "stage", "");
    if (!stage.ok()) return stage.status();
    data["stage"] = *stage;
  } else if (routing_key.rfind("skeleton.completed.", 0) == 0) {
    event = "analysis:completed";
    data["status"] = "completed";
  } else if (routing_key.rfind("skeleton.failed.", 0) == 0) {
    event = "analysis:failed";
    data["status"] = "failed";
    auto code = OptionalString(body, "error_code", "analysis_failed");
    if (!code.ok()) return code.status();
    auto message = OptionalString(body, "message", "");
    if (!message.ok()) return message.status();
    data["error_code"] = *code;
    data["message"] = *message;
  } else {
    return InvalidArgument("not a job event: " + std::string(routing_key));
  }
  return ClientEvent{body["user_id"].get<std::string>(),
                     nlohmann::json{{"event", event}, {"data", data}}.dump(
                         -1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace ascension::api
