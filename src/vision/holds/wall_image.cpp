#include "vision/holds/wall_image.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>

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

// ORB features of a frame outside the climber's region (the body moves; the wall does not).
struct Features {
  std::vector<cv::KeyPoint> points;
  cv::Mat descriptors;
};

Features Describe(const cv::Mat& bgr, const cv::Mat1b& climber) {
  Features f;
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::Mat1b wall;
  cv::dilate(climber, wall, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
  wall = wall == 0;
  cv::Ptr<cv::ORB> orb = cv::ORB::create(1000, 1.2f, 6, 19, 0, 2, cv::ORB::HARRIS_SCORE, 19, 12);
  orb->detectAndCompute(grey, wall, f.points, f.descriptors);
  return f;
}

std::vector<cv::Point2d> Corners(cv::Size size) {
  const double w = size.width, h = size.height;
  return {{0, 0}, {w, 0}, {w, h}, {0, h}};
}

// The homography taking frame a's pixel coordinates to frame b's, from ORB matches that land
// within `tolerance` pixels of where `prior` (an estimate of the same mapping) puts them — the
// bolt-hole grid repeats every few centimetres, so a match far from the estimate is a repeat —
// and pass RANSAC. Empty when too few features agree or the homography is implausible for a
// hand-held camera (a corner further than `corner_tolerance` from where the estimate puts it,
// the area changed by more than a third, the frame folded).
std::optional<cv::Matx33d> Homography(const Features& fa, const Features& fb,
                                      const cv::Matx33d& prior, double tolerance,
                                      double corner_tolerance, cv::Size size) {
  if (fa.descriptors.empty() || fb.descriptors.empty()) return std::nullopt;
  cv::BFMatcher matcher(cv::NORM_HAMMING);
  std::vector<std::vector<cv::DMatch>> knn;
  matcher.knnMatch(fa.descriptors, fb.descriptors, knn, 2);
  std::vector<cv::Point2d> from, predicted;
  std::vector<cv::Point2f> to;
  for (const auto& m : knn) {
    if (m.empty()) continue;
    if (m.size() == 2 && m[0].distance > 0.85f * m[1].distance) continue;
    const cv::Point2f pa = fa.points[m[0].queryIdx].pt;
    from.emplace_back(pa.x, pa.y);
    to.push_back(fb.points[m[0].trainIdx].pt);
  }
  if (from.empty()) return std::nullopt;
  cv::perspectiveTransform(from, predicted, cv::Mat(prior));
  std::vector<cv::Point2f> a, b;
  for (std::size_t i = 0; i < from.size(); ++i) {
    const cv::Point2d off(to[i].x - predicted[i].x, to[i].y - predicted[i].y);
    if (cv::norm(off) > tolerance) continue;
    a.emplace_back(static_cast<float>(from[i].x), static_cast<float>(from[i].y));
    b.push_back(to[i]);
  }
  if (a.size() < 16) return std::nullopt;
  std::vector<std::uint8_t> inliers;
  const cv::Mat h = cv::findHomography(a, b, cv::RANSAC, 2.5, inliers, 2000, 0.995);
  if (h.empty() || h.type() != CV_64F) return std::nullopt;
  const int kept = cv::countNonZero(inliers);
  if (kept < 12 || kept * 4 < static_cast<int>(a.size())) return std::nullopt;
  const cv::Matx33d hm(h);
  const std::vector<cv::Point2d> corners = Corners(size);
  std::vector<cv::Point2d> mapped, expected;
  cv::perspectiveTransform(corners, mapped, cv::Mat(hm));
  cv::perspectiveTransform(corners, expected, cv::Mat(prior));
  for (std::size_t i = 0; i < corners.size(); ++i) {
    if (!std::isfinite(mapped[i].x) || !std::isfinite(mapped[i].y)) return std::nullopt;
    if (cv::norm(mapped[i] - expected[i]) > corner_tolerance) return std::nullopt;
  }
  std::vector<cv::Point2f> quad(mapped.begin(), mapped.end());
  const double area = std::abs(cv::contourArea(quad));
  const double full = static_cast<double>(size.area());
  if (!cv::isContourConvex(quad) || area < full * 0.66 || area > full * 1.5) return std::nullopt;
  return hm;
}

cv::Matx33d Translation(const cv::Point2d& s) {
  return {1, 0, s.x, 0, 1, s.y, 0, 0, 1};
}

}  // namespace

