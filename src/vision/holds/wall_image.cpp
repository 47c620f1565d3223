#include "vision/holds/wall_image.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace ascension::vision::holds {
namespace {

constexpr double kMinPresence = 0.5;

// Limb segments and their thickness as a fraction of the torso length.
struct Bone {
  int a, b;
  double thickness;
  double extend;  // past b, as a fraction of the segment (hands, feet)
};
constexpr std::array<Bone, 8> kBones = {{{11, 13, 0.22, 0},
                                         {13, 15, 0.18, 0.3},
                                         {12, 14, 0.22, 0},
                                         {14, 16, 0.18, 0.3},
                                         {23, 25, 0.30, 0},
                                         {25, 27, 0.22, 0.5},
                                         {24, 26, 0.30, 0},
                                         {26, 28, 0.22, 0.5}}};

bool Present(const domain::PoseFrame& pose, int i) {
  return pose.landmarks[i].presence >= kMinPresence;
}

cv::Point2d At(const domain::PoseFrame& pose, int i, cv::Size size) {
  return {pose.landmarks[i].x * size.width, pose.landmarks[i].y * size.height};
}

cv::Point Round(const cv::Point2d& p) {
  return {static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
}

// Hold-coloured pixels: saturated and not dark (a cheap stand-in for the detector, enough to
// compare frames with each other).
cv::Mat1b Colourful(const cv::Mat& bgr) {
  cv::Mat hsv;
  cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
  cv::Mat1b out;
  cv::inRange(hsv, cv::Scalar(0, 90, 50), cv::Scalar(180, 255, 255), out);
  return out;
}

// A frame scaled down for alignment: grey levels and the climber's region.
struct Small {
  cv::Mat1f fine, coarse;            // 4x apart
  cv::Mat1b fine_mask, coarse_mask;  // 255 = climber (not compared)
};

Small Shrink(const cv::Mat& bgr, const cv::Mat1b& mask, double f) {
  Small s;
  cv::Mat small, grey;
  cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
  cv::cvtColor(small, grey, cv::COLOR_BGR2GRAY);
  grey.convertTo(s.fine, CV_32F);
  cv::GaussianBlur(s.fine, s.fine, cv::Size(3, 3), 0.8);
  cv::resize(mask, s.fine_mask, s.fine.size(), 0, 0, cv::INTER_NEAREST);
  cv::resize(s.fine, s.coarse, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  cv::resize(mask, s.coarse_mask, s.coarse.size(), 0, 0, cv::INTER_AREA);
  s.coarse_mask = s.coarse_mask > 0;
  return s;
}

// Mean absolute difference of b shifted by (dx, dy) against a, over the pixels outside both
// climber regions; a large value when they overlap too little.
double Difference(const cv::Mat1f& a, const cv::Mat1b& am, const cv::Mat1f& b, const cv::Mat1b& bm,
                  int dx, int dy) {
  double sum = 0;
  int n = 0;
  for (int y = std::max(0, -dy); y < std::min(a.rows, b.rows - dy); ++y) {
    const float* pa = a[y];
    const float* pb = b[y + dy];
    const std::uint8_t* ma = am[y];
    const std::uint8_t* mb = bm[y + dy];
    for (int x = std::max(0, -dx); x < std::min(a.cols, b.cols - dx); ++x) {
      if (ma[x] != 0 || mb[x + dx] != 0) continue;
      sum += std::abs(pa[x] - pb[x + dx]);
      ++n;
    }
  }
  return n * 3 < static_cast<int>(a.total()) ? 1e18 : sum / n;
}

// The translation of frame b's content relative to frame a (in the fine image's pixels): an
// exhaustive search on the coarse images, refined on the fine ones. Bolt-hole grids repeat every
// few centimetres: the coarse level, where they are blurred away, picks the right period.
cv::Point2d Align(const Small& a, const Small& b, double max_shift_fine) {
  const int r = static_cast<int>(std::ceil(max_shift_fine / 4)) + 1;
  double best = 1e18;
  cv::Point coarse(0, 0);
  for (int dy = -r; dy <= r; ++dy) {
    for (int dx = -r; dx <= r; ++dx) {
      const double d = Difference(a.coarse, a.coarse_mask, b.coarse, b.coarse_mask, dx, dy);
      if (d < best) {
        best = d;
        coarse = {dx, dy};
      }
    }
  }
  best = 1e18;
  cv::Point fine = coarse * 4;
  const cv::Point centre = fine;
  for (int dy = -4; dy <= 4; ++dy) {
    for (int dx = -4; dx <= 4; ++dx) {
      const cv::Point p = centre + cv::Point(dx, dy);
      const double d = Difference(a.fine, a.fine_mask, b.fine, b.fine_mask, p.x, p.y);
      if (d < best) {
        best = d;
        fine = p;
      }
    }
  }
  return {static_cast<double>(fine.x), static_cast<double>(fine.y)};
}

}  // namespace

cv::Mat1b ClimberMask(const domain::PoseFrame& pose, cv::Size size) {
  cv::Mat1b mask = cv::Mat1b::zeros(size);
  if (!pose.detected) return mask;
  const int ls = domain::kLeftShoulder, rs = domain::kRightShoulder;
  const int lh = domain::kLeftHip, rh = domain::kRightHip;
  if (!Present(pose, ls) || !Present(pose, rs) || !Present(pose, lh) || !Present(pose, rh)) {
    return mask;
  }
  const cv::Point2d shoulders = (At(pose, ls, size) + At(pose, rs, size)) * 0.5;
  const cv::Point2d hips = (At(pose, lh, size) + At(pose, rh, size)) * 0.5;
  const double torso = std::max(8.0, cv::norm(shoulders - hips));
  // Torso, widened by half a limb on each side.
  const std::vector<cv::Point> body = {Round(At(pose, ls, size)), Round(At(pose, rs, size)),
                                       Round(At(pose, rh, size)), Round(At(pose, lh, size))};
  cv::fillConvexPoly(mask, body, cv::Scalar(255), cv::LINE_8);
  cv::polylines(mask, std::vector<std::vector<cv::Point>>{body}, true, cv::Scalar(255),
                std::max(1, static_cast<int>(0.25 * torso)));
  for (const Bone& bone : kBones) {
    if (!Present(pose, bone.a) || !Present(pose, bone.b)) continue;
    const cv::Point2d a = At(pose, bone.a, size), b = At(pose, bone.b, size);
    const cv::Point2d end = b + (b - a) * bone.extend;
    const int t = std::max(1, static_cast<int>(bone.thickness * torso));
    cv::line(mask, Round(a), Round(end), cv::Scalar(255), t, cv::LINE_8);
    cv::circle(mask, Round(end), t / 2 + 1, cv::Scalar(255), cv::FILLED);
  }
  // The head: above the shoulders, along the hip-to-shoulder direction (the nose when present).
  const cv::Point2d up = (shoulders - hips) * (1.0 / torso);
  cv::Point2d head = shoulders + up * (0.45 * torso);
  if (Present(pose, domain::kNose)) head = At(pose, domain::kNose, size);
  cv::circle(mask, Round(head), static_cast<int>(0.32 * torso), cv::Scalar(255), cv::FILLED);
  cv::line(mask, Round(shoulders), Round(head), cv::Scalar(255), static_cast<int>(0.3 * torso));
  // Margin for landmark error and loose clothes.
  const int margin = std::max(1, static_cast<int>(0.04 * torso)) * 2 + 1;
  cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(margin, margin)));
  return mask;
}

