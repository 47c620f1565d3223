#include "vision/holds/synthetic_wall.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

namespace ascension::vision::holds {
namespace {

class Draw {
 public:
  explicit Draw(std::uint32_t seed) : rng_(seed) {}
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(rng_()) / 4294967296.0);
  }
  int Int(int lo, int hi) {  // inclusive
    return std::min(hi, lo + static_cast<int>(Uniform(0, hi - lo + 1)));
  }

 private:
  std::mt19937 rng_;
};

// Paint of each palette colour (BGR), jittered per hold.
cv::Vec3d Paint(Colour c) {
  switch (c) {
    case Colour::kRed:
      return {35, 30, 200};
    case Colour::kOrange:
      return {20, 120, 240};
    case Colour::kYellow:
      return {30, 205, 235};
    case Colour::kGreen:
      return {60, 160, 40};
    case Colour::kBlue:
      return {200, 85, 30};
    case Colour::kPurple:
      return {160, 50, 110};
    case Colour::kPink:
      return {175, 110, 240};
    case Colour::kBlack:
      return {28, 25, 25};
    case Colour::kWhite:
      return {228, 232, 235};
    case Colour::kGrey:
      return {128, 128, 128};
  }
  return {128, 128, 128};
}

std::vector<Point> Blob(Draw* d, double cx, double cy, double radius, double elongation,
                        double angle) {
  const int n = d->Int(9, 14);
  std::vector<Point> out;
  const double phase = d->Uniform(0, 2 * M_PI);
  const double wobble = d->Uniform(0.05, 0.22);
  for (int i = 0; i < n; ++i) {
    const double t = 2 * M_PI * i / n;
    const double r = radius * (1 + wobble * std::sin(3 * t + phase) + d->Uniform(-0.08, 0.08));
    const double x = r * std::cos(t) * elongation, y = r * std::sin(t) / elongation;
    out.push_back(Point{cx + x * std::cos(angle) - y * std::sin(angle),
                        cy + x * std::sin(angle) + y * std::cos(angle)});
  }
  return out;
}

std::vector<cv::Point> ToCv(const std::vector<Point>& poly) {
  std::vector<cv::Point> out;
  for (const Point& p : poly) {
    out.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
  }
  return out;
}

bool Overlaps(const std::vector<LabelledHold>& holds, double cx, double cy, double r) {
  for (const LabelledHold& h : holds) {
    double hx = 0, hy = 0, hr = 0;
    for (const Point& p : h.outline) {
      hx += p.x;
      hy += p.y;
    }
    hx /= h.outline.size();
    hy /= h.outline.size();
    for (const Point& p : h.outline) hr = std::max(hr, std::hypot(p.x - hx, p.y - hy));
    if (std::hypot(cx - hx, cy - hy) < r + hr + 4) return true;
  }
  return false;
}

}  // namespace

LabelledImage GenerateSyntheticWall(std::uint32_t seed, int width, int height,
                                    const std::string& wall, double light) {
  Draw d(seed);
  LabelledImage img;
  img.name = "synthetic-" + std::to_string(seed);
  img.width = width;
  img.height = height;
  const double long_side = std::max(width, height);
  const int count = d.Int(18, 32);
  // Equivalent diameters as a fraction of the long side: many small holds, a few large ones.
  constexpr double kSizes[] = {0.014, 0.02, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1};
  int touching = 0;
  for (int attempt = 0; attempt < 2000 && static_cast<int>(img.holds.size()) < count; ++attempt) {
    const double diameter = kSizes[d.Int(0, 7)] * long_side * d.Uniform(0.85, 1.15);
    const double r = diameter / 2;
    const double cx = d.Uniform(r + 2, width - r - 2), cy = d.Uniform(r + 2, height - r - 2);
    if (Overlaps(img.holds, cx, cy, r)) continue;
    // Colours: mostly chromatic, as routes are; now and then white, black or grey.
    const double u = d.Uniform(0, 1);
    const Colour colour = u < 0.85 ? kAllColours[d.Int(0, 6)] : kAllColours[d.Int(7, 9)];
    const double elongation = d.Uniform(0, 1) < 0.3 ? d.Uniform(1.3, 2.2) : d.Uniform(1.0, 1.2);
    const double angle = d.Uniform(0, M_PI);
    img.holds.push_back(LabelledHold{colour, Blob(&d, cx, cy, r, elongation, angle)});
    // Some holds get a twin of the same colour against them (the splitting case).
    if (touching < 2 && r > 0.015 * long_side && d.Uniform(0, 1) < 0.25) {
      const double r2 = r * d.Uniform(0.8, 1.0);
      const double a = d.Uniform(0, 2 * M_PI);
      const double tx = cx + std::cos(a) * (r + r2) * 0.92, ty = cy + std::sin(a) * (r + r2) * 0.92;
      if (tx > r2 && ty > r2 && tx < width - r2 && ty < height - r2 &&
          !Overlaps(std::vector<LabelledHold>(img.holds.begin(), img.holds.end() - 1), tx, ty,
                    r2)) {
        std::vector<Point> twin = Blob(&d, tx, ty, r2, 1.05, angle);
        img.holds.push_back(LabelledHold{colour, std::move(twin)});
        ++touching;
      }
    }
  }
  for (LabelledHold& h : img.holds) {
    for (Point& p : h.outline) {
      p.x = std::clamp(p.x, 0.0, static_cast<double>(width));
      p.y = std::clamp(p.y, 0.0, static_cast<double>(height));
    }
  }
  const double spacing = d.Uniform(0.028, 0.045);
  img.synthetic = {{"seed", seed},
                   {"wall", wall},
                   {"light", light},
                   {"bolt_spacing", spacing},
                   {"touching", touching}};
  return img;
}

