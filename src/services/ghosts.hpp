// Ghost mode through the running system (issue 14, F07): the ghost of a route for its owner's
// body, computed by a job on vision.ghost and read back.
//
// Rules held here (API side, Ghosts): ghost mode is for the premium and infinity tiers (freemium:
// kPermissionDenied "premium_required", checked first); a route and its ghost are their owner's
// only (anyone else's looks missing); a ghost is requested on a ready route only; the scale is
// the route's (PATCH /v1/routes/{id}), and one given with the request becomes the route's first
// (domain::ValidateScale: two different holds of the route, 1–5000 cm, or a wall height of
// 100–5000 cm); a profile the body model cannot use is refused before anything is queued. The
// ghost depends on the route's image size and wall angle, its selected holds (outline, size,
// role), the scale and the profile (height, span, limbs): their fingerprint is stored with the
// ghost and a ghost computed from other inputs than the current ones is stale. Requesting the
// ghost again while its job runs for the same inputs changes nothing (the job is on its way)
// unless that job was requested more than `stuck_after` ago (lost: it is queued again); a ghost
// that is ready and not stale is not recomputed. The job is queued with its outbox message in
// one transaction.
//
// Worker side (GhostComputation), the rules of every job: a message that cannot be read is
// dead-lettered at once; a job whose ghost is gone, no longer computing or re-queued since
// (another dispatch) is acknowledged and skipped; otherwise the ghost is computed from the
// inputs as they are now and stored with their fingerprint (acknowledged after the commit); a
// route or profile that cannot make a ghost fails it at once with its code; a transient failure
// (storage) is retried through vision.ghost.retry with a backoff of 2^attempt s, max_attempts
// times, then the ghost fails and the message is dead-lettered. Its owner hears of it on
// ascension.events (best effort): ghost.progress when the computation starts, ghost.ready once
// stored, ghost.failed once marked failed (a job skipped or unreadable publishes nothing).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/ghost.hpp"
#include "domain/messages.hpp"
#include "ghost/route_ghost.hpp"
#include "ports/clock.hpp"
#include "ports/ghost_repository.hpp"
#include "ports/job_bus.hpp"
#include "ports/profile_repository.hpp"
#include "ports/route_repository.hpp"
#include "ports/user_repository.hpp"
#include "services/job_processing.hpp"
#include "services/principal.hpp"

namespace ascension::services {

// The outbox message that queues `ghost`'s job on vision.ghost.
ports::OutboxMessage GhostJobFor(const domain::StoredGhost& ghost);

struct GhostsOptions {
  std::chrono::seconds stuck_after{10 * 60};
};

// What GET /v1/routes/{id}/ghost shows.
struct GhostView {
  domain::StoredGhost ghost;
  domain::GhostScale scale;  // the route's, now
  // computing | ready | stale | failed: ready with a document computed from other inputs than
  // the current ones is stale.
  std::string state;
  std::string current_fingerprint;
};

class Ghosts {
 public:
  Ghosts(ports::UserRepository& users, ports::RouteRepository& routes,
         ports::ProfileRepository& profiles, ports::GhostRepository& ghosts,
         const ports::Clock& clock, GhostsOptions options = {});

  // Queues the computation of the route's ghost (or leaves the one on its way, or the ready
  // one, as it is). kPermissionDenied "premium_required"; kNotFound (not the caller's route);
  // kFailedPrecondition "route_not_ready", "profile_unusable"; kInvalidArgument
  // "validation_failed" for the scale. A `scale` given is stored on the route (an empty one
  // clears it) once everything else is checked; nullopt uses the route's.
  Result<GhostView> Request(const Principal& caller, const domain::Uuid& route_id,
                            const std::optional<domain::GhostScale>& scale = std::nullopt);
  // The route's ghost with its state. kPermissionDenied "premium_required"; kNotFound (not the
  // caller's route, or "ghost_not_found": never requested).
  Result<GhostView> Show(const Principal& caller, const domain::Uuid& route_id);

 private:
  Status CheckTier(const Principal& caller);

  ports::UserRepository& users_;
  ports::RouteRepository& routes_;
  ports::ProfileRepository& profiles_;
  ports::GhostRepository& ghosts_;
  const ports::Clock& clock_;
  GhostsOptions options_;
};

// The inputs of a route's ghost as they are now: the route's holds and scale, the owner's
// profile, and for a route built from an analysis the climber's stature in its frames. Shared by
// the API (the current fingerprint), the worker (what it computes from) and the comparison.
Result<ghost::RouteGhostInputs> LoadGhostInputs(ports::RouteRepository& routes,
                                                ports::ProfileRepository& profiles,
                                                const domain::Route& route);

struct GhostComputationOptions {
  int max_attempts = 3;
  ghost::RouteGhostOptions ghost{};
};

class GhostComputation {
 public:
  GhostComputation(ports::GhostRepository& ghosts, ports::RouteRepository& routes,
                   ports::ProfileRepository& profiles, ports::GhostEventPublisher& events,
                   GhostComputationOptions options = {});

  // Outcomes: computed | skipped | failed | retried | dead_lettered | invalid.
  Verdict Handle(const Delivery& delivery);

 private:
  ports::GhostRepository& ghosts_;
  ports::RouteRepository& routes_;
  ports::ProfileRepository& profiles_;
  ports::GhostEventPublisher& events_;
  GhostComputationOptions options_;
};

}  // namespace ascension::services
