// Routes in storage: the route rows, their holds and the corrections climbers make, and the
// detection job's life (outbox message, the worker's transitions, recovery of lost jobs).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.hpp"
#include "domain/page.hpp"
#include "domain/route.hpp"
#include "ports/outbox.hpp"

namespace ascension::ports {

// Builds the outbox message that queues a route's detection job (the route as it will be once
// the job is queued: status detecting, its new dispatch number and job id).
using HoldsJobFor = std::function<OutboxMessage(const domain::Route&)>;

// Name, grade, wall angle and scale; an unset member is left unchanged, a set one to nullopt
// (an empty scale) clears it.
struct RouteChanges {
  std::optional<std::optional<std::string>> name{};
  // grade and grade_system change together.
  std::optional<std::optional<std::pair<std::string, std::string>>> grade{};
  std::optional<std::optional<double>> wall_angle_deg{};
  std::optional<domain::GhostScale> scale{};
};

// What a hold correction changes on one hold (unset members stay).
struct HoldChanges {
  std::optional<std::vector<domain::ImagePoint>> outline{};
  std::optional<std::string> colour{};
  std::optional<std::string> size{};
  std::optional<std::optional<domain::HoldRole>> role{};
  std::optional<bool> selected{};
};

// What the reaper decides for one route stuck in detecting.
struct RequeueRoute {};
struct GiveUpRoute {
  std::string error_code;
  std::string error_message;
};
using StuckRouteDecision = std::variant<RequeueRoute, GiveUpRoute>;

// The analysed video a route is built from, for the worker.
struct AnalysisSource {
  std::string video_key;    // the video's current object key
  std::string result_json;  // the completed analysis's result (its frames carry the poses)
};

// A completed analysis a route's holds can be matched to (route.holds_used), for the worker.
struct AnalysisOnRoute {
  domain::Uuid id;
  std::optional<domain::Uuid> route_id;  // analyses.route_id: the route climbed, when given
  std::string result_json;
};

class RouteRepository {
 public:
  virtual ~RouteRepository() = default;

  // ---- API ----
  virtual Result<domain::Route> Create(const domain::Route& route) = 0;
  // Inserts `route` (status detecting) and its job's outbox message `job(route)` atomically.
  virtual Result<domain::Route> CreateDetecting(const domain::Route& route,
                                                const HoldsJobFor& job) = 0;
  // The user's route (hold_count filled); nullopt otherwise (the two look the same).
  virtual Result<std::optional<domain::Route>> FindOwned(const domain::Uuid& id,
                                                         const domain::Uuid& user_id) = 0;
  // The user's routes, newest first, with their hold counts.
  virtual Result<domain::PageOf<domain::Route>> ListOwned(const domain::Uuid& user_id,
                                                          const domain::Page& page) = 0;
  virtual Result<std::optional<domain::Route>> Update(const domain::Uuid& id,
                                                      const domain::Uuid& user_id,
                                                      const RouteChanges& changes) = 0;
  // Atomically, when the route is the user's and not already detecting: status detecting,
  // dispatch + 1, a new job id, the progress reset, and the job's outbox message. Returns the
  // route as it now is (unchanged when it was already detecting: its job is on its way), nullopt
  // when it is not the user's.
  virtual Result<std::optional<domain::Route>> RequestDetection(const domain::Uuid& id,
                                                                const domain::Uuid& user_id,
                                                                const domain::Uuid& job_id,
                                                                const HoldsJobFor& job) = 0;
  // The status of the user's analysis `analysis_id` (pending ... completed | failed); nullopt
  // when there is no such analysis of the user's.
  virtual Result<std::optional<std::string>> AnalysisStatus(const domain::Uuid& analysis_id,
                                                            const domain::Uuid& user_id) = 0;
  // Deletes the row (holds and corrections by cascade). False when it was not the user's.
  virtual Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) = 0;

