#include "vision/holds/detector.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "vision/holds/palette_internal.hpp"

namespace ascension::vision::holds {
namespace {

constexpr std::uint8_t kNone = 255;
constexpr int kColours = static_cast<int>(kAllColours.size());

// Thresholds of the candidate test, in CIE Lab units after illumination normalisation.
constexpr float kChromaDistance = 13.0f;  // |ab - ab_wall| for a coloured candidate
constexpr float kMinChroma = 16.0f;       // a coloured candidate is itself colourful
constexpr float kLightDistance = 24.0f;   // |L - L_wall| for a white/grey/black candidate
// The weak coloured candidates (dark or dim holds, whose pixels are too close to the wall to pass
// the test above one by one): a hue far from the wall's and a small distance; a region of them
// becomes a hold only when its mean colour stands out from the wall around it (RegionStandsOut).
constexpr float kWeakChroma = 3.5f;
constexpr float kWeakDistance = 4.5f;
constexpr float kWeakHueCos = 0.5f;  // cos 60 degrees: the hue differs from the wall's by more

struct Working {
  cv::Mat3b bgr;       // the photo at working size
  cv::Mat3f lab;       // its normalised Lab
  cv::Mat1f contrast;  // distance to the local wall colour (chroma or lightness, see Candidates)
  cv::Mat1b label;     // palette index of each candidate pixel, kNone elsewhere
  cv::Mat1b weak;      // palette index of each weak coloured candidate pixel, kNone elsewhere
  double scale = 1;    // original pixels per working pixel
};

// Fills the pixels of `img` where `known` is zero from their known neighbours (the climber's
// region of a video frame must not become part of the wall model).
void FillUnknown(cv::Mat3f* img, cv::Mat1f known) {
  for (int iter = 0; iter < 64 && cv::countNonZero(known < 0.5f) > 0; ++iter) {
    cv::Mat3f weighted;
    cv::Mat3f known3;
    cv::merge(std::vector<cv::Mat1f>{known, known, known}, known3);
    cv::multiply(*img, known3, weighted);
    cv::Mat3f sum;
    cv::Mat1f count;
    cv::boxFilter(weighted, sum, -1, cv::Size(5, 5), cv::Point(-1, -1), false);
    cv::boxFilter(known, count, -1, cv::Size(5, 5), cv::Point(-1, -1), false);
    for (int y = 0; y < img->rows; ++y) {
      for (int x = 0; x < img->cols; ++x) {
        if (known(y, x) >= 0.5f || count(y, x) < 0.5f) continue;
        (*img)(y, x) = sum(y, x) / count(y, x);
      }
    }
    const cv::Mat1b now_known = (count >= 0.5f) | (known >= 0.5f);
    now_known.convertTo(known, CV_32F, 1.0 / 255.0);
  }
}

// The local wall colour: a median over a window much larger than a hold, computed on a small copy
// of the photo (a median keeps the edges between panels of different colours). Returned at the
// small size, in Lab.
cv::Mat3f WallModelSmall(const cv::Mat3b& bgr, const cv::Mat1b& exclude, double* small_scale) {
  const int long_side = std::max(bgr.cols, bgr.rows);
  const double f = 128.0 / long_side;
  *small_scale = f;
  cv::Mat3b small;
  cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
  if (!exclude.empty()) {
    cv::Mat1b ex;
    cv::resize(exclude, ex, small.size(), 0, 0, cv::INTER_AREA);
    cv::Mat3f smallf;
    small.convertTo(smallf, CV_32F);
    cv::Mat1f known;
    cv::Mat1b(ex < 16).convertTo(known, CV_32F, 1.0 / 255.0);
    FillUnknown(&smallf, known);
    smallf.convertTo(small, CV_8U);
  }
  cv::Mat3b med;
  cv::medianBlur(small, med, 15);
  cv::medianBlur(med, small, 9);
  cv::Mat3f lab;
  small.convertTo(lab, CV_32F, 1.0 / 255.0);
  cv::cvtColor(lab, lab, cv::COLOR_BGR2Lab);
  return lab;
}

// A pixel of the wall's own hue, only more saturated (grain, a stain, a lit patch), must differ
// twice as much as one of another hue to be a candidate.
float SameHueFactor(float a, float b, float wall_a, float wall_b) {
  const float wall_chroma = std::sqrt(wall_a * wall_a + wall_b * wall_b);
  const float chroma = std::sqrt(a * a + b * b);
  if (wall_chroma < 8.0f || chroma < 1.0f) return 1.0f;
  const float cos_angle = (a * wall_a + b * wall_b) / (chroma * wall_chroma);
  return cos_angle > 0.94f ? 2.0f : 1.0f;  // within 20 degrees of hue
}

cv::Mat3f ToLab(const cv::Mat3b& bgr) {
  cv::Mat3f f;
  bgr.convertTo(f, CV_32F, 1.0 / 255.0);
  cv::Mat3f lab;
  cv::cvtColor(f, lab, cv::COLOR_BGR2Lab);
  return lab;
}

// Each pixel is compared with the wall colours around it (the model at nine offsets of a few
// model pixels): near the edge between two panels, either panel's colour is the wall. The nearest
// one sets the pixel's illumination gain (a shaded part of the wall then looks like a lit one) and
// its distance to the wall; candidate pixels are marked with their palette colour.
void Candidates(Working* w, const cv::Mat1b& exclude) {
  const cv::Mat3f lab = ToLab(w->bgr);
  double small_scale = 1;
  const cv::Mat3f small = WallModelSmall(w->bgr, exclude, &small_scale);
  std::vector<float> wall_l;
  for (int y = 0; y < small.rows; ++y) {
    for (int x = 0; x < small.cols; ++x) wall_l.push_back(small(y, x)[0]);
  }
  std::nth_element(wall_l.begin(), wall_l.begin() + wall_l.size() / 2, wall_l.end());
  const float reference_l = std::max(20.0f, wall_l[wall_l.size() / 2]);

  // The wall's main colours over the whole photo (k-means on the model): a pixel of the wall
  // that the local model misses (near a panel edge or a masked climber) is still near one of them.
  std::vector<cv::Vec3f> global;
  {
    cv::Mat samples = small.reshape(1, static_cast<int>(small.total()));
    cv::Mat centres, labels;
    const int k = std::min(3, static_cast<int>(small.total()));
    cv::kmeans(samples, k, labels,
               cv::TermCriteria(cv::TermCriteria::COUNT + cv::TermCriteria::EPS, 20, 0.5), 1,
               cv::KMEANS_PP_CENTERS, centres);
    std::vector<int> members(k, 0);
    for (int i = 0; i < labels.rows; ++i) ++members[labels.at<int>(i)];
    for (int i = 0; i < k; ++i) {
      // Only colours that cover a real part of the wall.
      const cv::Vec3f c = centres.at<cv::Vec3f>(i);
      if (members[i] * 7 >= labels.rows && std::hypot(c[1], c[2]) < 35.0f) global.push_back(c);
    }
  }
  std::vector<cv::Mat3f> walls;
  constexpr int kShift = 2;
  for (int dy = -kShift; dy <= kShift; dy += kShift) {
    for (int dx = -kShift; dx <= kShift; dx += kShift) {
      const cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, dy);
      cv::Mat3f shifted;
      cv::warpAffine(small, shifted, m, small.size(), cv::INTER_NEAREST, cv::BORDER_REPLICATE);
      cv::Mat3f up;
      cv::resize(shifted, up, w->bgr.size(), 0, 0, cv::INTER_LINEAR);
      walls.push_back(std::move(up));
    }
  }

