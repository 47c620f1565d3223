#include "services/routes.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "adapters/amqp/topology.hpp"
#include "domain/messages.hpp"
#include "domain/profile.hpp"
#include "domain/rules.hpp"

namespace ascension::services {
namespace {

using domain::CorrectionAction;
using domain::HoldCorrection;
using domain::RouteStatus;

Status NoSuchRoute() {
  return NotFound("Route not found");
}
Status NoSuchHold() {
  return NotFound("Hold not found");
}
Status Invalid(std::string message, std::string code = "validation_failed") {
  return Status(ErrorKind::kInvalidArgument, std::move(message), std::move(code));
}

}  // namespace

ports::OutboxMessage HoldsJobFor(const domain::Route& route, const std::string& bucket) {
  domain::HoldsJobMessage m;
  m.job_id = route.job_id.str();
  m.route_id = route.id.str();
  m.user_id = route.user_id.str();
  m.source = std::string(domain::RouteSourceName(route.source));
  m.image_url = "s3://" + bucket + "/" + route.image_key;
  if (route.analysis_id) m.analysis_id = route.analysis_id->str();
  m.attempt = 1;
  m.dispatch = route.dispatch;
  m.created_at = domain::FormatTime(route.created_at);
  ports::OutboxMessage out;
  out.exchange = "";
  out.routing_key = std::string(amqp::topology::kHoldsQueue);
  out.body = domain::EncodeHoldsJob(m);
  return out;
}

Routes::Routes(ports::RouteRepository& routes, const ports::ObjectStore& objects,
               const ports::Clock& clock, RoutesOptions options)
    : routes_(routes), objects_(objects), clock_(clock), options_(std::move(options)) {}

Result<domain::Route> Routes::Owned(const Principal& caller, const domain::Uuid& id) {
  auto r = routes_.FindOwned(id, caller.user_id);
  if (!r.ok()) return r.status();
  if (!*r) return NoSuchRoute();
  return std::move(**r);
}

Result<domain::Route> Routes::Ready(const Principal& caller, const domain::Uuid& id) {
  auto r = Owned(caller, id);
  if (!r.ok()) return r.status();
  if (r->status != RouteStatus::kReady) {
    return Status(ErrorKind::kFailedPrecondition,
                  "The route's holds are not detected yet (status " +
                      std::string(domain::RouteStatusName(r->status)) + ")",
                  "route_not_ready");
  }
  return r;
}

Result<RouteUploadTicket> Routes::RequestUpload(const Principal& caller,
                                                std::string_view filename) {
  if (filename.empty() || filename.size() > 255) {
    return Invalid("filename must be 1 to 255 characters");
  }
  if (auto bad = domain::CheckPhotoFilename(filename)) return Invalid(bad->message, bad->code);
  domain::Route r;
  r.id = domain::Uuid::Random();
  r.user_id = caller.user_id;
  r.job_id = domain::Uuid::Random();
  r.source = domain::RouteSource::kPhoto;
  r.content_type = domain::PhotoContentType(filename);
  r.image_key = domain::RouteImageKey(caller.user_id, r.id);
  r.status = RouteStatus::kAwaitingUpload;
  // The size is checked before a detection is queued (Detect), so the PUT signs no length.
  auto url = objects_.PresignPut(r.image_key, r.content_type, std::nullopt, options_.presign_ttl,
                                 clock_.Now());
  if (!url.ok()) return url.status();
  auto created = routes_.Create(r);
  if (!created.ok()) return created.status();
  return RouteUploadTicket{std::move(created).value(), std::move(url).value()};
}

Result<domain::Route> Routes::Detect(const Principal& caller, const domain::Uuid& id) {
  auto r = Owned(caller, id);
  if (!r.ok()) return r.status();
  if (r->status == RouteStatus::kDetecting) return r;  // its job is on its way
  if (r->source == domain::RouteSource::kPhoto) {
    auto head = objects_.Head(r->image_key);
    if (!head.ok()) {
      if (head.status().kind() == ErrorKind::kNotFound) {
        return Status(ErrorKind::kFailedPrecondition, "The photo has not been uploaded yet",
                      "photo_not_uploaded");
      }
      return head.status();
    }
    if (head->size == 0) return Invalid("The uploaded photo is empty", "empty_file");
    if (head->size > static_cast<std::uint64_t>(options_.max_photo_bytes)) {
      return Invalid(
          "The photo is larger than " + std::to_string(options_.max_photo_bytes) + " bytes",
          "image_too_large");
    }
  }
  auto queued = routes_.RequestDetection(
      id, caller.user_id, domain::Uuid::Random(),
      [&](const domain::Route& route) { return HoldsJobFor(route, options_.bucket); });
  if (!queued.ok()) return queued.status();
  if (!*queued) return NoSuchRoute();
  return std::move(**queued);
}

Result<domain::Route> Routes::FromAnalysis(const Principal& caller,
                                           const domain::Uuid& analysis_id) {
  auto status = routes_.AnalysisStatus(analysis_id, caller.user_id);
  if (!status.ok()) return status.status();
  if (!*status) return NotFound("Analysis not found");
  if (**status != domain::kCompleted) {
    return Status(ErrorKind::kFailedPrecondition,
                  "The analysis is not completed (status " + **status + ")",
                  "analysis_not_completed");
  }
  domain::Route r;
  r.id = domain::Uuid::Random();
  r.user_id = caller.user_id;
  r.job_id = domain::Uuid::Random();
  r.source = domain::RouteSource::kAnalysis;
  r.analysis_id = analysis_id;
  r.content_type = "image/jpeg";
  r.image_key = domain::RouteImageKey(caller.user_id, r.id);
  r.status = RouteStatus::kDetecting;
  r.dispatch = 1;
  r.stage = "queued";
  r.created_at = clock_.Now();
  return routes_.CreateDetecting(
      r, [&](const domain::Route& route) { return HoldsJobFor(route, options_.bucket); });
}

Result<RouteView> Routes::Show(const Principal& caller, const domain::Uuid& id) {
  auto r = Owned(caller, id);
  if (!r.ok()) return r.status();
  RouteView view;
  view.route = std::move(r).value();
  auto holds = routes_.Holds(id);
  if (!holds.ok()) return holds.status();
  view.holds = std::move(holds).value();
  auto counts = routes_.Corrections(id);
  if (!counts.ok()) return counts.status();
  view.corrections = *counts;
  // The image exists once a photo was uploaded, or once a video route's wall image was built.
  bool exists = view.route.status == RouteStatus::kReady;
  if (!exists) {
    auto head = objects_.Head(view.route.image_key);
    if (!head.ok() && head.status().kind() != ErrorKind::kNotFound) return head.status();
    exists = head.ok();
  }
  if (exists) {
    auto url = objects_.PresignGet(view.route.image_key, options_.presign_ttl, clock_.Now());
    if (!url.ok()) return url.status();
    view.image = std::move(url).value();
  }
  return view;
}

Result<domain::PageOf<domain::Route>> Routes::List(const Principal& caller,
                                                   const domain::Page& page) {
  return routes_.ListOwned(caller.user_id, page);
}

Result<domain::Route> Routes::Update(const Principal& caller, const domain::Uuid& id,
                                     const RouteEdit& edit) {
  ports::RouteChanges changes;
  if (edit.name) {
    if (*edit.name) {
      if (auto bad = domain::ValidateRouteName(**edit.name)) return Invalid(*bad);
    }
    changes.name = *edit.name;
  }
  if (edit.grade) {
    if (*edit.grade) {
      if (!edit.grade_system) return Invalid("grade_system is required with grade");
      auto system = domain::ParseGradeSystem(*edit.grade_system);
      if (!system) {
        return Invalid("grade_system must be fontainebleau, french, v_scale or yds");
      }
      auto grade = domain::Grade::Parse(*system, **edit.grade);
      if (!grade) {
        return Invalid("grade " + std::string(**edit.grade).substr(0, 16) +
                       " does not exist in the " + *edit.grade_system + " system");
      }
      changes.grade = std::pair{grade->text(), std::string(domain::GradeSystemName(*system))};
    } else {
      changes.grade = std::optional<std::pair<std::string, std::string>>();
    }
  } else if (edit.grade_system) {
    return Invalid("grade_system is only set together with grade");
  }
  if (edit.wall_angle_deg) {
    if (*edit.wall_angle_deg) {
      if (auto bad = domain::ValidateWallAngle(**edit.wall_angle_deg)) return Invalid(*bad);
    }
    changes.wall_angle_deg = *edit.wall_angle_deg;
  }
  if (edit.scale) {
    auto route = Owned(caller, id);
    if (!route.ok()) return route.status();
    std::vector<domain::RouteHold> holds;
    if (edit.scale->distance) {
      auto found = routes_.Holds(id);
      if (!found.ok()) return found.status();
      holds = std::move(found).value();
    }
    if (auto bad = domain::ValidateScale(*edit.scale, holds, route->image_height)) {
      return Invalid(*bad);
    }
    changes.scale = *edit.scale;
  }
  auto updated = routes_.Update(id, caller.user_id, changes);
  if (!updated.ok()) return updated.status();
  if (!*updated) return NoSuchRoute();
  return std::move(**updated);
}

Status Routes::Delete(const Principal& caller, const domain::Uuid& id) {
  auto r = Owned(caller, id);
  if (!r.ok()) return r.status();
  // The object first: if storage fails nothing is deleted and the request can be retried.
  if (Status s = objects_.Delete(r->image_key); !s.ok()) return s;
  auto deleted = routes_.DeleteOwned(id, caller.user_id);
  if (!deleted.ok()) return deleted.status();
  if (!*deleted) return NoSuchRoute();
  return Status::Ok();
}

Result<HoldChange> Routes::AddHold(const Principal& caller, const domain::Uuid& id,
                                   const NewHold& in) {
  auto r = Ready(caller, id);
  if (!r.ok()) return r.status();
  std::vector<domain::ImagePoint> outline;
  if (in.outline && (in.centre || in.radius)) {
    return Invalid("give either outline, or centre and radius");
  }
  if (in.outline) {
    outline = *in.outline;
  } else if (in.centre && in.radius) {
    const double max_r = std::max(r->image_width, r->image_height) / 2.0;
    if (!std::isfinite(*in.radius) || *in.radius < 2 || *in.radius > max_r) {
      return Invalid("radius must be between 2 and " + std::to_string(static_cast<int>(max_r)) +
                     " pixels");
    }
    if (!std::isfinite(in.centre->x) || !std::isfinite(in.centre->y) || in.centre->x < 0 ||
        in.centre->y < 0 || in.centre->x > r->image_width || in.centre->y > r->image_height) {
      return Invalid("centre must lie inside the image");
    }
    outline = domain::CircleOutline(*in.centre, *in.radius);
    for (auto& p : outline) {  // a circle at the border is cut by it
      p.x = std::clamp(p.x, 0.0, static_cast<double>(r->image_width));
      p.y = std::clamp(p.y, 0.0, static_cast<double>(r->image_height));
    }
  } else {
    return Invalid("outline, or centre and radius, is required");
  }
  if (auto bad = domain::ValidateOutline(outline, r->image_width, r->image_height)) {
    return Invalid(*bad);
  }
  if (!domain::IsHoldColour(in.colour)) {
    return Invalid(
        "colour must be one of red, orange, yellow, green, blue, purple, pink, "
        "black, white, grey");
  }
  const domain::Time now = clock_.Now();
  domain::RouteHold h;
  h.id = domain::Uuid::Random();
  h.origin = domain::HoldOrigin::kManual;
  h.outline = std::move(outline);
  h.colour = in.colour;
  h.size = std::string(
      domain::HoldSizeFor(domain::PolygonArea(h.outline), r->image_width, r->image_height));
  h.confidence = 1;
  h.role = in.role;
  h.selected = in.selected;
  h.created_at = h.updated_at = now;
  std::vector<HoldCorrection> log = {
      {id, h.id, CorrectionAction::kAdded, domain::HoldOrigin::kManual, now}};
  auto added = routes_.AddHold(id, h, log);
  if (!added.ok()) return added.status();
  return HoldChange{std::move(added).value(), std::move(log)};
}

Result<HoldChange> Routes::EditHold(const Principal& caller, const domain::Uuid& id,
                                    const domain::Uuid& hold_id, const HoldEdit& edit) {
  auto r = Ready(caller, id);
  if (!r.ok()) return r.status();
  auto found = routes_.FindHold(id, hold_id);
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchHold();
  const domain::RouteHold& old = **found;
  if (edit.outline && edit.centre) return Invalid("give either outline or centre, not both");
  const domain::Time now = clock_.Now();
  ports::HoldChanges changes;
  std::vector<HoldCorrection> log;
  auto record = [&](CorrectionAction a) { log.push_back({id, hold_id, a, old.origin, now}); };
  if (edit.outline) {
    if (auto bad = domain::ValidateOutline(*edit.outline, r->image_width, r->image_height)) {
      return Invalid(*bad);
    }
    changes.outline = *edit.outline;
    changes.size = std::string(
        domain::HoldSizeFor(domain::PolygonArea(*edit.outline), r->image_width, r->image_height));
    record(CorrectionAction::kReshaped);
  } else if (edit.centre) {
    const domain::ImagePoint from = domain::PolygonCentroid(old.outline);
    const double dx = edit.centre->x - from.x, dy = edit.centre->y - from.y;
    std::vector<domain::ImagePoint> moved = old.outline;
    for (auto& p : moved) p.x += dx, p.y += dy;
    if (auto bad = domain::ValidateOutline(moved, r->image_width, r->image_height)) {
      return Invalid("the moved " + *bad);
    }
    if (std::abs(dx) > 1e-9 || std::abs(dy) > 1e-9) {
      changes.outline = std::move(moved);
      record(CorrectionAction::kMoved);
    }
  }
  if (edit.colour) {
    if (!domain::IsHoldColour(*edit.colour)) {
      return Invalid(
          "colour must be one of red, orange, yellow, green, blue, purple, pink, "
          "black, white, grey");
    }
    if (*edit.colour != old.colour) {
      changes.colour = *edit.colour;
      record(CorrectionAction::kRecoloured);
    }
  }
  if (edit.role && *edit.role != old.role) {
    changes.role = *edit.role;
    record(CorrectionAction::kRole);
  }
  if (edit.selected && *edit.selected != old.selected) {
    changes.selected = *edit.selected;
    record(*edit.selected ? CorrectionAction::kSelected : CorrectionAction::kDeselected);
  }
  if (log.empty()) return HoldChange{old, {}};
  auto updated = routes_.UpdateHold(id, hold_id, changes, log);
  if (!updated.ok()) return updated.status();
  if (!*updated) return NoSuchHold();
  return HoldChange{std::move(**updated), std::move(log)};
}

Result<domain::HoldCorrection> Routes::DeleteHold(const Principal& caller, const domain::Uuid& id,
                                                  const domain::Uuid& hold_id) {
  auto r = Ready(caller, id);
  if (!r.ok()) return r.status();
  auto found = routes_.FindHold(id, hold_id);
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchHold();
  HoldCorrection c{id, hold_id, CorrectionAction::kDeleted, (*found)->origin, clock_.Now()};
  auto deleted = routes_.DeleteHold(id, hold_id, c);
  if (!deleted.ok()) return deleted.status();
  if (!*deleted) return NoSuchHold();
  return c;
}

Result<Selection> Routes::SelectColour(const Principal& caller, const domain::Uuid& id,
                                       std::string_view colour) {
  if (!domain::IsHoldColour(colour)) {
    return Invalid(
        "colour must be one of red, orange, yellow, green, blue, purple, pink, "
        "black, white, grey");
  }
  auto r = Ready(caller, id);
  if (!r.ok()) return r.status();
  auto holds = routes_.Holds(id);
  if (!holds.ok()) return holds.status();
  Selection out;
  std::vector<std::pair<domain::Uuid, bool>> changes;
  const domain::Time now = clock_.Now();
  for (domain::RouteHold& h : *holds) {
    const bool want = h.colour == colour;
    out.selected += want ? 1 : 0;
    if (h.selected == want) continue;
    changes.emplace_back(h.id, want);
    out.corrections.push_back({id, h.id,
                               want ? CorrectionAction::kSelected : CorrectionAction::kDeselected,
                               h.origin, now});
    h.selected = want;
    h.updated_at = now;
  }
  if (!changes.empty()) {
    if (Status s = routes_.SetSelected(id, changes, out.corrections); !s.ok()) return s;
  }
  out.holds = std::move(holds).value();
  return out;
}

Result<std::vector<ColourCount>> Routes::Colours(const Principal& caller, const domain::Uuid& id) {
  auto r = Owned(caller, id);
  if (!r.ok()) return r.status();
  auto holds = routes_.Holds(id);
  if (!holds.ok()) return holds.status();
  std::map<std::string, ColourCount> by;
  for (const domain::RouteHold& h : *holds) {
    ColourCount& c = by[h.colour];
    c.colour = h.colour;
    ++c.holds;
    c.selected += h.selected ? 1 : 0;
  }
  std::vector<ColourCount> out;
  for (auto& [name, c] : by) out.push_back(c);
  std::stable_sort(out.begin(), out.end(),
                   [](const ColourCount& a, const ColourCount& b) { return a.holds > b.holds; });
  return out;
}

}  // namespace ascension::services
