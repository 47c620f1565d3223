// The labelled set the detector is measured on (testdata/holds/README.md documents the format):
// one JSON file per image, each hold outlined and coloured by hand, or drawn by the synthetic
// wall renderer from its own outline.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "vision/holds/hold.hpp"

namespace ascension::vision::holds {

struct LabelledHold {
  Colour colour = Colour::kGrey;
  std::vector<Point> outline;  // image pixels, >= 3 points
};

struct LabelledImage {
  std::string name;  // the file name, for reports
  // Exactly one source: a frame of a video in testdata/ ...
  std::string video;
  int frame = -1;
  // ... or a synthetic wall rendered from these parameters (synthetic_wall.hpp).
  nlohmann::json synthetic;
  int width = 0;
  int height = 0;
  std::vector<LabelledHold> holds;
};

// Parses one labelled image. Every field is type- and range-checked: a wrong type, a colour
// outside the palette, an outline of fewer than 3 points or outside the image is kInvalidArgument
// naming the field.
Result<LabelledImage> ParseLabelledImage(const nlohmann::json& doc, const std::string& name);

// The JSON form ParseLabelledImage reads.
nlohmann::json LabelledImageJson(const LabelledImage& image);

// Reads every *.json file of `dir` (sorted by name).
Result<std::vector<LabelledImage>> LoadLabelledSet(const std::string& dir);

}  // namespace ascension::vision::holds