  w->lab.create(lab.size());
  w->contrast.create(lab.size());
  w->label.create(lab.size());
  w->weak.create(lab.size());
  for (int y = 0; y < lab.rows; ++y) {
    const cv::Vec3f* p = lab[y];
    cv::Vec3f* out = w->lab[y];
    float* con = w->contrast[y];
    std::uint8_t* lab_out = w->label[y];
    std::uint8_t* weak_out = w->weak[y];
    const std::uint8_t* ex = exclude.empty() ? nullptr : exclude[y];
    for (int x = 0; x < lab.cols; ++x) {
      float best = 1e9f, gain = 1, dab = 0, dl = 0, wall_a = 0, wall_b = 0;
      for (const cv::Mat3f& wall : walls) {
        const cv::Vec3f q = wall(y, x);
        const float g = std::clamp(reference_l / std::max(q[0], 1.0f), 0.6f, 2.5f);
        const float da = (p[x][1] - q[1]) * g, db = (p[x][2] - q[2]) * g;
        const float d_ab = std::sqrt(da * da + db * db);
        const float d_l = (p[x][0] - q[0]) * g;
        const float score = d_ab + 0.3f * std::abs(d_l);
        if (score < best) {
          best = score;
          gain = g;
          dab = d_ab;
          dl = d_l;
          wall_a = q[1] * g;
          wall_b = q[2] * g;
        }
      }
      // The global colours only lower the distance; the gain stays the local one.
      for (const cv::Vec3f& q : global) {
        const float g = reference_l / std::max(q[0], 1.0f);
        const float da = p[x][1] * gain - q[1] * g, db = p[x][2] * gain - q[2] * g;
        const float d_ab = std::sqrt(da * da + db * db);
        const float d_l = p[x][0] * gain - reference_l;
        const float score = d_ab + 0.3f * std::abs(d_l);
        if (score < best) {
          best = score;
          dab = d_ab;
          dl = d_l;
          wall_a = q[1] * g;
          wall_b = q[2] * g;
        }
      }
      const float l = std::min(100.0f, p[x][0] * gain);
      const float a = p[x][1] * gain, b = p[x][2] * gain;
      out[x] = cv::Vec3f(l, a, b);
      const float chroma = std::sqrt(a * a + b * b);
      std::uint8_t cls = kNone;
      float c = 0;
      if (ex != nullptr && ex[x] != 0) {
        cls = kNone;
      } else if (chroma >= kMinChroma &&
                 dab >= kChromaDistance * SameHueFactor(a, b, wall_a, wall_b)) {
        cls = static_cast<std::uint8_t>(internal::ClassifyLab(l, a, b));
        c = dab;
      } else if (chroma < internal::kAchromaticChroma &&
                 (std::abs(dl) >= kLightDistance || dab >= kChromaDistance * 1.5f)) {
        cls = static_cast<std::uint8_t>(internal::ClassifyLab(l, 0, 0));
        c = std::max(std::abs(dl), dab);
        // A darker patch that is still far from black is a shadow on the wall, not a hold.
        if (cls == static_cast<std::uint8_t>(Colour::kGrey) && dl < 0) cls = kNone;
      }
      std::uint8_t weak = kNone;
      if (cls == kNone && (ex == nullptr || ex[x] == 0) && chroma >= kWeakChroma &&
          dab >= kWeakDistance) {
        // The hue must be far from the wall's: the grain, stains and shadows of the wall keep
        // its hue; on a near-neutral wall (no hue), the chroma itself must stand out.
        const float wall_chroma = std::sqrt(wall_a * wall_a + wall_b * wall_b);
        const bool other_hue =
            wall_chroma < 3.0f ? chroma >= 1.5f * kWeakChroma
                               : (a * wall_a + b * wall_b) / (chroma * wall_chroma) < kWeakHueCos;
        if (other_hue) {
          weak = static_cast<std::uint8_t>(internal::ClassifyHue(l, a, b));
          c = dab;
        }
      }
      weak_out[x] = weak;
      lab_out[x] = cls;
      con[x] = cls == kNone && weak == kNone ? 0.0f : c;
    }
  }
}

// Colours that shade into each other on one hold (a red hold's highlight looks pink).
bool Neighbours(int a, int b) {
  auto is = [](int v, Colour c) { return v == static_cast<int>(c); };
  auto pair = [&](Colour x, Colour y) { return (is(a, x) && is(b, y)) || (is(a, y) && is(b, x)); };
  return pair(Colour::kRed, Colour::kPink) || pair(Colour::kRed, Colour::kOrange) ||
         pair(Colour::kOrange, Colour::kYellow) || pair(Colour::kBlue, Colour::kPurple) ||
         pair(Colour::kPurple, Colour::kPink) || pair(Colour::kYellow, Colour::kGreen) ||
         pair(Colour::kBlack, Colour::kGrey) || pair(Colour::kWhite, Colour::kGrey);
}

struct Region {
  cv::Mat1b mask;  // the region within `rect`
  cv::Rect rect;
  int colour = 0;
};

// Splits the pixels of one connected region into regions of one colour each: colours shading into
// the dominant one join it, a distinct colour covering enough of the region becomes its own.
std::vector<Region> SplitByColour(const cv::Mat1b& component, const cv::Mat1b& labels,
                                  const cv::Rect& rect, int min_area) {
  std::array<int, kColours> count{};
  for (int y = 0; y < component.rows; ++y) {
    for (int x = 0; x < component.cols; ++x) {
      if (component(y, x) != 0 && labels(y, x) != kNone) ++count[labels(y, x)];
    }
  }
  const int dominant =
      static_cast<int>(std::max_element(count.begin(), count.end()) - count.begin());
  // Groups: the dominant colour with its neighbours, then each other colour large enough.
  std::array<int, kColours> group{};
  group.fill(-1);
  group[dominant] = dominant;
  for (int c = 0; c < kColours; ++c) {
    if (c == dominant || count[c] == 0) continue;
    const bool own =
        count[c] >= 3 * min_area || (count[c] >= min_area && count[c] * 4 >= count[dominant]);
    group[c] = own ? c : (Neighbours(c, dominant) ? dominant : -1);
  }
  // Pixels of a colour without a group go to the dominant one.
  std::vector<Region> out;
  for (int c = 0; c < kColours; ++c) {
    if (group[c] != c) continue;
    Region r;
    r.rect = rect;
    r.colour = c;
    r.mask = cv::Mat1b::zeros(component.size());
    for (int y = 0; y < component.rows; ++y) {
      for (int x = 0; x < component.cols; ++x) {
        if (component(y, x) == 0) continue;
        const int l = labels(y, x);
        const int g = l == kNone || group[l] < 0 ? dominant : group[l];
        if (g == c) r.mask(y, x) = 255;
      }
    }
    out.push_back(std::move(r));
  }
  if (out.size() > 1) {
    // Smooth the boundary between the colours so that speckle does not cut a hold apart.
    for (auto& r : out) cv::morphologyEx(r.mask, r.mask, cv::MORPH_OPEN, cv::Mat());
  }
  return out;
}

// Splits a region of one colour made of several touching holds: markers at the well separated
// maxima of its distance transform, grown by a watershed.
std::vector<cv::Mat1b> SplitTouching(const cv::Mat1b& hollow, int min_area) {
  std::vector<cv::Mat1b> out;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(hollow.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  // A hold is solid: fill its holes (a donut's hole, a chalk mark) before measuring its shape.
  cv::Mat1b mask = cv::Mat1b::zeros(hollow.size());
  cv::drawContours(mask, contours, -1, cv::Scalar(255), cv::FILLED);
  const int area = cv::countNonZero(mask);
  double hull_area = 0;
  for (const auto& c : contours) {
    std::vector<cv::Point> hull;
    cv::convexHull(c, hull);
    hull_area += cv::contourArea(hull);
  }
  const double solidity = hull_area > 0 ? area / hull_area : 1.0;
  if (area < 4 * min_area || solidity > 0.93) {
    out.push_back(mask);
    return out;
  }
  cv::Mat1b padded;
  cv::copyMakeBorder(mask, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::Mat1f dist;
  cv::distanceTransform(padded, dist, cv::DIST_L2, 3);
  double max_d = 0;
  cv::minMaxLoc(dist, nullptr, &max_d);
  // Markers: the cores of the region (far from its edge). Two touching holds have two cores; an
  // elongated or curved hold keeps one along its ridge.
  // A smaller hold against a larger one has a lower core: a ragged region (low solidity) is
  // also tried at lower levels.
  cv::Mat1i markers;
  int n = 0;
  for (const float level : {0.7f, 0.55f, 0.45f}) {
    if (level < 0.7f && solidity > 0.8) break;
    const cv::Mat1b cores = (dist >= level * max_d) & (dist >= 2.0f);
    n = cv::connectedComponents(cores, markers, 8, CV_32S);
    if (n > 2) break;
  }
  if (n <= 2) {  // background + one core
    out.push_back(mask);
    return out;
  }
  // Each pixel of the region goes to the core it reaches first inside the region (a breadth-first
  // flood from all cores at once): the cut falls at the neck between the holds.
  std::vector<cv::Point> queue;
  for (int y = 0; y < markers.rows; ++y) {
    for (int x = 0; x < markers.cols; ++x) {
      if (markers(y, x) > 0) queue.emplace_back(x, y);
    }
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const cv::Point p = queue[head];
    const int label = markers(p);
    for (const cv::Point d :
         {cv::Point(1, 0), cv::Point(-1, 0), cv::Point(0, 1), cv::Point(0, -1)}) {
      const cv::Point q = p + d;
      if (q.x < 0 || q.y < 0 || q.x >= markers.cols || q.y >= markers.rows) continue;
      if (padded(q) == 0 || markers(q) != 0) continue;
      markers(q) = label;
      queue.push_back(q);
    }
  }
  // Keep a cut only at a real neck: where two parts meet, the region must be clearly narrower
  // than the smaller part (a ring or a crescent has no neck, and stays one hold).
  std::vector<float> peak(n, 0.0f);
  std::vector<std::vector<float>> neck(n, std::vector<float>(n, 0.0f));
  for (int y = 0; y < markers.rows; ++y) {
    for (int x = 0; x < markers.cols; ++x) {
      const int a = markers(y, x);
      if (a <= 0) continue;
      peak[a] = std::max(peak[a], dist(y, x));
      for (const cv::Point d : {cv::Point(1, 0), cv::Point(0, 1)}) {
        const int qx = x + d.x, qy = y + d.y;
        if (qx >= markers.cols || qy >= markers.rows) continue;
        const int b = markers(qy, qx);
        if (b > 0 && b != a) {
          const float v = std::min(dist(y, x), dist(qy, qx));
          neck[a][b] = neck[b][a] = std::max(neck[a][b], v);
        }
      }
    }
  }
  std::vector<int> group(n);
  for (int i = 0; i < n; ++i) group[i] = i;
  auto root = [&](int i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  for (int a = 1; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      if (neck[a][b] > 0 && neck[a][b] >= 0.75f * std::min(peak[a], peak[b])) {
        group[root(b)] = root(a);
      }
    }
  }
  for (int m = 1; m < n; ++m) {
    if (root(m) != m) continue;
    cv::Mat1b part = cv::Mat1b::zeros(markers.size());
    for (int y = 0; y < markers.rows; ++y) {
      for (int x = 0; x < markers.cols; ++x) {
        if (markers(y, x) > 0 && root(markers(y, x)) == m) part(y, x) = 255;
      }
    }
    part = part(cv::Rect(1, 1, mask.cols, mask.rows)).clone();
    if (cv::countNonZero(part) >= min_area) out.push_back(part);
  }
  if (out.empty()) out.push_back(mask);
  return out;
}

struct Candidate {
  std::vector<cv::Point> contour;  // working pixels
  int colour = 0;
  double area = 0;
  double solidity = 0;
  double contrast = 0;
  double aspect = 1;
  double minor = 0;  // short side of the minimum-area rectangle
  double circularity = 0;
  cv::Vec3f mean_lab;
};

Candidate Describe(const Region& region, const cv::Mat1b& part, const Working& w) {
  Candidate c;
  c.colour = region.colour;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(part.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE,
                   region.rect.tl());
  if (contours.empty()) return c;
  auto largest = std::max_element(
      contours.begin(), contours.end(),
      [](const auto& a, const auto& b) { return cv::contourArea(a) < cv::contourArea(b); });
  c.contour = std::move(*largest);
  c.area = cv::contourArea(c.contour);
  std::vector<cv::Point> hull;
  cv::convexHull(c.contour, hull);
  const double hull_area = cv::contourArea(hull);
  c.solidity = hull_area > 0 ? c.area / hull_area : 0;
  const cv::RotatedRect rr = cv::minAreaRect(c.contour);
  const double lo = std::max(1.0f, std::min(rr.size.width, rr.size.height));
  c.aspect = std::max(rr.size.width, rr.size.height) / lo;
  c.minor = lo;
  const double perimeter = cv::arcLength(c.contour, true);
  c.circularity = perimeter > 0 ? 4 * M_PI * c.area / (perimeter * perimeter) : 0;
  double contrast = 0;
  cv::Vec3d sum(0, 0, 0);
  int n = 0;
  for (int y = 0; y < part.rows; ++y) {
    for (int x = 0; x < part.cols; ++x) {
      if (part(y, x) == 0) continue;
      const int gy = y + region.rect.y, gx = x + region.rect.x;
      contrast += w.contrast(gy, gx);
      sum += cv::Vec3d(w.lab(gy, gx));
      ++n;
    }
  }
  if (n > 0) {
    c.contrast = contrast / n;
    c.mean_lab = cv::Vec3f(static_cast<float>(sum[0] / n), static_cast<float>(sum[1] / n),
                           static_cast<float>(sum[2] / n));
  }
  return c;
}

Rgb LabToRgb(const cv::Vec3f& lab) {
  cv::Mat3f px(1, 1, lab);
  cv::Mat3f bgr;
  cv::cvtColor(px, bgr, cv::COLOR_Lab2BGR);
  auto to8 = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); };
  const cv::Vec3f v = bgr(0, 0);
  return Rgb{to8(v[2]), to8(v[1]), to8(v[0])};
}

// A region of weak candidates is a hold when its mean colour differs from the mean colour of a
// ring of wall around it (other candidates and excluded pixels left out) by at least
// kWeakRegionDistance in a*b*, in a hue more than 25 degrees from the ring's (unless the ring is
// near-neutral): the mean over a region stands above the JPEG chroma noise that a per-pixel test
// at that distance would take in.
constexpr double kWeakRegionDistance = 4.0;
bool RegionStandsOut(const Candidate& c, const cv::Mat1b& candidates, const cv::Mat1b& exclude,
                     double min_d, const Working& w) {
  const int ring = static_cast<int>(std::ceil(std::max(3.0, 0.6 * min_d)));
  cv::Rect rect = cv::boundingRect(c.contour);
  rect = cv::Rect(rect.x - ring, rect.y - ring, rect.width + 2 * ring, rect.height + 2 * ring);
  // A region at the photo's edge has no ring of wall all round it (and is a piece of a hold cut
  // by the frame): it is not judged, so not kept.
  if ((rect & cv::Rect(0, 0, w.lab.cols, w.lab.rows)) != rect) return false;
  cv::Mat1b inside = cv::Mat1b::zeros(rect.size());
  cv::drawContours(inside, std::vector<std::vector<cv::Point>>{c.contour}, -1, cv::Scalar(255),
                   cv::FILLED, cv::LINE_8, cv::noArray(), INT_MAX, -rect.tl());
  cv::Mat1b around;
  cv::dilate(inside, around,
             cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * ring + 1, 2 * ring + 1)));
  around &= ~inside;
  const int ring_area = cv::countNonZero(around);
  around &= ~candidates(rect);
  if (!exclude.empty()) around &= ~exclude(rect);
  // Most of the ring must be wall (not other candidates, not the climber).
  if (cv::countNonZero(around) < ring_area / 2) return false;
  const cv::Scalar in = cv::mean(w.lab(rect), inside), out = cv::mean(w.lab(rect), around);
  const double da = in[1] - out[1], db = in[2] - out[2];
  const double distance = std::hypot(da, db);
  const double in_chroma = std::hypot(in[1], in[2]), out_chroma = std::hypot(out[1], out[2]);
  const double cos_hue = in_chroma > 0 && out_chroma > 0
                             ? (in[1] * out[1] + in[2] * out[2]) / (in_chroma * out_chroma)
                             : 0.0;
  return distance >= kWeakRegionDistance && (out_chroma < 3.0 || cos_hue < 0.9);
}