Result<cv::Mat> RenderSyntheticWall(const LabelledImage& image) {
  const nlohmann::json& s = image.synthetic;
  if (!s.is_object()) return InvalidArgument(image.name + ": no synthetic parameters");
  const auto seed = s.find("seed");
  const auto wall = s.find("wall");
  const auto light = s.find("light");
  const auto spacing = s.find("bolt_spacing");
  if (seed == s.end() || !seed->is_number_unsigned() || wall == s.end() || !wall->is_string() ||
      light == s.end() || !light->is_number() || spacing == s.end() || !spacing->is_number()) {
    return InvalidArgument(image.name + ": synthetic needs seed, wall, light, bolt_spacing");
  }
  const std::string kind = wall->get<std::string>();
  if (kind != "plywood" && kind != "painted" && kind != "two_panels") {
    return InvalidArgument(image.name + ": synthetic.wall is plywood, painted or two_panels");
  }
  const double unevenness = std::clamp(light->get<double>(), 0.0, 1.0);
  const double bolt = std::clamp(spacing->get<double>(), 0.01, 0.2);
  Draw d(seed->get<std::uint32_t>() ^ 0x9e3779b9u);
  const int w = image.width, h = image.height;
  const double long_side = std::max(w, h);

  // Panels: plywood (tan, with grain) or painted grey; two_panels puts a painted panel beside a
  // plywood one along a slanted edge.
  const cv::Vec3d plywood(95, 150, 190), painted(120, 118, 112);
  cv::Mat3f img(h, w);
  cv::Mat1f grain(std::max(2, h / 6), std::max(2, w / 40));
  for (int y = 0; y < grain.rows; ++y) {
    for (int x = 0; x < grain.cols; ++x) grain(y, x) = static_cast<float>(d.Uniform(-1, 1));
  }
  cv::resize(grain, grain, img.size(), 0, 0, cv::INTER_CUBIC);
  const double edge_top = d.Uniform(0.45, 0.7) * w, edge_bottom = d.Uniform(0.35, 0.6) * w;
  for (int y = 0; y < h; ++y) {
    const double edge = edge_top + (edge_bottom - edge_top) * y / h;
    for (int x = 0; x < w; ++x) {
      const bool ply = kind == "plywood" || (kind == "two_panels" && x < edge);
      const cv::Vec3d base = ply ? plywood : painted;
      const double g = 1 + (ply ? 0.06 : 0.02) * grain(y, x);
      img(y, x) = cv::Vec3f(static_cast<float>(base[0] * g), static_cast<float>(base[1] * g),
                            static_cast<float>(base[2] * g));
    }
  }
  // Seams between panels.
  const int seam = std::max(1, static_cast<int>(long_side / 700));
  for (double x = d.Uniform(0.2, 0.4) * w; x < w; x += 0.4 * w) {
    cv::line(img, cv::Point(static_cast<int>(x), 0), cv::Point(static_cast<int>(x), h),
             cv::Scalar(60, 80, 95), seam);
  }
  for (double y = d.Uniform(0.2, 0.35) * h; y < h; y += 0.33 * h) {
    cv::line(img, cv::Point(0, static_cast<int>(y)), cv::Point(w, static_cast<int>(y)),
             cv::Scalar(60, 80, 95), seam);
  }
  // Bolt holes on a staggered grid.
  const double step = bolt * w;
  const int bolt_r = std::max(1, static_cast<int>(0.0032 * long_side));
  int row = 0;
  for (double y = step / 2; y < h; y += step, ++row) {
    for (double x = (row % 2 ? step : step / 2); x < w; x += step) {
      cv::circle(img, cv::Point(static_cast<int>(x), static_cast<int>(y)), bolt_r,
                 cv::Scalar(22, 22, 24), cv::FILLED, cv::LINE_AA);
    }
  }
  // Holds: a soft shadow below and to the right, the paint with a highlight towards the light,
  // a darker rim, chalk speckles.
  for (const LabelledHold& hold : image.holds) {
    const std::vector<cv::Point> poly = ToCv(hold.outline);
    const cv::Rect box = cv::boundingRect(poly) & cv::Rect(0, 0, w, h);
    if (box.empty()) continue;
    const double size = std::sqrt(static_cast<double>(box.area()));
    const int off = std::max(1, static_cast<int>(0.12 * size));
    cv::Mat1f shadow = cv::Mat1f::zeros(img.size());
    std::vector<cv::Point> moved;
    for (const cv::Point& p : poly) moved.emplace_back(p.x + off / 2, p.y + off);
    cv::fillPoly(shadow, std::vector<std::vector<cv::Point>>{moved}, cv::Scalar(1));
    const int k = (std::max(3, off * 2) | 1);
    const cv::Rect roi =
        cv::Rect(box.x - 2 * k, box.y - 2 * k, box.width + 4 * k + off, box.height + 4 * k + off) &
        cv::Rect(0, 0, w, h);
    cv::GaussianBlur(shadow(roi), shadow(roi), cv::Size(k, k), 0);
    for (int y = roi.y; y < roi.y + roi.height; ++y) {
      for (int x = roi.x; x < roi.x + roi.width; ++x) img(y, x) *= 1.0f - 0.45f * shadow(y, x);
    }
    cv::Vec3d paint = Paint(hold.colour);
    const double jitter = d.Uniform(0.88, 1.08);
    for (int c = 0; c < 3; ++c)
      paint[c] = std::clamp(paint[c] * jitter + d.Uniform(-8, 8), 0.0, 255.0);
    cv::Mat1b mask = cv::Mat1b::zeros(img.size());
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255), cv::LINE_AA);
    cv::Mat1b inner;
    cv::erode(mask(box), inner, cv::Mat(), cv::Point(-1, -1),
              std::max(1, static_cast<int>(size / 14)));
    const cv::Point2d centre(box.x + box.width / 2.0, box.y + box.height / 2.0);
    for (int y = box.y; y < box.y + box.height; ++y) {
      for (int x = box.x; x < box.x + box.width; ++x) {
        const float alpha = mask(y, x) / 255.0f;
        if (alpha <= 0) continue;
        const double lit = 1.1 - 0.3 * ((x - centre.x) + (y - centre.y)) / (size + 1);
        const double rim = inner(y - box.y, x - box.x) != 0 ? 1.0 : 0.8;
        cv::Vec3f v;
        for (int c = 0; c < 3; ++c)
          v[c] = static_cast<float>(std::clamp(paint[c] * lit * rim, 0.0, 255.0));
        img(y, x) = img(y, x) * (1 - alpha) + v * alpha;
      }
    }
    const int chalk = static_cast<int>(size * size / 400);
    for (int i = 0; i < chalk; ++i) {
      const cv::Point p(d.Int(box.x, box.x + box.width - 1), d.Int(box.y, box.y + box.height - 1));
      if (inner(p.y - box.y, p.x - box.x) == 0) continue;
      cv::circle(img, p, std::max(1, static_cast<int>(size / 40)), cv::Scalar(215, 220, 222),
                 cv::FILLED);
    }
  }
  // Uneven light: a broad gradient and a vignette, then sensor noise and a slight blur.
  const double gx = d.Uniform(-1, 1), gy = d.Uniform(-1, 1);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double u = (x - w / 2.0) / w, v = (y - h / 2.0) / h;
      const double gain = 1 + unevenness * (0.45 * (gx * u + gy * v) - 0.5 * (u * u + v * v));
      img(y, x) *= static_cast<float>(std::max(0.25, gain));
    }
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) img(y, x)[c] += static_cast<float>(d.Uniform(-5, 5));
    }
  }
  cv::GaussianBlur(img, img, cv::Size(3, 3), 0.7);
  cv::Mat out;
  img.convertTo(out, CV_8UC3);
  return out;
}

}  // namespace ascension::vision::holds