cv::Mat1b ClimberMask(const domain::PoseFrame& pose, cv::Size size, double extra_margin) {
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
  // Seen from the side, the shoulders and hips nearly meet in the image: the chest and back are
  // a band along the spine about half a torso wide.
  cv::line(mask, Round(shoulders), Round(hips), cv::Scalar(255),
           std::max(1, static_cast<int>(0.5 * torso)));
  for (const Bone& bone : kBones) {
    if (!Present(pose, bone.a) || !Present(pose, bone.b)) continue;
    const cv::Point2d a = At(pose, bone.a, size), b = At(pose, bone.b, size);
    const cv::Point2d end = b + (b - a) * bone.extend;
    const int t = std::max(1, static_cast<int>(bone.thickness * torso));
    cv::line(mask, Round(a), Round(end), cv::Scalar(255), t, cv::LINE_8);
    cv::circle(mask, Round(end), t / 2 + 1, cv::Scalar(255), cv::FILLED);
  }
  // The feet. With the heel and toe landmarks (BlazePose's full set), the shoe is the triangle
  // they make with the ankle. Without them, the shoe points away from the shin on one side or
  // the other (toe towards the wall, heel out): a bar across the ankle, perpendicular to the shin,
  // half a torso long on each side.
  const std::array<std::array<int, 4>, 2> feet = {
      {{domain::kLeftKnee, domain::kLeftAnkle, domain::kLeftHeel, domain::kLeftFootIndex},
       {domain::kRightKnee, domain::kRightAnkle, domain::kRightHeel, domain::kRightFootIndex}}};
  const int shoe = std::max(1, static_cast<int>(0.2 * torso));
  for (const auto& [knee, ankle, heel, toe] : feet) {
    if (!Present(pose, ankle)) continue;
    const cv::Point2d a = At(pose, ankle, size);
    if (Present(pose, heel) && Present(pose, toe)) {
      const std::vector<cv::Point> foot = {Round(a), Round(At(pose, heel, size)),
                                           Round(At(pose, toe, size))};
      cv::fillConvexPoly(mask, foot, cv::Scalar(255), cv::LINE_8);
      cv::polylines(mask, std::vector<std::vector<cv::Point>>{foot}, true, cv::Scalar(255), shoe);
      continue;
    }
    if (!Present(pose, knee)) continue;
    const cv::Point2d shin = a - At(pose, knee, size);
    const double len = cv::norm(shin);
    if (len < 1) continue;
    const cv::Point2d across(-shin.y / len, shin.x / len);
    const cv::Point2d heel_end = a + across * (0.5 * torso), toe_end = a - across * (0.5 * torso);
    cv::line(mask, Round(heel_end), Round(toe_end), cv::Scalar(255), shoe, cv::LINE_8);
  }
  // The hands: with the finger landmarks (17..22), the hand is their hull with the wrist.
  for (const auto& fingers : {std::array<int, 4>{domain::kLeftWrist, 17, 19, 21},
                              std::array<int, 4>{domain::kRightWrist, 18, 20, 22}}) {
    std::vector<cv::Point> hand;
    for (const int i : fingers) {
      if (Present(pose, i)) hand.push_back(Round(At(pose, i, size)));
    }
    if (hand.size() < 3 || !Present(pose, fingers[0])) continue;
    std::vector<cv::Point> hull;
    cv::convexHull(hand, hull);
    cv::fillConvexPoly(mask, hull, cv::Scalar(255), cv::LINE_8);
    cv::polylines(mask, std::vector<std::vector<cv::Point>>{hull}, true, cv::Scalar(255),
                  std::max(1, static_cast<int>(0.12 * torso)));
  }
  // The head: above the shoulders, along the hip-to-shoulder direction (the nose when present).
  const cv::Point2d up = (shoulders - hips) * (1.0 / torso);
  cv::Point2d head = shoulders + up * (0.45 * torso);
  if (Present(pose, domain::kNose)) head = At(pose, domain::kNose, size);
  cv::circle(mask, Round(head), static_cast<int>(0.32 * torso), cv::Scalar(255), cv::FILLED);
  cv::line(mask, Round(shoulders), Round(head), cv::Scalar(255), static_cast<int>(0.3 * torso));
  // Margin for landmark error and loose clothes.
  const int margin =
      std::max(1, static_cast<int>((0.04 + std::max(0.0, extra_margin)) * torso)) * 2 + 1;
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
  if (options.max_frames < 1 || options.window_s <= 0 || options.max_shift <= 0 ||
      !(options.min_overlap >= 0 && options.min_overlap <= 1)) {
    return InvalidArgument("wall image options out of range");
  }
  try {
    const int n = static_cast<int>(frames.size());
    const double f = std::min(1.0, 240.0 / size.width);
    const double max_shift = options.max_shift * size.width;
    const double tolerance = 0.03 * size.width + 6;
    std::vector<cv::Mat1b> masks(n), near(n);
    std::vector<Features> features(n);
    for (int i = 0; i < n; ++i) {
      masks[i] = ClimberMask(poses[i], size);
      near[i] = ClimberMask(poses[i], size, options.near_body);
      if (options.homography) features[i] = Describe(frames[i], masks[i]);
    }

    // Each frame against the next one (the camera moves little between them): a homography from
    // features matched anywhere within max_shift, else a translation found by search. A jump
    // further than max_shift breaks the chain (a cut in the video): frames on either side of it
    // are never combined.
    std::vector<cv::Matx33d> to_first(n);  // frame 0's pixels to frame i's (within a segment)
    std::vector<int> segment(n, 0);
    to_first[0] = cv::Matx33d::eye();
    for (int i = 1; i < n; ++i) {
      std::optional<cv::Matx33d> link;
      if (options.homography) {
        link = Homography(features[i - 1], features[i], cv::Matx33d::eye(), max_shift, max_shift,
                          size);
      }
      if (!link) {
        const Small a = Shrink(frames[i - 1], masks[i - 1], f);
        const Small b = Shrink(frames[i], masks[i], f);
        const cv::Point2d s = Align(a, b, max_shift * f) * (1.0 / f);
        if (cv::norm(s) <= max_shift) link = Translation(s);
      }
      segment[i] = segment[i - 1] + (link ? 0 : 1);
      to_first[i] = link ? *link * to_first[i - 1] : cv::Matx33d::eye();
    }
    // Frame r's pixels to frame j's, chained through the frames between them.
    auto chained = [&](int r, int j) -> std::optional<cv::Matx33d> {
      if (segment[r] != segment[j]) return std::nullopt;
      return to_first[j] * to_first[r].inv();
    };
    // dst(x) = src(h x): frame j's pixel that matches the reference's pixel x.
    auto warp = [&](const cv::Mat& src, const cv::Matx33d& h, int interp, int border_value) {
      cv::Mat out;
      cv::warpPerspective(src, out, cv::Mat(h), size, interp | cv::WARP_INVERSE_MAP,
                          cv::BORDER_CONSTANT, cv::Scalar::all(border_value));
      return out;
    };

    // The frames of r's window (spread evenly over it when `sample` > 0) that show enough of r's
    // view, with their mapping and where they cover r's view.
    struct Candidate {
      int index;
      cv::Matx33d h;
      cv::Mat1b inside;
    };
    auto candidates_of = [&](int r, std::size_t sample) {
      std::vector<int> idx;
      for (int j = 0; j < n; ++j) {
        const double dt =
            std::abs(static_cast<double>(poses[j].timestamp_ms - poses[r].timestamp_ms));
        if (dt <= options.window_s * 500.0 && segment[j] == segment[r]) idx.push_back(j);
      }
      if (sample > 1 && idx.size() > sample) {
        std::vector<int> spread;
        for (std::size_t i = 0; i < sample; ++i) {
          spread.push_back(idx[i * (idx.size() - 1) / (sample - 1)]);
        }
        idx = std::move(spread);
      }
      std::vector<Candidate> out;
      for (int j : idx) {
        const auto h = chained(r, j);
        if (!h) continue;
        cv::Mat1b inside = warp(cv::Mat1b(size, 255), *h, cv::INTER_NEAREST, 0);
        if (cv::countNonZero(inside) < options.min_overlap * size.area()) continue;
        out.push_back({j, *h, std::move(inside)});
      }
      return out;
    };

    // The reference: the frame whose climber's region the frames around it show best (the
    // fewest pixels left unseen), then the one whose climber covers the fewest colourful pixels
    // those frames show.
    const int step = std::max(1, n / 12);
    int best = -1;
    double best_unseen = 0, best_cover = 0;
    for (int r = 0; r < n; r += step) {
      if (!poses[r].detected) continue;  // no pose: the climber's region is unknown
      cv::Mat1b seen = cv::Mat1b::zeros(size), holds_seen = cv::Mat1b::zeros(size);
      for (const Candidate& c : candidates_of(r, 8)) {
        if (c.index == r) continue;
        const cv::Mat1b climber = warp(masks[c.index], c.h, cv::INTER_NEAREST, 255);
        const cv::Mat1b shown = c.inside & (climber == 0);
        seen |= shown;
        holds_seen |= cv::Mat1b(warp(Colourful(frames[c.index]), c.h, cv::INTER_NEAREST, 0));
      }
      const double unseen = cv::countNonZero(masks[r] & (seen == 0));
      const double cover = cv::countNonZero(holds_seen & masks[r]);
      if (best < 0 || unseen < best_unseen || (unseen == best_unseen && cover < best_cover)) {
        best = r;
        best_unseen = unseen;
        best_cover = cover;
      }
    }
    if (best < 0) best = 0;

    // The frames combined: those of the reference's window that show enough of its view, spread
    // evenly over the window's time (the climber has moved between them, so each pixel of the
    // wall is shown by most of them). The chained mapping drifts over many frames: each is
    // aligned again directly to the reference, with the chained one as the estimate.
    std::vector<Candidate> candidates = candidates_of(best, options.max_frames);
    WallImage out;
    out.reference_frame = best;
    std::vector<cv::Mat3b> aligned;
    std::vector<cv::Mat1b> valid;  // 255 where the frame shows the wall
    std::vector<cv::Mat1b> far;    // and the climber's widened region is not there either
    for (Candidate& c : candidates) {
      if (options.homography && c.index != best) {
        if (auto h = Homography(features[best], features[c.index], c.h, tolerance, 3 * tolerance,
                                size)) {
          c.h = *h;
          c.inside = warp(cv::Mat1b(size, 255), c.h, cv::INTER_NEAREST, 0);
          ++out.by_features;
        }
      }
      aligned.push_back(cv::Mat3b(warp(frames[c.index], c.h, cv::INTER_LINEAR, 0)));
      const cv::Mat1b climber = warp(masks[c.index], c.h, cv::INTER_NEAREST, 255);
      valid.push_back(c.inside & (climber == 0));
      out.used.push_back(c.index);
      const cv::Mat1b close = warp(near[c.index], c.h, cv::INTER_NEAREST, 255);
      far.push_back(c.inside & (close == 0));
    }
    // A pixel shown by enough frames where the climber is not even near takes its median from
    // those only: what the pose's region misses of the body (a shoe, a glove, a chalk bag, a
    // patch on a limb) lies near it. With fewer such frames the median is of the frames where the
    // pose's region is not there, and the pixel is marked on_body.
    const std::size_t min_far = std::max<std::size_t>(2, aligned.size() / 8);
    out.image = frames[best].clone();
    out.unseen = cv::Mat1b::zeros(size);
    out.on_body = cv::Mat1b::zeros(size);
    std::array<std::vector<std::uint8_t>, 3> channel;
    for (auto& c : channel) c.reserve(aligned.size());
    for (int y = 0; y < size.height; ++y) {
      for (int x = 0; x < size.width; ++x) {
        std::size_t far_frames = 0, near_frames = 0;
        for (std::size_t k = 0; k < aligned.size(); ++k) {
          far_frames += far[k](y, x) != 0;
          near_frames += valid[k](y, x) != 0 && far[k](y, x) == 0;
        }
        const bool only_far = far_frames >= min_far;
        for (auto& c : channel) c.clear();
        for (std::size_t k = 0; k < aligned.size(); ++k) {
          if ((only_far ? far[k] : valid[k])(y, x) == 0) continue;
          const cv::Vec3b v = aligned[k](y, x);
          for (int c = 0; c < 3; ++c) channel[c].push_back(v[c]);
        }
        if (channel[0].empty()) {
          out.unseen(y, x) = 255;
          continue;
        }
        if (!only_far && near_frames > 0) out.on_body(y, x) = 255;
        cv::Vec3b med;
        for (int c = 0; c < 3; ++c) {
          auto mid = channel[c].begin() + channel[c].size() / 2;
          std::nth_element(channel[c].begin(), mid, channel[c].end());
          med[c] = *mid;
        }
        out.image(y, x) = med;
      }
    }
    return out;
  } catch (const cv::Exception& e) {
    return Internal(std::string("building the wall image failed: ") + e.what());
  }
}

