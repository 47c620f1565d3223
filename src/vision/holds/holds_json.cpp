#include "vision/holds/holds_json.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace ascension::vision::holds {
namespace {

double Round(double v, double step) {
  return std::round(v / step) * step;
}

nlohmann::json BoxJson(const Box& b, double step) {
  return {{"x", Round(b.x, step)},
          {"y", Round(b.y, step)},
          {"width", Round(b.width, step)},
          {"height", Round(b.height, step)}};
}

}  // namespace

nlohmann::json HoldSetJson(const HoldSet& set) {
  nlohmann::json holds = nlohmann::json::array();
  std::map<std::string, int> colours;
  for (std::size_t i = 0; i < set.holds.size(); ++i) {
    const Hold& h = set.holds[i];
    nlohmann::json outline = nlohmann::json::array();
    for (const Point& p : h.outline) outline.push_back({Round(p.x, 0.1), Round(p.y, 0.1)});
    char hex[8];
    std::snprintf(hex, sizeof hex, "#%02x%02x%02x", h.measured.r & 0xFF, h.measured.g & 0xFF,
                  h.measured.b & 0xFF);
    nlohmann::json j = {
        {"index", i},
        {"outline", std::move(outline)},
        {"box", BoxJson(h.box, 0.1)},
        {"box_normalised", BoxJson(h.box_normalised, 0.0001)},
        {"centre", {{"x", Round(h.centre.x, 0.1)}, {"y", Round(h.centre.y, 0.1)}}},
        {"area_px", Round(h.area_px, 1)},
        {"colour", ColourName(h.colour)},
        {"measured", {{"r", h.measured.r}, {"g", h.measured.g}, {"b", h.measured.b}, {"hex", hex}}},
        {"size", SizeClassName(h.size)},
        {"confidence", Round(h.confidence, 0.001)}};
    if (h.role != Role::kNone) j["role"] = RoleName(h.role);
    holds.push_back(std::move(j));
    ++colours[ColourName(h.colour)];
  }
  return {{"image", {{"width", set.image_width}, {"height", set.image_height}}},
          {"holds", std::move(holds)},
          {"colours", colours}};
}

}  // namespace ascension::vision::holds
