#include "services/events_forwarder.hpp"

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "domain/messages.hpp"

namespace ascension::services {

namespace {

// Text from the broker may be invalid UTF-8: replaced, never thrown (dump's default throws).
std::string Dump(const std::string& event, const nlohmann::json& data) {
  return nlohmann::json{{"event", event}, {"data", data}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

int EventsForwarder::ForwardRoute(std::string_view routing_key, std::string_view body) {
  auto e = domain::DecodeRouteEvent(routing_key, body);
  if (!e.ok()) {
    ++dropped_;
    log::Warn("malformed route event dropped",
              {{"routing_key", std::string(routing_key.substr(0, 200))},
               {"error", e.status().message()}});
    return 0;
  }
  nlohmann::json data = {{"route_id", e->route_id}, {"job_id", e->job_id}};
  std::string event;
  switch (e->kind) {
    case domain::RouteEventKind::kProgress:
      event = "route:progress";
      data["progress"] = e->progress;
      data["stage"] = e->stage;
      break;
    case domain::RouteEventKind::kDetected:
      event = "route:detected";
      data["status"] = "ready";
      data["hold_count"] = e->hold_count;
      break;
    case domain::RouteEventKind::kFailed:
      event = "route:failed";
      data["status"] = "failed";
      data["error_code"] = e->error_code;
      data["message"] = e->message;
      break;
  }
  int n = notifier_.Notify(e->user_id, Dump(event, data));
  delivered_ += n;
  return n;
}

int EventsForwarder::ForwardGhost(std::string_view routing_key, std::string_view body) {
  auto e = domain::DecodeGhostEvent(routing_key, body);
  if (!e.ok()) {
    ++dropped_;
    log::Warn("malformed ghost event dropped",
              {{"routing_key", std::string(routing_key.substr(0, 200))},
               {"error", e.status().message()}});
    return 0;
  }
  nlohmann::json data = {{"route_id", e->route_id}, {"job_id", e->job_id}};
  std::string event;
  switch (e->kind) {
    case domain::GhostEventKind::kProgress:
      event = "ghost:progress";
      data["progress"] = e->progress;
      data["stage"] = e->stage;
      break;
    case domain::GhostEventKind::kReady:
      event = "ghost:ready";
      data["status"] = "ready";
      data["beta_found"] = e->beta_found;
      break;
    case domain::GhostEventKind::kFailed:
      event = "ghost:failed";
      data["status"] = "failed";
      data["error_code"] = e->error_code;
      data["message"] = e->message;
      break;
  }
  int n = notifier_.Notify(e->user_id, Dump(event, data));
  delivered_ += n;
  return n;
}

int EventsForwarder::Forward(std::string_view routing_key, std::string_view body) {
  if (routing_key.substr(0, 6) == "holds.") return ForwardRoute(routing_key, body);
  if (routing_key.substr(0, 6) == "ghost.") return ForwardGhost(routing_key, body);
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
  int n = notifier_.Notify(e->user_id, Dump(event, data));
  delivered_ += n;
  return n;
}

}  // namespace ascension::services