int DropHoldsOnTheBody(HoldSet* set, const cv::Mat1b& on_body, double max_fraction) {
  if (set == nullptr || on_body.empty() || on_body.cols != set->image_width ||
      on_body.rows != set->image_height) {
    return 0;
  }
  int dropped = 0;
  std::vector<Hold> kept;
  for (Hold& h : set->holds) {
    if (IsChromatic(h.colour)) {
      kept.push_back(std::move(h));
      continue;
    }
    std::vector<cv::Point> poly;
    for (const Point& p : h.outline) {
      poly.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
    }
    const cv::Rect box =
        poly.size() >= 3 ? cv::boundingRect(poly) & cv::Rect({}, on_body.size()) : cv::Rect();
    if (box.area() > 0) {
      cv::Mat1b inside = cv::Mat1b::zeros(box.size());
      cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255), cv::LINE_8,
                   0, -box.tl());
      const int area = cv::countNonZero(inside);
      const int covered = cv::countNonZero(inside & on_body(box));
      if (area > 0 && covered > max_fraction * area) {
        ++dropped;
        continue;
      }
    }
    kept.push_back(std::move(h));
  }
  set->holds = std::move(kept);
  return dropped;
}

Result<HoldSet> DetectHoldsOnWall(const WallImage& wall, DetectorOptions options, int* dropped) {
  if (dropped != nullptr) *dropped = 0;
  if (!wall.unseen.empty()) {
    if (options.exclude.empty()) {
      options.exclude = wall.unseen;
    } else if (options.exclude.size() == wall.unseen.size() &&
               options.exclude.type() == wall.unseen.type()) {
      options.exclude = options.exclude | wall.unseen;
    }
  }
  auto set = DetectHolds(wall.image, options);
  if (!set.ok()) return set;
  const int n = DropHoldsOnTheBody(&*set, wall.on_body);
  if (dropped != nullptr) *dropped = n;
  return set;
}

}  // namespace ascension::vision::holds
