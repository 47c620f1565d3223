// Precision and recall of a detection against hand labels. A detected hold matches a labelled one
// when their outlines overlap with IoU >= 0.3, or when the detected centre lies inside the
// labelled outline; each hold matches at most one other (the best overlaps first).
#pragma once

#include <map>
#include <vector>

#include "vision/holds/hold.hpp"
#include "vision/holds/labelled_set.hpp"

namespace ascension::vision::holds {

inline constexpr double kMatchIou = 0.3;

struct Counts {
  int detected = 0;          // detections counted
  int detected_matched = 0;  // of which true positives
  int labelled = 0;          // labels counted
  int labelled_matched = 0;  // of which found
  double precision() const { return detected == 0 ? 1.0 : double(detected_matched) / detected; }
  double recall() const { return labelled == 0 ? 1.0 : double(labelled_matched) / labelled; }
  Counts& operator+=(const Counts& o);
};

struct Evaluation {
  Counts overall;   // any colour: a match is a hold found where a hold is
  Counts coloured;  // chromatic holds: a match must also agree on the palette colour
  std::map<Colour, Counts> per_colour;  // colour-aware, by the detected / the labelled colour
  int matched = 0;                      // matched pairs
  int colour_agrees = 0;                // of which with the same palette colour
  Evaluation& operator+=(const Evaluation& o);
};

// Intersection over union of two polygons (rasterised at 1 pixel).
double OutlineIou(const std::vector<Point>& a, const std::vector<Point>& b);

// Which label each detection matched and the reverse (-1: none).
struct Matching {
  std::vector<int> detection_to_label;
  std::vector<int> label_to_detection;
};

Evaluation Evaluate(const HoldSet& detected, const std::vector<LabelledHold>& labels,
                    Matching* matching = nullptr);

}  // namespace ascension::vision::holds