// Bolt holes: many small, round, dark blobs of one size. Returns the area range to reject, or an
// empty range when the photo shows no such population.
std::pair<double, double> BoltHoleAreas(const std::vector<Candidate>& dark) {
  std::vector<double> areas;
  for (const auto& c : dark) {
    if (c.circularity > 0.55 && c.aspect < 2.0) areas.push_back(c.area);
  }
  if (areas.size() < 12) return {0, 0};
  std::nth_element(areas.begin(), areas.begin() + areas.size() / 2, areas.end());
  const double median = areas[areas.size() / 2];
  return {median / 4, median * 3};
}

}  // namespace

Result<HoldSet> DetectHolds(const cv::Mat& bgr, const DetectorOptions& options) {
  if (bgr.empty()) return InvalidArgument("the image is empty");
  if (bgr.type() != CV_8UC3) return InvalidArgument("the image must be 8-bit BGR");
  if (!options.exclude.empty() &&
      (options.exclude.size() != bgr.size() || options.exclude.type() != CV_8UC1)) {
    return InvalidArgument("the exclusion mask must be 8-bit, the size of the image");
  }
  if (options.working_long_side < 64) return InvalidArgument("working size below 64 pixels");
  try {
    Working w;
    const int long_side = std::max(bgr.cols, bgr.rows);
    const double f = std::min(1.0, static_cast<double>(options.working_long_side) / long_side);
    if (f < 1.0) {
      cv::resize(bgr, w.bgr, cv::Size(), f, f, cv::INTER_AREA);
    } else {
      w.bgr = bgr;
    }
    w.scale = static_cast<double>(bgr.cols) / w.bgr.cols;
    cv::Mat1b exclude;
    if (!options.exclude.empty()) {
      cv::resize(options.exclude, exclude, w.bgr.size(), 0, 0, cv::INTER_NEAREST);
    }
    Candidates(&w, exclude);

    const int work_long = std::max(w.bgr.cols, w.bgr.rows);
    const double min_d = std::max(3.5, 0.009 * work_long);  // equivalent diameter, pixels
    const int min_area = static_cast<int>(M_PI * min_d * min_d / 4);
    const double max_area = 0.2 * w.bgr.total();

    // Candidate pixels, cleaned: opening removes speckle and thin texture, closing fills pits.
    cv::Mat1b fg = w.label != kNone;
    const int k = work_long >= 900 ? 5 : 3;
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k));
    cv::morphologyEx(fg, fg, cv::MORPH_OPEN, kernel);
    cv::morphologyEx(fg, fg, cv::MORPH_CLOSE, kernel);

    // The connected regions of a candidate mask, split by colour and at necks, described.
    // `skip` (may be empty): regions with any pixel there are left out.
    auto regions_of = [&](const cv::Mat1b& mask, const cv::Mat1b& pixel_labels,
                          const cv::Mat1b& skip, std::vector<Candidate>* out) {
      cv::Mat1i cc;
      cv::Mat stats, centroids;
      const int n = cv::connectedComponentsWithStats(mask, cc, stats, centroids, 8, CV_32S);
      for (int i = 1; i < n; ++i) {
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        if (area < 6 || area > max_area) continue;
        const cv::Rect rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                            stats.at<int>(i, cv::CC_STAT_WIDTH),
                            stats.at<int>(i, cv::CC_STAT_HEIGHT));
        const cv::Mat1b component = cc(rect) == i;
        if (!skip.empty() && cv::countNonZero(component & skip(rect)) > 0) continue;
        const cv::Mat1b labels = pixel_labels(rect);
        for (const Region& region : SplitByColour(component, labels, rect, min_area)) {
          cv::Mat1i pieces;
          const int np = cv::connectedComponents(region.mask, pieces, 8, CV_32S);
          for (int piece = 1; piece < np; ++piece) {
            const cv::Mat1b piece_mask = pieces == piece;
            if (np > 2 && cv::countNonZero(piece_mask) < 6) continue;
            for (const cv::Mat1b& part : SplitTouching(piece_mask, min_area)) {
              Candidate c = Describe(region, part, w);
              if (c.contour.size() >= 3) out->push_back(std::move(c));
            }
          }
        }
      }
    };
    std::vector<Candidate> kept, dark;
    regions_of(fg, w.label, cv::Mat1b(), &kept);
    for (const Candidate& c : kept) {
      if (c.colour == static_cast<int>(Colour::kBlack)) dark.push_back(c);
    }
    // Dark and dim coloured holds: regions of weak candidates that touch no candidate region
    // above, kept when their mean colour stands out from the wall around them.
    {
      cv::Mat1b weak_fg = w.weak != kNone;
      cv::morphologyEx(weak_fg, weak_fg, cv::MORPH_OPEN, kernel);
      cv::morphologyEx(weak_fg, weak_fg, cv::MORPH_CLOSE, kernel);
      // The candidate regions of a hold's size: a weak region around a speck of strong
      // candidates (a few pixels of a dark hold pass the strong test) is still examined.
      cv::Mat1b strong = cv::Mat1b::zeros(fg.size());
      {
        cv::Mat1i cc;
        cv::Mat stats, centroids;
        const int n = cv::connectedComponentsWithStats(fg, cc, stats, centroids, 8, CV_32S);
        std::vector<std::uint8_t> big(n, 0);
        for (int i = 1; i < n; ++i) big[i] = stats.at<int>(i, cv::CC_STAT_AREA) >= min_area;
        for (int y = 0; y < fg.rows; ++y) {
          for (int x = 0; x < fg.cols; ++x) strong(y, x) = big[cc(y, x)] ? 255 : 0;
        }
      }
      cv::Mat1b weak_labels = w.weak.clone();
      w.label.copyTo(weak_labels, fg);
      std::vector<Candidate> weak;
      regions_of(weak_fg | fg, weak_labels, strong, &weak);
      for (Candidate& c : weak) {
        // Only coloured ones: the specks of strong black candidates (bolt holes) inside a weak
        // region keep their own test (BoltHoleAreas).
        if (IsChromatic(static_cast<Colour>(c.colour)) && c.area >= 0.8 * min_area &&
            RegionStandsOut(c, fg | weak_fg, exclude, min_d, w)) {
          kept.push_back(std::move(c));
        }
      }
    }
    const auto [bolt_lo, bolt_hi] = BoltHoleAreas(dark);
    // A hold cut in two by a highlight or chalk shows as two regions of neighbouring colours
    // (red and pink), or as a large region and a small piece of its colour: the piece joins it.
    // Two holds of one colour and similar size touching each other stay apart.
    std::sort(kept.begin(), kept.end(),
              [](const Candidate& a, const Candidate& b) { return a.area > b.area; });
    for (std::size_t i = 0; i < kept.size(); ++i) {
      for (std::size_t j = kept.size(); j-- > i + 1;) {
        Candidate& big = kept[i];
        const Candidate& part = kept[j];
        // A piece of the same colour joins only when it is much smaller (a tip cut off by chalk).
        if (part.colour == big.colour
                ? part.area > 0.2 * big.area
                : (!Neighbours(part.colour, big.colour) || part.area > 0.5 * big.area)) {
          continue;
        }
        double gap = 1e9;
        for (const cv::Point& p : part.contour) {
          gap = std::min(gap, -cv::pointPolygonTest(big.contour, cv::Point2f(p), true));
          if (gap <= 3) break;
        }
        if (gap > (part.colour == big.colour ? 2.5 : std::max(3.0, 0.5 * min_d))) continue;
        std::vector<cv::Point> all = big.contour;
        all.insert(all.end(), part.contour.begin(), part.contour.end());
        cv::Mat1b joined = cv::Mat1b::zeros(w.label.size());
        cv::drawContours(joined, std::vector<std::vector<cv::Point>>{big.contour, part.contour}, -1,
                         cv::Scalar(255), cv::FILLED);
        cv::morphologyEx(joined, joined, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7)));
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(joined, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
        if (contours.size() != 1) continue;
        const double total = big.area + part.area;
        big.mean_lab = (big.mean_lab * big.area + part.mean_lab * part.area) / total;
        big.contrast = (big.contrast * big.area + part.contrast * part.area) / total;
        big.contour = std::move(contours[0]);
        big.area = cv::contourArea(big.contour);
        std::vector<cv::Point> hull;
        cv::convexHull(big.contour, hull);
        big.solidity = big.area / std::max(1.0, cv::contourArea(hull));
        kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(j));
      }
    }
    // A region lying inside a larger one (a donut's hole, a highlight, chalk) is part of it.
    std::vector<Candidate> outer;
    for (Candidate& c : kept) {
      const cv::Moments m = cv::moments(c.contour);
      if (m.m00 <= 0) continue;
      const cv::Point2f centre(static_cast<float>(m.m10 / m.m00),
                               static_cast<float>(m.m01 / m.m00));
      bool nested = false;
      for (const Candidate& o : outer) {
        if (o.area > 2 * c.area && cv::pointPolygonTest(o.contour, centre, false) > 0) {
          nested = true;
          break;
        }
      }
      if (!nested) outer.push_back(std::move(c));
    }
    kept = std::move(outer);

    HoldSet set;
    set.image_width = bgr.cols;
    set.image_height = bgr.rows;
    for (const Candidate& c : kept) {
      const bool chromatic = IsChromatic(static_cast<Colour>(c.colour));
      const double d = std::sqrt(4 * c.area / M_PI);
      if (d < (chromatic ? min_d : 1.4 * min_d)) continue;
      if (c.area > max_area) continue;
      // Seams and grain are thin and long; a sloper or a rail is long but not thin.
      if ((c.aspect > 4.0 && c.minor < 0.8 * min_d) || c.aspect > 12.0) continue;
      if (c.solidity < 0.45) continue;  // ragged texture
      if (!chromatic && c.circularity < 0.35) continue;
      if (c.colour == static_cast<int>(Colour::kBlack) && c.area >= bolt_lo && c.area <= bolt_hi &&
          c.circularity > 0.5) {
        continue;
      }
      const double threshold = chromatic ? kChromaDistance : kLightDistance;
      const double contrast_score =
          std::clamp((c.contrast - threshold) / (1.5 * threshold), 0.0, 1.0);
      const double size_score = d >= 1.5 * min_d ? 1.0 : 0.5;
      double confidence = 0.15 + 0.45 * contrast_score + 0.25 * c.solidity + 0.15 * size_score;
      if (!chromatic) confidence *= 0.8;
      confidence = std::clamp(confidence, 0.0, 1.0);
      if (confidence < options.min_confidence) continue;

      Hold h;
      std::vector<cv::Point> poly;
      cv::approxPolyDP(c.contour, poly, std::max(0.7, 0.012 * cv::arcLength(c.contour, true)),
                       true);
      if (poly.size() < 3) poly = c.contour;
      for (const cv::Point& p : poly) {
        h.outline.push_back(Point{(p.x + 0.5) * w.scale, (p.y + 0.5) * w.scale});
      }
      const cv::Moments m = cv::moments(c.contour);
      const cv::Rect br = cv::boundingRect(c.contour);
      h.box = Box{br.x * w.scale, br.y * w.scale, br.width * w.scale, br.height * w.scale};
      h.box_normalised = Box{h.box.x / bgr.cols, h.box.y / bgr.rows, h.box.width / bgr.cols,
                             h.box.height / bgr.rows};
      h.centre = m.m00 > 0
                     ? Point{(m.m10 / m.m00 + 0.5) * w.scale, (m.m01 / m.m00 + 0.5) * w.scale}
                     : Point{(br.x + br.width / 2.0) * w.scale, (br.y + br.height / 2.0) * w.scale};
      h.area_px = c.area * w.scale * w.scale;
      h.measured = LabToRgb(c.mean_lab);
      h.colour = static_cast<Colour>(c.colour);
      if (chromatic) {
        // The name of the hold's mean colour when it is a neighbour of its pixels' majority
        // (a dark red whose pixels straddle the red/pink boundary is named by its mean hue).
        const Colour mean = internal::ClassifyHue(c.mean_lab[0], c.mean_lab[1], c.mean_lab[2]);
        if (Neighbours(static_cast<int>(mean), c.colour)) h.colour = mean;
      }
      h.size = ClassifySize(h.area_px, bgr.cols, bgr.rows);
      h.confidence = std::round(confidence * 1000) / 1000;
      set.holds.push_back(std::move(h));
    }
    std::sort(set.holds.begin(), set.holds.end(), [](const Hold& a, const Hold& b) {
      if (std::abs(a.centre.y - b.centre.y) > 1e-9) return a.centre.y < b.centre.y;
      return a.centre.x < b.centre.x;
    });
    return set;
  } catch (const cv::Exception& e) {
    return Internal(std::string("hold detection failed: ") + e.what());
  } catch (const std::bad_alloc&) {
    return Internal("hold detection ran out of memory");
  }
}

}  // namespace ascension::vision::holds
