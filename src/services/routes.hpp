// Routes (API side): a wall photo uploaded through a presigned PUT, or the wall image of an
// analysed climb; its detection queued on vision.holds; the holds read, corrected and selected.
//
// Rules held here: a route is its owner's only (anyone else's looks missing); the photo is a
// JPEG, PNG or WebP named by its extension (HEIC refused with its own code) of at most
// max_photo_bytes, checked in storage before a detection is queued; a detection is queued with
// its outbox message in one transaction and queuing it again while it runs changes nothing;
// holds are corrected only on a ready route, each correction recorded with the corrected
// hold's origin and the time; outlines stay inside the image; a scale names two different holds
// of the route (domain::ValidateScale); selecting a colour selects exactly
// the holds of that colour.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/page.hpp"
#include "domain/route.hpp"
#include "ports/clock.hpp"
#include "ports/object_store.hpp"
#include "ports/route_repository.hpp"
#include "services/principal.hpp"

namespace ascension::services {

struct RoutesOptions {
  std::chrono::seconds presign_ttl{15 * 60};
  std::string bucket;  // image_url = s3://bucket/key
  std::int64_t max_photo_bytes = 25LL * 1024 * 1024;
};

struct RouteUploadTicket {
  domain::Route route;
  ports::SignedUrl url;  // a PUT of exactly this key with the signed Content-Type
};

struct RouteView {
  domain::Route route;
  std::vector<domain::RouteHold> holds;
  std::optional<ports::SignedUrl> image;  // a presigned GET once the image is in storage
  domain::CorrectionCounts corrections{};
};

// PATCH /v1/routes/{id}: unset members stay; a set member holding nullopt clears the field.
struct RouteEdit {
  std::optional<std::optional<std::string>> name{};
  std::optional<std::optional<std::string>> grade{};
  std::optional<std::string> grade_system{};  // required with a grade
  std::optional<std::optional<double>> wall_angle_deg{};
  // A distance between two of the route's holds or a wall height; an empty scale clears it.
  std::optional<domain::GhostScale> scale{};
};

// POST /v1/routes/{id}/holds: an outline, or a centre and a radius (a circle).
struct NewHold {
  std::optional<std::vector<domain::ImagePoint>> outline{};
  std::optional<domain::ImagePoint> centre{};
  std::optional<double> radius{};
  std::string colour;
  std::optional<domain::HoldRole> role{};
  bool selected = false;
};

// PATCH /v1/routes/{id}/holds/{hold_id}: move (the centre goes there) or reshape (a new
// outline), recolour, set or clear the role, select or deselect.
struct HoldEdit {
  std::optional<std::vector<domain::ImagePoint>> outline{};
  std::optional<domain::ImagePoint> centre{};
  std::optional<std::string> colour{};
  std::optional<std::optional<domain::HoldRole>> role{};
  std::optional<bool> selected{};
};

// A changed hold and the corrections that changed it (the API counts them in its metrics).
struct HoldChange {
  domain::RouteHold hold;
  std::vector<domain::HoldCorrection> corrections;
};

struct Selection {
  std::vector<domain::RouteHold> holds;  // every hold of the route after the change
  std::vector<domain::HoldCorrection> corrections;
  int selected = 0;  // holds of the colour, now selected
};

struct ColourCount {
  std::string colour;
  int holds = 0;
  int selected = 0;
};

// The outbox message that queues `route`'s detection on vision.holds.
ports::OutboxMessage HoldsJobFor(const domain::Route& route, const std::string& bucket);

class Routes {
 public:
  Routes(ports::RouteRepository& routes, const ports::ObjectStore& objects,
         const ports::Clock& clock, RoutesOptions options);

  // A new photo route awaiting upload and its presigned PUT. kInvalidArgument
  // "heic_unsupported" | "unsupported_format" for another kind of file.
  Result<RouteUploadTicket> RequestUpload(const Principal& caller, std::string_view filename);
  // Queues the detection of the route's image. kFailedPrecondition "photo_not_uploaded" before
  // the photo is in storage; kInvalidArgument "image_too_large" | "empty_file" for its size.
  Result<domain::Route> Detect(const Principal& caller, const domain::Uuid& id);
  // A route built from the caller's completed analysis: its wall image is made from the video
  // by the worker, then detected. kNotFound (no such analysis of the caller's),
  // kFailedPrecondition "analysis_not_completed".
  Result<domain::Route> FromAnalysis(const Principal& caller, const domain::Uuid& analysis_id);
  Result<RouteView> Show(const Principal& caller, const domain::Uuid& id);
  Result<domain::PageOf<domain::Route>> List(const Principal& caller, const domain::Page& page);
  // kInvalidArgument "validation_failed" naming the field (a scale distance's holds are
  // looked up in the route's, so a route without holds takes a wall height only).
  Result<domain::Route> Update(const Principal& caller, const domain::Uuid& id,
                               const RouteEdit& edit);
  // Deletes the image, then the row (with its holds and corrections).
  Status Delete(const Principal& caller, const domain::Uuid& id);

  Result<HoldChange> AddHold(const Principal& caller, const domain::Uuid& id, const NewHold& hold);
  Result<HoldChange> EditHold(const Principal& caller, const domain::Uuid& id,
                              const domain::Uuid& hold_id, const HoldEdit& edit);
  Result<domain::HoldCorrection> DeleteHold(const Principal& caller, const domain::Uuid& id,
                                            const domain::Uuid& hold_id);
  // Selects every hold of `colour` and deselects the others.
  Result<Selection> SelectColour(const Principal& caller, const domain::Uuid& id,
                                 std::string_view colour);
  // The colours found on the route with their counts, most holds first.
  Result<std::vector<ColourCount>> Colours(const Principal& caller, const domain::Uuid& id);

  std::chrono::seconds presign_ttl() const { return options_.presign_ttl; }

 private:
  Result<domain::Route> Owned(const Principal& caller, const domain::Uuid& id);
  // The caller's route, ready for corrections (kFailedPrecondition "route_not_ready" otherwise).
  Result<domain::Route> Ready(const Principal& caller, const domain::Uuid& id);

  ports::RouteRepository& routes_;
  const ports::ObjectStore& objects_;
  const ports::Clock& clock_;
  RoutesOptions options_;
};

}  // namespace ascension::services
