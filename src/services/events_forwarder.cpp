#include "services/events_forwarder.hpp"

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "domain/messages.hpp"

namespace ascension::services {

namespace {

// What one event becomes: the owner to notify and the app's {"event","data"} message.
struct Outgoing {
  std::string user_id;
  std::string event;
  nlohmann::json data;
};

Result<Outgoing> FromJobEvent(std::string_view routing_key, std::string_view body) {
  auto e = domain::DecodeEvent(routing_key, body);
  if (!e.ok()) return e.status();
  Outgoing out{e->user_id, "", {{"analysis_id", e->analysis_id}}};
  switch (e->kind) {
    case domain::EventKind::kProgress:
      out.event = "analysis:progress";
      out.data["progress"] = e->progress;
      out.data["stage"] = e->stage;
      break;
    case domain::EventKind::kCompleted:
      out.event = "analysis:completed";
      out.data["status"] = "completed";
      break;
    case domain::EventKind::kFailed:
      out.event = "analysis:failed";
      out.data["status"] = "failed";
      out.data["error_code"] = e->error_code;
      out.data["message"] = e->message;
      break;
  }
  return out;
}

Result<Outgoing> FromRouteEvent(std::string_view routing_key, std::string_view body) {
  auto e = domain::DecodeRouteEvent(routing_key, body);
  if (!e.ok()) return e.status();
  Outgoing out{e->user_id, "", {{"route_id", e->route_id}, {"job_id", e->job_id}}};
  switch (e->kind) {
    case domain::RouteEventKind::kProgress:
      out.event = "route:progress";
      out.data["progress"] = e->progress;
      out.data["stage"] = e->stage;
      break;
    case domain::RouteEventKind::kDetected:
      out.event = "route:detected";
      out.data["status"] = "ready";
      out.data["hold_count"] = e->hold_count;
      break;
    case domain::RouteEventKind::kFailed:
      out.event = "route:failed";
      out.data["status"] = "failed";
      out.data["error_code"] = e->error_code;
      out.data["message"] = e->message;
      break;
  }
  return out;
}

Result<Outgoing> FromGhostEvent(std::string_view routing_key, std::string_view body) {
  auto e = domain::DecodeGhostEvent(routing_key, body);
  if (!e.ok()) return e.status();
  Outgoing out{e->user_id, "", {{"route_id", e->route_id}, {"job_id", e->job_id}}};
  switch (e->kind) {
    case domain::GhostEventKind::kProgress:
      out.event = "ghost:progress";
      out.data["progress"] = e->progress;
      out.data["stage"] = e->stage;
      break;
    case domain::GhostEventKind::kReady:
      out.event = "ghost:ready";
      out.data["status"] = "ready";
      out.data["beta_found"] = e->beta_found;
      break;
    case domain::GhostEventKind::kFailed:
      out.event = "ghost:failed";
      out.data["status"] = "failed";
      out.data["error_code"] = e->error_code;
      out.data["message"] = e->message;
      break;
  }
  return out;
}

// One family of events per routing-key prefix; the last one (empty prefix) takes every other
// key, and its decoder refuses the keys it does not know.
struct Family {
  std::string_view prefix;
  std::string_view name;
  Result<Outgoing> (*decode)(std::string_view routing_key, std::string_view body);
};

constexpr Family kFamilies[] = {
    {"holds.", "route", FromRouteEvent},
    {"ghost.", "ghost", FromGhostEvent},
    {"", "analysis", FromJobEvent},
};

const Family& FamilyOf(std::string_view routing_key) {
  for (const Family& f : kFamilies) {
    if (routing_key.substr(0, f.prefix.size()) == f.prefix) return f;
  }
  return kFamilies[std::size(kFamilies) - 1];
}

// Text from the broker may be invalid UTF-8: replaced, never thrown (dump's default throws).
std::string Dump(const Outgoing& out) {
  return nlohmann::json{{"event", out.event}, {"data", out.data}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

int EventsForwarder::Forward(std::string_view routing_key, std::string_view body) {
  const Family& family = FamilyOf(routing_key);
  auto out = family.decode(routing_key, body);
  if (!out.ok()) {
    ++dropped_;
    log::Warn("malformed event dropped", {{"family", std::string(family.name)},
                                          {"routing_key", std::string(routing_key.substr(0, 200))},
                                          {"error", out.status().message()}});
    return 0;
  }
  int n = notifier_.Notify(out->user_id, Dump(*out));
  delivered_ += n;
  return n;
}

std::chrono::milliseconds EventsForwarderLoop::Round(Wakeup& wakeup) {
  struct NotConsuming {
    const std::function<void(bool)>& report;
    ~NotConsuming() {
      if (report) report(false);
    }
  } not_consuming{observer_.consuming};
  auto subscription = source_.Subscribe(wakeup.stopper().flag());
  if (!subscription.ok()) {
    if (wakeup.stopped()) return std::chrono::milliseconds(0);
    log::Warn("events forwarder cannot subscribe", {{"error", subscription.status().message()}});
    return std::chrono::seconds(1);
  }
  if (observer_.consuming) observer_.consuming(true);
  log::Info("events forwarder consuming");
  while (!wakeup.stopped()) {
    auto event = (*subscription)->Next(std::chrono::milliseconds(500));
    if (!event.ok()) {
      log::Warn("events forwarder lost rabbitmq", {{"error", event.status().message()}});
      return std::chrono::milliseconds(250);
    }
    if (!*event) continue;
    auto dropped_before = forwarder_.dropped();
    int n = forwarder_.Forward((*event)->routing_key, (*event)->body);
    if (n > 0 && observer_.forwarded) observer_.forwarded(n);
    if (forwarder_.dropped() > dropped_before && observer_.dropped) observer_.dropped();
  }
  log::Info("events forwarder stopped", {{"reason", "shutting down"}});
  return std::chrono::milliseconds(0);
}

}  // namespace ascension::services
