// Routes in PostgreSQL (ports/route_repository.hpp): tables routes, route_holds,
// route_corrections (schemas/postgresql/0020_routes.sql) and the detection jobs' outbox rows
// (outbox.route_id).
#pragma once

#include "adapters/postgres/pool.hpp"
#include "ports/route_repository.hpp"

namespace ascension::store {

class PgRouteRepository final : public ports::RouteRepository {
 public:
  PgRouteRepository(pg::Pool& primary, pg::Pool& reader) : db_(primary), reader_(reader) {}

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
  pg::Pool& db_;
  pg::Pool& reader_;
};

}  // namespace ascension::store
