#include "services/ghosts.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "adapters/amqp/topology.hpp"
#include "common/log.hpp"
#include "domain/time.hpp"
#include "ghost/body.hpp"
#include "ghost/ghost_json.hpp"

namespace ascension::services {
namespace {

using domain::GhostStatus;
using SteadyClock = std::chrono::steady_clock;

Status NoSuchRoute() {
  return NotFound("Route not found");
}
Status Invalid(std::string message) {
  return Status(ErrorKind::kInvalidArgument, std::move(message), "validation_failed");
}

std::string StateOf(const domain::StoredGhost& g, const std::string& current) {
  switch (g.status) {
    case GhostStatus::kComputing:
      return "computing";
    case GhostStatus::kFailed:
      return "failed";
    case GhostStatus::kReady:
      break;
  }
  return g.fingerprint == current ? "ready" : "stale";
}

// Permanent failures of a computation: the inputs cannot make a ghost.
bool IsPermanent(const Status& s) {
  return s.kind() == ErrorKind::kInvalidArgument;
}

}  // namespace

ports::OutboxMessage GhostJobFor(const domain::StoredGhost& ghost) {
  domain::GhostJobMessage m;
  m.job_id = ghost.job_id.str();
  m.route_id = ghost.route_id.str();
  m.user_id = ghost.user_id.str();
  m.fingerprint = ghost.requested_fingerprint;
  m.attempt = 1;
  m.dispatch = ghost.dispatch;
  m.created_at = domain::FormatTime(ghost.requested_at);
  ports::OutboxMessage out;
  out.exchange = "";
  out.routing_key = std::string(amqp::topology::kGhostQueue);
  out.body = domain::EncodeGhostJob(m);
  return out;
}

Result<ghost::RouteGhostInputs> LoadGhostInputs(ports::RouteRepository& routes,
                                                ports::ProfileRepository& profiles,
                                                const domain::Route& route) {
  ghost::RouteGhostInputs in;
  in.image_width = route.image_width;
  in.image_height = route.image_height;
  in.wall_angle_deg = route.wall_angle_deg;
  in.scale = route.scale;
  auto holds = routes.Holds(route.id);
  if (!holds.ok()) return holds.status();
  in.holds = std::move(holds).value();
  auto profile = profiles.Find(route.user_id);
  if (!profile.ok()) return profile.status();
  in.profile = std::move(profile).value();
  if (route.source == domain::RouteSource::kAnalysis && route.analysis_id) {
    auto source = routes.FindAnalysisSource(*route.analysis_id, route.user_id);
    if (!source.ok()) return source.status();
    if (*source) {
      // A result that is not JSON (or has no stature) leaves the other scale sources.
      auto doc = nlohmann::json::parse((*source)->result_json, nullptr, false);
      if (!doc.is_discarded()) in.skeleton_height_px = ghost::SkeletonHeightPx(doc);
    }
  }
  return in;
}

Ghosts::Ghosts(ports::UserRepository& users, ports::RouteRepository& routes,
               ports::ProfileRepository& profiles, ports::GhostRepository& ghosts,
               const ports::Clock& clock, GhostsOptions options)
    : users_(users),
      routes_(routes),
      profiles_(profiles),
      ghosts_(ghosts),
      clock_(clock),
      options_(options) {}

Status Ghosts::CheckTier(const Principal& caller) {
  auto user = users_.FindById(caller.user_id);
  if (!user.ok()) return user.status();
  if (!*user) return Status(ErrorKind::kUnauthenticated, "The account no longer exists");
  if ((*user)->subscription_tier == "premium" || (*user)->subscription_tier == "infinity") {
    return Status::Ok();
  }
  return Status(ErrorKind::kPermissionDenied, "Ghost mode needs a premium or infinity subscription",
                "premium_required");
}

Result<GhostView> Ghosts::Request(const Principal& caller, const domain::Uuid& route_id,
                                  const std::optional<domain::GhostScale>& scale) {
  if (Status s = CheckTier(caller); !s.ok()) return s;
  auto route = routes_.FindOwned(route_id, caller.user_id);
  if (!route.ok()) return route.status();
  if (!*route) return NoSuchRoute();
  if ((*route)->status != domain::RouteStatus::kReady) {
    return Status(ErrorKind::kFailedPrecondition,
                  "The route's holds are not detected yet (status " +
                      std::string(domain::RouteStatusName((*route)->status)) + ")",
                  "route_not_ready");
  }
  const bool rescale = scale && *scale != (*route)->scale;
  if (scale) (*route)->scale = *scale;  // what the ghost will be computed with
  auto in = LoadGhostInputs(routes_, profiles_, **route);
  if (!in.ok()) return in.status();
  if (scale) {
    if (auto bad = domain::ValidateScale(*scale, in->holds, (*route)->image_height)) {
      return Invalid(*bad);
    }
  }
  if (auto body = ghost::MakeBodyModel(in->profile); !body.ok()) {
    return Status(ErrorKind::kFailedPrecondition,
                  "The climber profile cannot be used for a ghost: " + body.status().message(),
                  "profile_unusable");
  }
  if (rescale) {
    ports::RouteChanges changes;
    changes.scale = *scale;
    auto updated = routes_.Update(route_id, caller.user_id, changes);
    if (!updated.ok()) return updated.status();
    if (!*updated) return NoSuchRoute();
  }
  const std::string fingerprint = ghost::GhostFingerprint(*in);
  const domain::Time now = clock_.Now();

  domain::StoredGhost wanted;
  wanted.route_id = route_id;
  wanted.user_id = caller.user_id;
  wanted.status = GhostStatus::kComputing;
  wanted.requested_fingerprint = fingerprint;
  wanted.job_id = domain::Uuid::Random();
  wanted.requested_at = now;
  const auto queue = [&](const std::optional<domain::StoredGhost>& current) {
    if (!current) return true;
    if (current->status == GhostStatus::kComputing) {
      // The job for these inputs is on its way, unless it was lost.
      return current->requested_fingerprint != fingerprint ||
             current->requested_at + options_.stuck_after < now;
    }
    if (current->status == GhostStatus::kReady) return current->fingerprint != fingerprint;
    return true;  // failed: try again
  };
  auto stored = ghosts_.Request(wanted, queue, GhostJobFor);
  if (!stored.ok()) return stored.status();
  GhostView view;
  view.ghost = std::move(stored).value();
  view.scale = in->scale;
  view.current_fingerprint = fingerprint;
  view.state = StateOf(view.ghost, fingerprint);
  return view;
}

Result<GhostView> Ghosts::Show(const Principal& caller, const domain::Uuid& route_id) {
  if (Status s = CheckTier(caller); !s.ok()) return s;
  auto route = routes_.FindOwned(route_id, caller.user_id);
  if (!route.ok()) return route.status();
  if (!*route) return NoSuchRoute();
  auto stored = ghosts_.Find(route_id);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->user_id != caller.user_id) {
    return Status(ErrorKind::kNotFound,
                  "No ghost was requested for this route (POST /v1/routes/{id}/ghost)",
                  "ghost_not_found");
  }
  GhostView view;
  view.ghost = std::move(**stored);
  auto in = LoadGhostInputs(routes_, profiles_, **route);
  if (!in.ok()) return in.status();
  view.scale = in->scale;
  view.current_fingerprint = ghost::GhostFingerprint(*in);
  view.state = StateOf(view.ghost, view.current_fingerprint);
  return view;
}

