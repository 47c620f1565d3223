#include "vision/holds/labelled_set.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace ascension::vision::holds {
namespace {

using nlohmann::json;

bool IsInt(const json& j) {
  return j.is_number_integer() || j.is_number_unsigned();
}

Result<std::vector<Point>> ParseOutline(const json& j, const std::string& where, int width,
                                        int height) {
  if (!j.is_array() || j.size() < 3 || j.size() > 10'000) {
    return InvalidArgument(where + ": an outline is an array of at least 3 [x, y] points");
  }
  std::vector<Point> out;
  for (const json& p : j) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
      return InvalidArgument(where + ": each point is [x, y] with two numbers");
    }
    const double x = p[0].get<double>(), y = p[1].get<double>();
    if (!(x >= 0 && x <= width && y >= 0 && y <= height)) {
      return InvalidArgument(where + ": point outside the image");
    }
    out.push_back(Point{x, y});
  }
  return out;
}

}  // namespace

Result<LabelledImage> ParseLabelledImage(const json& doc, const std::string& name) {
  if (!doc.is_object()) return InvalidArgument(name + ": the document is not an object");
  LabelledImage img;
  img.name = name;
  const auto version = doc.find("version");
  if (version == doc.end() || !IsInt(*version) || version->get<std::int64_t>() != 1) {
    return InvalidArgument(name + ": version must be 1");
  }
  for (const char* key : {"width", "height"}) {
    const auto it = doc.find(key);
    if (it == doc.end() || !IsInt(*it) || it->get<std::int64_t>() < 1 ||
        it->get<std::int64_t>() > 20'000) {
      return InvalidArgument(name + ": " + key + " must be an integer in 1..20000");
    }
  }
  img.width = doc["width"].get<int>();
  img.height = doc["height"].get<int>();
  const auto image = doc.find("image");
  if (image == doc.end() || !image->is_object()) {
    return InvalidArgument(name + ": image must be an object");
  }
  const auto video = image->find("video");
  const auto synthetic = image->find("synthetic");
  if ((video != image->end()) == (synthetic != image->end())) {
    return InvalidArgument(name + ": image has exactly one of video and synthetic");
  }
  if (video != image->end()) {
    const auto frame = image->find("frame");
    if (!video->is_string() || video->get<std::string>().empty() ||
        video->get<std::string>().find('/') != std::string::npos) {
      return InvalidArgument(name + ": image.video must be a file name in testdata/");
    }
    if (frame == image->end() || !IsInt(*frame) || frame->get<std::int64_t>() < 0 ||
        frame->get<std::int64_t>() > 1'000'000) {
      return InvalidArgument(name + ": image.frame must be a non-negative integer");
    }
    img.video = video->get<std::string>();
    img.frame = frame->get<int>();
  } else {
    if (!synthetic->is_object()) return InvalidArgument(name + ": image.synthetic is an object");
    img.synthetic = *synthetic;
  }
  const auto holds = doc.find("holds");
  if (holds == doc.end() || !holds->is_array()) {
    return InvalidArgument(name + ": holds must be an array");
  }
  for (std::size_t i = 0; i < holds->size(); ++i) {
    const json& h = (*holds)[i];
    const std::string where = name + ": holds[" + std::to_string(i) + "]";
    if (!h.is_object()) return InvalidArgument(where + " is not an object");
    const auto colour = h.find("colour");
    if (colour == h.end() || !colour->is_string()) {
      return InvalidArgument(where + ".colour must be a palette colour name");
    }
    const auto c = ParseColour(colour->get<std::string>());
    if (!c) return InvalidArgument(where + ".colour is not in the palette");
    const auto outline = h.find("outline");
    if (outline == h.end()) return InvalidArgument(where + ".outline is missing");
    auto points = ParseOutline(*outline, where + ".outline", img.width, img.height);
    if (!points.ok()) return points.status();
    img.holds.push_back(LabelledHold{*c, std::move(*points)});
  }
  return img;
}

json LabelledImageJson(const LabelledImage& image) {
  json holds = json::array();
  for (const LabelledHold& h : image.holds) {
    json outline = json::array();
    for (const Point& p : h.outline) {
      outline.push_back({std::round(p.x * 10) / 10, std::round(p.y * 10) / 10});
    }
    holds.push_back({{"colour", ColourName(h.colour)}, {"outline", std::move(outline)}});
  }
  json source = image.video.empty() ? json{{"synthetic", image.synthetic}}
                                    : json{{"video", image.video}, {"frame", image.frame}};
  return {{"version", 1},
          {"image", std::move(source)},
          {"width", image.width},
          {"height", image.height},
          {"holds", std::move(holds)}};
}

Result<std::vector<LabelledImage>> LoadLabelledSet(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (ec) return NotFound("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<LabelledImage> out;
  for (const auto& path : files) {
    std::ifstream in(path);
    const json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return InvalidArgument(path.filename().string() + ": not JSON");
    auto img = ParseLabelledImage(doc, path.filename().string());
    if (!img.ok()) return img.status();
    out.push_back(std::move(*img));
  }
  return out;
}

}  // namespace ascension::vision::holds