Result<WallImage> BuildWallImage(const std::vector<cv::Mat>& frames,
                                 const std::vector<domain::PoseFrame>& poses,
                                 const WallImageOptions& options) {
  if (frames.empty()) return InvalidArgument("no frames to build the wall image from");
  if (frames.size() != poses.size()) {
    return InvalidArgument("one pose per frame is needed to build the wall image");
  }
  const cv::Size size = frames[0].size();
  for (const cv::Mat& f : frames) {
    if (f.type() != CV_8UC3 || f.size() != size || f.empty()) {
      return InvalidArgument("the frames must be 8-bit BGR images of one size");
    }
  }
  if (options.max_frames < 1 || options.window_s <= 0) {
    return InvalidArgument("wall image options out of range");
  }
  try {
    const int n = static_cast<int>(frames.size());
    const double f = std::min(1.0, 240.0 / size.width);
    const double max_shift = options.max_shift * size.width;
    std::vector<cv::Mat1b> masks(n);
    std::vector<Small> small(n);
    for (int i = 0; i < n; ++i) {
      masks[i] = ClimberMask(poses[i], size);
      small[i] = Shrink(frames[i], masks[i], f);
    }
    // Where frame j's content lies relative to frame r, in full-size pixels: frame j shifted by
    // it matches frame r.
    auto shift = [&](int r, int j) -> cv::Point2d {
      if (r == j) return {0, 0};
      return Align(small[r], small[j], max_shift * f) * (1.0 / f);
    };
    auto near = [&](int r) {
      std::vector<int> idx;
      for (int j = 0; j < n; ++j) {
        const double dt =
            std::abs(static_cast<double>(poses[j].timestamp_ms - poses[r].timestamp_ms));
        if (dt <= options.window_s * 500.0) idx.push_back(j);
      }
      std::sort(idx.begin(), idx.end(), [&](int a, int b) {
        return std::abs(poses[a].timestamp_ms - poses[r].timestamp_ms) <
               std::abs(poses[b].timestamp_ms - poses[r].timestamp_ms);
      });
      return idx;
    };
    auto warp = [&](const cv::Mat& src, const cv::Point2d& s, int interp, int border_value) {
      // dst(x) = src(x + s): frame j's pixel that matches the reference's pixel x.
      const cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, -s.x, 0, 1, -s.y);
      cv::Mat out;
      cv::warpAffine(src, out, m, size, interp, cv::BORDER_CONSTANT, cv::Scalar::all(border_value));
      return out;
    };

    // The reference: the frame whose climber covers the fewest colourful pixels that the other
    // frames near it show uncovered.
    const int step = std::max(1, n / 12);
    int best = -1;
    double best_cover = 0, best_area = 0;
    for (int r = 0; r < n; r += step) {
      if (!poses[r].detected) continue;  // no pose: the climber's region is unknown
      const std::vector<int> idx = near(r);
      cv::Mat1b seen = cv::Mat1b::zeros(size);
      int used = 0;
      for (int j : idx) {
        if (j == r || used >= 6) continue;
        const cv::Point2d s = shift(r, j);
        if (cv::norm(s) > max_shift) continue;
        const cv::Mat1b holds = Colourful(frames[j]) & (masks[j] == 0);
        seen |= cv::Mat1b(warp(holds, s, cv::INTER_NEAREST, 0));
        ++used;
      }
      const double cover = cv::countNonZero(seen & masks[r]);
      const double area = cv::countNonZero(masks[r]);
      if (best < 0 || cover < best_cover || (cover == best_cover && area < best_area)) {
        best = r;
        best_cover = cover;
        best_area = area;
      }
    }
    if (best < 0) best = 0;

    WallImage out;
    out.reference_frame = best;
    std::vector<cv::Mat3b> aligned;
    std::vector<cv::Mat1b> valid;  // 255 where the frame shows the wall
    for (int j : near(best)) {
      if (static_cast<int>(aligned.size()) >= options.max_frames) break;
      const cv::Point2d s = shift(best, j);
      if (cv::norm(s) > max_shift) continue;
      aligned.push_back(cv::Mat3b(warp(frames[j], s, cv::INTER_LINEAR, 0)));
      const cv::Mat1b inside = warp(cv::Mat1b(size, 255), s, cv::INTER_NEAREST, 0);
      const cv::Mat1b climber = warp(masks[j], s, cv::INTER_NEAREST, 255);
      valid.push_back(inside & (climber == 0));
      out.used.push_back(j);
    }
    out.image = frames[best].clone();
    out.unseen = cv::Mat1b::zeros(size);
    std::vector<std::array<std::uint8_t, 3>> samples;
    samples.reserve(aligned.size());
    std::array<std::vector<std::uint8_t>, 3> channel;
    for (int y = 0; y < size.height; ++y) {
      for (int x = 0; x < size.width; ++x) {
        for (auto& c : channel) c.clear();
        for (std::size_t k = 0; k < aligned.size(); ++k) {
          if (valid[k](y, x) == 0) continue;
          const cv::Vec3b v = aligned[k](y, x);
          for (int c = 0; c < 3; ++c) channel[c].push_back(v[c]);
        }
        if (channel[0].empty()) {
          out.unseen(y, x) = 255;
          continue;
        }
        cv::Vec3b m;
        for (int c = 0; c < 3; ++c) {
          auto mid = channel[c].begin() + channel[c].size() / 2;
          std::nth_element(channel[c].begin(), mid, channel[c].end());
          m[c] = *mid;
        }
        out.image(y, x) = m;
      }
    }
    return out;
  } catch (const cv::Exception& e) {
    return Internal(std::string("building the wall image failed: ") + e.what());
  }
}

}  // namespace ascension::vision::holds