GhostComputation::GhostComputation(ports::GhostRepository& ghosts, ports::RouteRepository& routes,
                                   ports::ProfileRepository& profiles,
                                   ports::GhostEventPublisher& events,
                                   GhostComputationOptions options)
    : ghosts_(ghosts), routes_(routes), profiles_(profiles), events_(events), options_(options) {}

Verdict GhostComputation::Handle(const Delivery& delivery) {
  const auto started = SteadyClock::now();
  Verdict v;
  auto done = [&](Verdict::Action action, const char* outcome) {
    v.action = action;
    v.outcome = outcome;
    v.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    return v;
  };
  auto job = domain::DecodeGhostJob(delivery.body);
  const auto route_id = job.ok() ? domain::Uuid::Parse(job->route_id) : std::nullopt;
  const auto user_id = job.ok() ? domain::Uuid::Parse(job->user_id) : std::nullopt;
  if (!job.ok() || !route_id || !user_id) {
    log::Error(
        "malformed ghost job dead-lettered",
        {{"error", job.ok() ? std::string("ghost job field route_id or user_id is not a UUID")
                            : job.status().message()}});
    return done(Verdict::Action::kDeadLetter, "invalid");
  }
  // The owner, once the stored ghost is known (events go to the row's user, not the message's).
  std::optional<domain::Uuid> owner;
  auto publish = [&](domain::GhostEvent e) {
    if (!owner) return;
    e.job_id = job->job_id;
    e.route_id = route_id->str();
    e.user_id = owner->str();
    if (Status s = events_.Publish(e); !s.ok()) {
      log::Warn("ghost event publish failed",
                {{"route_id", route_id->str()}, {"error", s.message()}});
    }
  };
  auto fail = [&](const std::string& code, const std::string& message) {
    if (Status s = ghosts_.Fail(*route_id, job->dispatch, code, message); !s.ok()) {
      log::Warn("cannot mark the ghost failed",
                {{"route_id", route_id->str()}, {"error", s.message()}});
      return;
    }
    domain::GhostEvent e;
    e.kind = domain::GhostEventKind::kFailed;
    e.error_code = code;
    e.message = message;
    publish(std::move(e));
  };
  auto retry_or_give_up = [&](const std::string& message) {
    if (job->attempt >= options_.max_attempts) {
      log::Error("ghost job failed after retries, dead-lettered",
                 {{"route_id", route_id->str()}, {"error", message}});
      fail("internal_error", "The ghost could not be computed; try again later.");
      return done(Verdict::Action::kDeadLetter, "dead_lettered");
    }
    auto body = domain::WithAttempt(delivery.body, job->attempt + 1);
    if (!body.ok()) {  // cannot happen: the body decoded above
      fail("internal_error", "The ghost could not be computed; try again later.");
      return done(Verdict::Action::kDeadLetter, "dead_lettered");
    }
    v.retry_body = std::move(body).value();
    v.retry_delay = std::chrono::milliseconds(1000LL << std::min(job->attempt, 10));
    log::Warn("transient failure of a ghost job, retrying",
              {{"route_id", route_id->str()},
               {"attempt", job->attempt},
               {"error", message},
               {"backoff_ms", v.retry_delay.count()}});
    return done(Verdict::Action::kRetry, "retried");
  };

  auto stored = ghosts_.StartComputing(*route_id, job->dispatch);
  if (!stored.ok()) return retry_or_give_up(stored.status().message());
  if (!*stored) {
    log::Info("ghost job for a ghost not awaiting it, skipped",
              {{"route_id", route_id->str()}, {"dispatch", job->dispatch}});
    return done(Verdict::Action::kAck, "skipped");
  }
  owner = (*stored)->user_id;
  {
    domain::GhostEvent e;
    e.kind = domain::GhostEventKind::kProgress;
    e.progress = 10;
    e.stage = "planning";
    publish(std::move(e));
  }
  auto route = routes_.FindOwned(*route_id, (*stored)->user_id);
  if (!route.ok()) return retry_or_give_up(route.status().message());
  if (!*route) {  // the ghost row goes with its route: a race with the deletion
    return done(Verdict::Action::kAck, "skipped");
  }
  if ((*route)->status != domain::RouteStatus::kReady) {
    fail("route_not_ready", "The route's holds are being detected again; ask for the ghost after.");
    return done(Verdict::Action::kAck, "failed");
  }
  auto in = LoadGhostInputs(routes_, profiles_, **route);
  if (!in.ok()) return retry_or_give_up(in.status().message());
  auto doc = ghost::ComputeRouteGhost(*in, options_.ghost);
  if (!doc.ok()) {
    if (!IsPermanent(doc.status())) return retry_or_give_up(doc.status().message());
    const std::string code = doc.status().code().empty() ? "invalid_route" : doc.status().code();
    log::Warn(
        "ghost computation failed",
        {{"route_id", route_id->str()}, {"error_code", code}, {"error", doc.status().message()}});
    fail(code, doc.status().message());
    return done(Verdict::Action::kAck, "failed");
  }
  auto completed =
      ghosts_.Complete(*route_id, job->dispatch, ghost::GhostFingerprint(*in), doc->dump());
  if (!completed.ok()) return retry_or_give_up(completed.status().message());
  if (!*completed) return done(Verdict::Action::kAck, "skipped");
  domain::GhostEvent ready;
  ready.kind = domain::GhostEventKind::kReady;
  const auto beta = doc->find("beta");
  ready.beta_found = beta != doc->end() && beta->is_object();
  publish(std::move(ready));
  return done(Verdict::Action::kAck, "computed");
}

}  // namespace ascension::services
