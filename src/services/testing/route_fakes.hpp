// In-memory ports for the unit tests of the route services (routes.hpp, route_detection.hpp,
// route_reaper.hpp): the route rows with their holds, corrections and outbox messages, a
// programmable hold detector and a recorder of route events.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "ports/clock.hpp"
#include "ports/hold_detector.hpp"
#include "ports/route_repository.hpp"

namespace ascension::services::testing {

struct FakeRouteDatabase {
  std::mutex mu;
  std::map<domain::Uuid, domain::Route> routes;
  std::map<domain::Uuid, std::vector<domain::RouteHold>> holds;  // by route
  std::vector<domain::HoldCorrection> corrections;
  struct Queued {
    domain::Uuid route_id;
    ports::OutboxMessage message;
    bool sent = false;
  };
  std::vector<Queued> outbox;
  struct Analysis {
    domain::Uuid user_id;
    std::string status;
    ports::AnalysisSource source;  // source.result_json is the analysis's result
    std::optional<domain::Uuid> route_id{};
  };
  std::map<domain::Uuid, Analysis> analyses;
  // Called by ReplaceAnalysisResult before it compares (under the lock): a test changes the
  // analysis there as a concurrent writer would.
  std::function<void(Analysis&)> before_replace;
  const ports::Clock* clock = nullptr;
  std::optional<Status> outage;  // every call fails with it when set

  domain::Time Now() const { return clock ? clock->Now() : domain::Time{}; }
  // Messages not yet marked sent, for `route_id` (or all).
  std::vector<ports::OutboxMessage> Unsent(std::optional<domain::Uuid> route_id = std::nullopt);
  void MarkAllSent();
};

class FakeRouteRepository final : public ports::RouteRepository {
 public:
  explicit FakeRouteRepository(FakeRouteDatabase& db) : db_(db) {}

  Result<domain::Route> Create(const domain::Route& route) override;
  Result<domain::Route> CreateDetecting(const domain::Route& route,
                                        const ports::HoldsJobFor& job) override;
  Result<std::optional<domain::Route>> FindOwned(const domain::Uuid& id,
                                                 const domain::Uuid& user_id) override;
  Result<domain::PageOf<domain::Route>> ListOwned(const domain::Uuid& user_id,
                                                  const domain::Page& page) override;
  Result<std::optional<domain::Route>> Update(const domain::Uuid& id, const domain::Uuid& user_id,
                                              const ports::RouteChanges& changes) override;
  Result<std::optional<domain::Route>> RequestDetection(const domain::Uuid& id,
                                                        const domain::Uuid& user_id,
                                                        const domain::Uuid& job_id,
                                                        const ports::HoldsJobFor& job) override;
  Result<std::optional<std::string>> AnalysisStatus(const domain::Uuid& analysis_id,
                                                    const domain::Uuid& user_id) override;
  Result<bool> DeleteOwned(const domain::Uuid& id, const domain::Uuid& user_id) override;
  Result<std::vector<domain::RouteHold>> Holds(const domain::Uuid& route_id) override;
  Result<std::optional<domain::RouteHold>> FindHold(const domain::Uuid& route_id,
                                                    const domain::Uuid& hold_id) override;
  Result<domain::RouteHold> AddHold(const domain::Uuid& route_id, const domain::RouteHold& hold,
                                    const std::vector<domain::HoldCorrection>& log) override;
  Result<std::optional<domain::RouteHold>> UpdateHold(
      const domain::Uuid& route_id, const domain::Uuid& hold_id, const ports::HoldChanges& changes,
      const std::vector<domain::HoldCorrection>& log) override;
  Result<bool> DeleteHold(const domain::Uuid& route_id, const domain::Uuid& hold_id,
                          const domain::HoldCorrection& correction) override;
  Status SetSelected(const domain::Uuid& route_id,
                     const std::vector<std::pair<domain::Uuid, bool>>& selection,
                     const std::vector<domain::HoldCorrection>& log) override;
  Result<domain::CorrectionCounts> Corrections(const domain::Uuid& route_id) override;
  Result<std::optional<domain::Route>> StartDetection(const domain::Uuid& id,
                                                      int dispatch) override;
  Status UpdateProgress(const domain::Uuid& id, int dispatch, int progress,
                        const std::string& stage) override;
  Result<bool> CompleteDetection(const domain::Uuid& id, int dispatch, int image_width,
                                 int image_height, std::optional<std::int64_t> reference_ms,
                                 const std::vector<domain::RouteHold>& holds) override;
  Status FailDetection(const domain::Uuid& id, int dispatch, const std::string& error_code,
                       const std::string& error_message) override;
  Result<std::optional<ports::AnalysisSource>> FindAnalysisSource(
      const domain::Uuid& analysis_id, const domain::Uuid& user_id) override;
  Result<std::vector<ports::AnalysisOnRoute>> AnalysesOnRoute(
      const domain::Uuid& route_id, const domain::Uuid& user_id,
      const std::optional<domain::Uuid>& built_from, int limit) override;
  Result<bool> ReplaceAnalysisResult(const domain::Uuid& analysis_id, const domain::Uuid& user_id,
                                     const std::string& expected_json,
                                     const std::string& result_json) override;
  Result<Recovered> ReapStuck(
      domain::Time stuck_before,
      const std::function<ports::StuckRouteDecision(const domain::Route&)>& decide,
      const ports::HoldsJobFor& job) override;

 private:
  void Queue(const domain::Route& r, const ports::HoldsJobFor& job);
  FakeRouteDatabase& db_;
};

// Returns `photo_result` / `video_result` (both an Internal error until set) and counts calls;
// FromVideo calls progress once with 0.5 and writes `wall_bytes` to the wall file.
class FakeHoldDetector final : public ports::HoldDetector {
 public:
  Result<ports::DetectedHolds> photo_result = Internal("no photo result programmed");
  Result<ports::DetectedHolds> video_result = Internal("no video result programmed");
  std::string wall_bytes = "wall-jpeg";
  int photo_calls = 0;
  int video_calls = 0;
  std::string last_photo_bytes;  // what the photo file held
  std::size_t last_pose_frames = 0;

  Result<ports::DetectedHolds> FromPhoto(const std::filesystem::path& path) override;
  Result<ports::DetectedHolds> FromVideo(const std::filesystem::path& video,
                                         const domain::PoseSequence& poses,
                                         const std::filesystem::path& wall_jpeg,
                                         const std::function<bool(double)>& progress) override;
};

class FakeRouteEvents final : public ports::RouteEventPublisher {
 public:
  Status Publish(const domain::RouteEvent& event) override;
  std::vector<domain::RouteEvent> Take();
  std::optional<Status> failure;  // Publish fails with it when set

 private:
  std::mutex mu_;
  std::vector<domain::RouteEvent> events_;
};

}  // namespace ascension::services::testing