  // The route's holds, top to bottom then left to right.
  virtual Result<std::vector<domain::RouteHold>> Holds(const domain::Uuid& route_id) = 0;
  virtual Result<std::optional<domain::RouteHold>> FindHold(const domain::Uuid& route_id,
                                                            const domain::Uuid& hold_id) = 0;
  // Adds a manual hold and its correction. kResourceExhausted past kMaxHoldsPerRoute.
  virtual Result<domain::RouteHold> AddHold(const domain::Uuid& route_id,
                                            const domain::RouteHold& hold,
                                            const std::vector<domain::HoldCorrection>& log) = 0;
  // Applies `changes` and records `log` in one transaction; nullopt when there is no such hold.
  virtual Result<std::optional<domain::RouteHold>> UpdateHold(
      const domain::Uuid& route_id, const domain::Uuid& hold_id, const HoldChanges& changes,
      const std::vector<domain::HoldCorrection>& log) = 0;
  // Deletes the hold and records `correction`; false when there is no such hold. A scale
  // distance measured to the hold is cleared with it.
  virtual Result<bool> DeleteHold(const domain::Uuid& route_id, const domain::Uuid& hold_id,
                                  const domain::HoldCorrection& correction) = 0;
  // Sets `selected` on each of the holds and records `log`, in one transaction.
  virtual Status SetSelected(const domain::Uuid& route_id,
                             const std::vector<std::pair<domain::Uuid, bool>>& selection,
                             const std::vector<domain::HoldCorrection>& log) = 0;
  // The route's corrections by action.
  virtual Result<domain::CorrectionCounts> Corrections(const domain::Uuid& route_id) = 0;

  // ---- worker ----
  // The route, marked as started by a worker (attempts + 1), when it is detecting and `dispatch`
  // is its current number; nullopt otherwise (gone, already detected or failed, or a stale copy
  // of a re-queued job): the job is skipped.
  virtual Result<std::optional<domain::Route>> StartDetection(const domain::Uuid& id,
                                                              int dispatch) = 0;
  // Progress of a detecting route (ignored once it is not detecting, or for another dispatch).
  virtual Status UpdateProgress(const domain::Uuid& id, int dispatch, int progress,
                                const std::string& stage) = 0;
  // → ready with the image size and the detected holds, replacing every hold the route had (the
  // corrections stay; a scale distance between two of the old holds is cleared). No change (and false) unless it is still detecting with this dispatch.
  virtual Result<bool> CompleteDetection(const domain::Uuid& id, int dispatch, int image_width,
                                         int image_height, std::optional<std::int64_t> reference_ms,
                                         const std::vector<domain::RouteHold>& holds) = 0;
  // → failed with the code and the user message, unless it is no longer detecting with this
  // dispatch.
  virtual Status FailDetection(const domain::Uuid& id, int dispatch, const std::string& error_code,
                               const std::string& error_message) = 0;
  // The analysed video of the route's analysis when it is the route owner's, completed, and its
  // video row still exists; nullopt otherwise.
  virtual Result<std::optional<AnalysisSource>> FindAnalysisSource(const domain::Uuid& analysis_id,
                                                                   const domain::Uuid& user_id) = 0;
  // The user's completed analyses with a result that are climbed on the route (analyses.route_id
  // = route_id) or that it was built from (id = built_from), oldest first, at most `limit`.
  virtual Result<std::vector<AnalysisOnRoute>> AnalysesOnRoute(
      const domain::Uuid& route_id, const domain::Uuid& user_id,
      const std::optional<domain::Uuid>& built_from, int limit) = 0;
  // Replaces the result of the user's analysis by `result_json` when it is completed and its
  // result is still exactly `expected_json` (a conditional UPDATE: a result changed meanwhile is
  // not overwritten). False when nothing was written.
  virtual Result<bool> ReplaceAnalysisResult(const domain::Uuid& analysis_id,
                                             const domain::Uuid& user_id,
                                             const std::string& expected_json,
                                             const std::string& result_json) = 0;

  // ---- recovery ----
  // Atomically, for each route detecting and not updated since `stuck_before` whose job is not
  // waiting in the outbox (rows locked with SKIP LOCKED): `decide` — a GiveUpRoute fails it, a
  // RequeueRoute makes a new dispatch (requeues + 1) with the job's outbox message `job(route)`.
  // Returns how many were re-queued and how many failed.
  struct Recovered {
    int requeued = 0;
    int failed = 0;
  };
  virtual Result<Recovered> ReapStuck(
      domain::Time stuck_before,
      const std::function<StuckRouteDecision(const domain::Route&)>& decide,
      const HoldsJobFor& job) = 0;
};

}  // namespace ascension::ports
