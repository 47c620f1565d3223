#include "domain/route.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "common/strings.hpp"
#include "domain/failure.hpp"

namespace ascension::domain {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> Find(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kStatusNames = {"awaiting_upload", "detecting", "ready",
                                                          "failed"};
constexpr std::array<std::string_view, 2> kSourceNames = {"photo", "analysis"};
constexpr std::array<std::string_view, 4> kRoleNames = {"start", "top", "hand", "foot"};
constexpr std::array<std::string_view, 2> kOriginNames = {"detected", "manual"};
constexpr std::array<std::string_view, 8> kActionNames = {
    "added", "deleted", "moved", "reshaped", "recoloured", "role", "selected", "deselected"};

std::string Extension(std::string_view filename) {
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "";
  return Lowercase(filename.substr(dot + 1));
}

// Valid UTF-8 (shortest forms, no surrogates) without C0, DEL or C1 control characters.
bool CleanUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    int extra = 0;
    if (c < 0x80) {
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      cp = c & 0x1F, extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      cp = c & 0x0F, extra = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
      cp = c & 0x07, extra = 3;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size() && extra > 0) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
    i += 1 + extra;
  }
  return true;
}

}  // namespace

double PolygonArea(const std::vector<ImagePoint>& o) {
  double twice = 0;
  for (std::size_t i = 0, n = o.size(); i < n; ++i) {
    const ImagePoint& a = o[i];
    const ImagePoint& b = o[(i + 1) % n];
    twice += a.x * b.y - b.x * a.y;
  }
  return std::abs(twice) / 2;
}

ImagePoint PolygonCentroid(const std::vector<ImagePoint>& o) {
  double twice = 0, cx = 0, cy = 0;
  for (std::size_t i = 0, n = o.size(); i < n; ++i) {
    const ImagePoint& a = o[i];
    const ImagePoint& b = o[(i + 1) % n];
    const double cross = a.x * b.y - b.x * a.y;
    twice += cross;
    cx += (a.x + b.x) * cross;
    cy += (a.y + b.y) * cross;
  }
  if (std::abs(twice) < 1e-9) {
    ImagePoint mean;
    for (const ImagePoint& p : o) mean.x += p.x, mean.y += p.y;
    if (!o.empty()) mean.x /= o.size(), mean.y /= o.size();
    return mean;
  }
  return {cx / (3 * twice), cy / (3 * twice)};
}

