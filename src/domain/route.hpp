// Routes (F06): a photo of a wall — or the wall image built from an analysed climb video — with
// the holds found on it, corrected and selected by the climber. Plain values and pure rules (the
// geometry of a hold's outline, what a correction may change, the names the API and the database
// use); no I/O.
//
// States of a route: awaiting_upload (a photo route before its photo is detected) → detecting
// (a job is on vision.holds) → ready (holds stored) or failed (with a FailureCode name). A ready
// or failed route can be detected again. `dispatch` counts the times its job was handed to the
// queue; a job message carrying another number is a stale copy and is skipped.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/language.hpp"
#include "domain/time.hpp"
#include "domain/uuid.hpp"
#include "domain/vector.hpp"

namespace ascension::domain {

// ---- points, boxes and colours in image pixels ----

using ImagePoint = Vec2;

struct ImageBox {
  double x = 0;  // left
  double y = 0;  // top
  double width = 0;
  double height = 0;
};

struct Rgb {
  int r = 0;
  int g = 0;
  int b = 0;
};

// Area (shoelace, absolute), centroid of the area (the vertices' mean for a degenerate polygon)
// and bounding box of a polygon.
double PolygonArea(const std::vector<ImagePoint>& outline);
ImagePoint PolygonCentroid(const std::vector<ImagePoint>& outline);
ImageBox BoundingBox(const std::vector<ImagePoint>& outline);
// A polygon of `sides` vertices on the circle of centre `c` and radius `r`.
std::vector<ImagePoint> CircleOutline(ImagePoint c, double r, int sides = 16);
// The even-odd rule; points on an edge may go either way.
bool PolygonContains(const std::vector<ImagePoint>& outline, ImagePoint p);

// ---- names ----

enum class RouteStatus { kAwaitingUpload, kDetecting, kReady, kFailed };
std::string_view RouteStatusName(RouteStatus s);  // awaiting_upload | detecting | ready | failed
std::optional<RouteStatus> ParseRouteStatus(std::string_view name);

enum class RouteSource { kPhoto, kAnalysis };
std::string_view RouteSourceName(RouteSource s);  // photo | analysis
std::optional<RouteSource> ParseRouteSource(std::string_view name);

// The named palette holds are reported in (the detector's, vision/holds/hold.hpp).
inline constexpr std::array<std::string_view, 10> kHoldColours = {
    "red", "orange", "yellow", "green", "blue", "purple", "pink", "black", "white", "grey"};
bool IsHoldColour(std::string_view name);

// Size classes from the equivalent diameter relative to the image's long side: foot_chip < 2.2 %,
// small < 4 %, medium < 7 %, large < 12 %, volume above.
inline constexpr std::array<std::string_view, 5> kHoldSizes = {"foot_chip", "small", "medium",
                                                               "large", "volume"};
bool IsHoldSize(std::string_view name);
std::string_view HoldSizeFor(double area_px, int image_width, int image_height);

enum class HoldRole { kStart, kTop, kHand, kFoot };
std::string_view HoldRoleName(HoldRole r);  // start | top | hand | foot
std::optional<HoldRole> ParseHoldRole(std::string_view name);

enum class HoldOrigin { kDetected, kManual };
std::string_view HoldOriginName(HoldOrigin o);  // detected | manual
std::optional<HoldOrigin> ParseHoldOrigin(std::string_view name);

// What a correction did to a hold.
enum class CorrectionAction {
  kAdded,       // a hold the detection missed
  kDeleted,     // a hold that is not one (or not wanted)
  kMoved,       // the outline translated
  kReshaped,    // a new outline
  kRecoloured,  // another palette colour
  kRole,        // role set or cleared
  kSelected,
  kDeselected,
};
std::string_view CorrectionActionName(CorrectionAction a);
std::optional<CorrectionAction> ParseCorrectionAction(std::string_view name);
inline constexpr std::array<CorrectionAction, 8> kCorrectionActions = {
    CorrectionAction::kAdded,    CorrectionAction::kDeleted,    CorrectionAction::kMoved,
    CorrectionAction::kReshaped, CorrectionAction::kRecoloured, CorrectionAction::kRole,
    CorrectionAction::kSelected, CorrectionAction::kDeselected};

// ---- values ----

struct RouteHold {
  Uuid id;
  HoldOrigin origin = HoldOrigin::kDetected;
  std::vector<ImagePoint> outline;  // image pixels, >= 3 points
  std::string colour;               // a kHoldColours name
  std::optional<Rgb> measured;      // the detector's measured colour (detected holds)
  std::string size;                 // a kHoldSizes name
  double confidence = 1;            // the detector's; 1 for a manual hold
  std::optional<HoldRole> role;
  bool selected = false;
  Time created_at{};
  Time updated_at{};
};

// One change a climber made to a route's holds, kept so the detection's precision can be
// measured from what users fix. `origin` is the corrected hold's (a correction of a detected
// hold measures the detector; of a manual one, the climber's own work).
struct HoldCorrection {
  Uuid route_id;
  Uuid hold_id;
  CorrectionAction action = CorrectionAction::kAdded;
  HoldOrigin origin = HoldOrigin::kDetected;
  Time at{};
};

// Corrections of one route by action (the counts GET /v1/routes/{id} reports).
using CorrectionCounts = std::array<int, kCorrectionActions.size()>;

// A distance the climber measured between the centres of two of the route's holds.
struct GhostHoldDistance {
  Uuid hold_a;
  Uuid hold_b;
  double distance_cm = 0;
  friend bool operator==(const GhostHoldDistance&, const GhostHoldDistance&) = default;
};

// The scale the climber gives the route (PATCH /v1/routes/{id} {"scale"}): a distance between
// two of its holds, the height of wall the photo shows, or nothing (at most one is set). The
// ghost uses it after the climber's own skeleton for a route built from their video and before
// the holds' sizes (docs/ghost.md "Scale").
struct GhostScale {
  std::optional<GhostHoldDistance> distance;
  std::optional<double> wall_height_cm;
  bool empty() const { return !distance && !wall_height_cm; }
  friend bool operator==(const GhostScale&, const GhostScale&) = default;
};

inline constexpr double kMinGhostDistanceCm = 1, kMaxGhostDistanceCm = 5000;
inline constexpr double kMinWallHeightCm = 100, kMaxWallHeightCm = 5000;
// The image a user distance implies must show between these many metres of wall (a distance in
// the wrong unit, or between the wrong two holds, gives a wall of centimetres or of a tower).
inline constexpr double kMinScaledImageM = 0.5, kMaxScaledImageM = 60;

struct Route {
  Uuid id;
  Uuid user_id;
  RouteSource source = RouteSource::kPhoto;
  std::optional<Uuid> analysis_id;  // the analysed video it was built from
  std::string image_key;            // routes/{user_id}/{route_id}.jpg
  std::string content_type = "image/jpeg";
  RouteStatus status = RouteStatus::kAwaitingUpload;
  int progress = 0;
  std::string stage;
  std::optional<std::string> name;
  std::optional<std::string> grade;         // canonical spelling in grade_system
  std::optional<std::string> grade_system;  // a GradeSystemName
  std::optional<double> wall_angle_deg;     // from vertical: 0 vertical, > 0 overhanging
  GhostScale scale;                         // given by the climber (empty: none)
  int image_width = 0;                      // once detected
  int image_height = 0;
  std::optional<std::int64_t> reference_ms;  // a video route: the frame the wall image is seen from
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  Uuid job_id;  // of the latest detection job
  int dispatch = 0;
  int attempts = 0;
  int requeues = 0;
  int hold_count = 0;  // in listings
  Time created_at{};
  Time updated_at{};
  std::optional<Time> detected_at;
};

// ---- rules ----

// Photo types a route accepts, from the uploaded file name's extension (case-insensitive):
// .jpg/.jpeg image/jpeg, .png image/png, .webp image/webp. HEIC/HEIF (what an iPhone takes) is
// refused with its own code "heic_unsupported" (export as JPEG); any other extension
// "unsupported_format". The decoder checks the content again (never the name).
struct PhotoTypeError {
  std::string code;
  std::string message;
};
std::optional<PhotoTypeError> CheckPhotoFilename(std::string_view filename);
std::string PhotoContentType(std::string_view filename);  // after CheckPhotoFilename passed

// routes/{user_id}/{route_id}.jpg (DESIGN.md storage layout; the content type says the format).
std::string RouteImageKey(const Uuid& user_id, const Uuid& route_id);

inline constexpr int kMaxOutlinePoints = 200;
inline constexpr int kMaxHoldsPerRoute = 1000;
inline constexpr std::size_t kMaxRouteNameBytes = 100;

// nullopt when `outline` is a usable hold outline on a `width` x `height` image: 3 to
// kMaxOutlinePoints finite points inside the image (a pixel's tolerance), an area of at least
// 4 px²; else the sentence naming the problem.
std::optional<std::string> ValidateOutline(const std::vector<ImagePoint>& outline, int width,
                                           int height);
// A route name: 1 to 100 bytes of valid UTF-8 without control characters.
std::optional<std::string> ValidateRouteName(std::string_view name);
// Wall angle in degrees from vertical: -30 (slab) to 90 (a roof).
std::optional<std::string> ValidateWallAngle(double degrees);
// nullopt when `scale` is usable on a route of `holds` whose image is `image_height` px high:
// two different holds of the route (any, selected or not) whose centres are at least a pixel
// apart, 1-5000 cm between them, and an image height it implies of 0.5-60 m; or a wall height
// of 100-5000 cm; not both. Else the sentence naming the field (scale.hold_b, scale.distance_cm,
// scale.wall_height_cm). An empty scale is valid (none).
std::optional<std::string> ValidateScale(const GhostScale& scale,
                                         const std::vector<RouteHold>& holds, int image_height);

// The sentence a failed detection shows: the failure table's for the input's faults (a corrupt
// photo...), "Hold detection failed." for a dependency's (the table's sentence names the
// analysis), the internal one for an unknown code.
std::string_view RouteFailureMessage(std::string_view code, Language language);

}  // namespace ascension::domain