ImageBox BoundingBox(const std::vector<ImagePoint>& o) {
  if (o.empty()) return {};
  double x0 = o[0].x, y0 = o[0].y, x1 = x0, y1 = y0;
  for (const ImagePoint& p : o) {
    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

std::vector<ImagePoint> CircleOutline(ImagePoint c, double r, int sides) {
  std::vector<ImagePoint> out;
  for (int i = 0; i < sides; ++i) {
    const double a = 2 * std::numbers::pi * i / sides;
    out.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
  }
  return out;
}

bool PolygonContains(const std::vector<ImagePoint>& o, ImagePoint p) {
  bool inside = false;
  for (std::size_t i = 0, j = o.size() - 1; i < o.size(); j = i++) {
    if ((o[i].y > p.y) != (o[j].y > p.y) &&
        p.x < (o[j].x - o[i].x) * (p.y - o[i].y) / (o[j].y - o[i].y) + o[i].x) {
      inside = !inside;
    }
  }
  return inside;
}

std::string_view RouteStatusName(RouteStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}
std::optional<RouteStatus> ParseRouteStatus(std::string_view n) {
  return Find<RouteStatus>(kStatusNames, n);
}
std::string_view RouteSourceName(RouteSource s) {
  return kSourceNames[static_cast<std::size_t>(s)];
}
std::optional<RouteSource> ParseRouteSource(std::string_view n) {
  return Find<RouteSource>(kSourceNames, n);
}
bool IsHoldColour(std::string_view n) {
  return std::find(kHoldColours.begin(), kHoldColours.end(), n) != kHoldColours.end();
}
bool IsHoldSize(std::string_view n) {
  return std::find(kHoldSizes.begin(), kHoldSizes.end(), n) != kHoldSizes.end();
}

std::string_view HoldSizeFor(double area_px, int w, int h) {
  const double long_side = std::max(1, std::max(w, h));
  const double diameter = 2 * std::sqrt(std::max(0.0, area_px) / std::numbers::pi);
  const double rel = diameter / long_side;
  if (rel < 0.022) return kHoldSizes[0];
  if (rel < 0.04) return kHoldSizes[1];
  if (rel < 0.07) return kHoldSizes[2];
  if (rel < 0.12) return kHoldSizes[3];
  return kHoldSizes[4];
}

std::string_view HoldRoleName(HoldRole r) {
  return kRoleNames[static_cast<std::size_t>(r)];
}
std::optional<HoldRole> ParseHoldRole(std::string_view n) {
  return Find<HoldRole>(kRoleNames, n);
}
std::string_view HoldOriginName(HoldOrigin o) {
  return kOriginNames[static_cast<std::size_t>(o)];
}
std::optional<HoldOrigin> ParseHoldOrigin(std::string_view n) {
  return Find<HoldOrigin>(kOriginNames, n);
}
std::string_view CorrectionActionName(CorrectionAction a) {
  return kActionNames[static_cast<std::size_t>(a)];
}
std::optional<CorrectionAction> ParseCorrectionAction(std::string_view n) {
  return Find<CorrectionAction>(kActionNames, n);
}

std::optional<PhotoTypeError> CheckPhotoFilename(std::string_view filename) {
  const std::string ext = Extension(filename);
  if (ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "webp") return std::nullopt;
  if (ext == "heic" || ext == "heif" || ext == "hif" || ext == "avif") {
    return PhotoTypeError{"heic_unsupported",
                          "HEIC/HEIF photos are not supported: export the photo as JPEG (on an "
                          "iPhone: Settings > Camera > Formats > Most Compatible)"};
  }
  return PhotoTypeError{"unsupported_format", "filename must end in .jpg, .jpeg, .png or .webp"};
}

std::string PhotoContentType(std::string_view filename) {
  const std::string ext = Extension(filename);
  if (ext == "png") return "image/png";
  if (ext == "webp") return "image/webp";
  return "image/jpeg";
}

std::string RouteImageKey(const Uuid& user_id, const Uuid& route_id) {
  return "routes/" + user_id.str() + "/" + route_id.str() + ".jpg";
}

std::optional<std::string> ValidateOutline(const std::vector<ImagePoint>& o, int w, int h) {
  if (o.size() < 3) return "outline must have at least 3 points";
  if (o.size() > static_cast<std::size_t>(kMaxOutlinePoints)) {
    return "outline must have at most " + std::to_string(kMaxOutlinePoints) + " points";
  }
  for (const ImagePoint& p : o) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return "outline points must be numbers";
    if (p.x < -1 || p.y < -1 || p.x > w + 1 || p.y > h + 1) {
      return "outline points must lie inside the " + std::to_string(w) + "x" + std::to_string(h) +
             " image";
    }
  }
  if (PolygonArea(o) < 4) return "outline must enclose an area of at least 4 square pixels";
  return std::nullopt;
}

std::optional<std::string> ValidateRouteName(std::string_view name) {
  if (name.empty() || name.size() > kMaxRouteNameBytes) return "name must be 1 to 100 bytes";
  if (!CleanUtf8(name)) return "name must be valid UTF-8 text without control characters";
  return std::nullopt;
}

std::optional<std::string> ValidateWallAngle(double degrees) {
  if (!std::isfinite(degrees) || degrees < -30 || degrees > 90) {
    return "wall_angle_deg must be between -30 (slab) and 90 (roof)";
  }
  return std::nullopt;
}

std::optional<std::string> ValidateScale(const GhostScale& scale,
                                         const std::vector<RouteHold>& holds, int image_height) {
  if (scale.distance && scale.wall_height_cm) {
    return "scale is either hold_a, hold_b and distance_cm, or wall_height_cm";
  }
  if (const auto& w = scale.wall_height_cm) {
    if (!std::isfinite(*w) || *w < kMinWallHeightCm || *w > kMaxWallHeightCm) {
      return "scale.wall_height_cm must be between 100 and 5000";
    }
  }
  const auto& d = scale.distance;
  if (!d) return std::nullopt;
  if (!std::isfinite(d->distance_cm) || d->distance_cm < kMinGhostDistanceCm ||
      d->distance_cm > kMaxGhostDistanceCm) {
    return "scale.distance_cm must be between 1 and 5000";
  }
  if (d->hold_a == d->hold_b) return "scale.hold_a and scale.hold_b must be two different holds";
  const RouteHold* found[2] = {nullptr, nullptr};
  const Uuid* ids[2] = {&d->hold_a, &d->hold_b};
  for (int i = 0; i < 2; ++i) {
    for (const RouteHold& h : holds) {
      if (h.id == *ids[i]) found[i] = &h;
    }
    if (found[i] == nullptr) {
      return std::string(i == 0 ? "scale.hold_a" : "scale.hold_b") + " " + ids[i]->str() +
             " is not a hold of the route";
    }
  }
  const ImagePoint a = PolygonCentroid(found[0]->outline);
  const ImagePoint b = PolygonCentroid(found[1]->outline);
  const double px = std::hypot(a.x - b.x, a.y - b.y);
  if (!(px >= 1)) return "scale.hold_b is at the same place as scale.hold_a";
  if (image_height > 0) {
    const double image_m = d->distance_cm / 100 / px * image_height;
    if (image_m < kMinScaledImageM || image_m > kMaxScaledImageM) {
      char buf[200];
      std::snprintf(buf, sizeof buf,
                    "scale.distance_cm: %.0f cm over the %.0f px between these holds makes the "
                    "photo %.2f m high (0.5 to 60 m expected); check the distance and the holds",
                    d->distance_cm, px, image_m);
      return std::string(buf);
    }
  }
  return std::nullopt;
}

std::string_view RouteFailureMessage(std::string_view code, Language language) {
  const FailureCode c = ParseFailureCode(code).value_or(FailureCode::kInternal);
  if (c == FailureCode::kProcessingTimeout) {  // the table's sentence names the analysis
    return language == Language::kFr
               ? "La détection des prises ne s'est pas terminée à temps, veuillez réessayer"
               : "Hold detection did not finish in time, please try again";
  }
  if (IsPermanent(c)) return UserMessage(c, language);
  return language == Language::kFr ? "La détection des prises a échoué." : "Hold detection failed.";
}

}  // namespace ascension::domain
