#include "vision/holds/wall_image.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "vision/holds/detector.hpp"

namespace ascension::vision::holds {
namespace {

constexpr int kW = 480, kH = 640;

// A climber standing with the hips at (cx, 0.6): shoulders, elbows, wrists, hips, knees, ankles.
domain::PoseFrame Standing(double cx, int index) {
  domain::PoseFrame p;
  p.frame = index;
  p.timestamp_ms = index * 1000 / 30;
  p.detected = true;
  auto set = [&](int i, double x, double y) { p.landmarks[i] = {cx + x, y, 0, 1, 1}; };
  set(domain::kLeftShoulder, 0.06, 0.35);
  set(domain::kRightShoulder, -0.06, 0.35);
  set(domain::kLeftElbow, 0.1, 0.25);
  set(domain::kRightElbow, -0.1, 0.25);
  set(domain::kLeftWrist, 0.11, 0.15);
  set(domain::kRightWrist, -0.11, 0.15);
  set(domain::kLeftHip, 0.04, 0.6);
  set(domain::kRightHip, -0.04, 0.6);
  set(domain::kLeftKnee, 0.06, 0.75);
  set(domain::kRightKnee, -0.06, 0.75);
  set(domain::kLeftAnkle, 0.06, 0.9);
  set(domain::kRightAnkle, -0.06, 0.9);
  return p;
}

cv::Mat CleanWall() {
  cv::Mat img(kH + 40, kW + 40, CV_8UC3, cv::Scalar(95, 150, 190));
  for (int y = 10, row = 0; y < img.rows; y += 24, ++row) {
    for (int x = row % 2 ? 24 : 12; x < img.cols; x += 24) {
      cv::circle(img, {x, y}, 2, cv::Scalar(22, 22, 24), cv::FILLED);
    }
  }
  // Holds; the blue one is where the climber's body is in the middle of the clip.
  cv::circle(img, {20 + kW / 2, 20 + 300}, 22, cv::Scalar(200, 85, 30), cv::FILLED);
  cv::circle(img, {20 + 60, 20 + 100}, 14, cv::Scalar(35, 30, 200), cv::FILLED);
  cv::circle(img, {20 + 420, 20 + 520}, 14, cv::Scalar(60, 160, 40), cv::FILLED);
  return img;
}

// Frame i: the wall seen by a camera moved by `shift`, and the climber painted over it.
cv::Mat Frame(const cv::Mat& wall, cv::Point shift, const domain::PoseFrame& pose) {
  cv::Mat frame = wall(cv::Rect(20 + shift.x, 20 + shift.y, kW, kH)).clone();
  auto at = [&](int i) {
    return cv::Point(static_cast<int>(pose.landmarks[i].x * kW),
                     static_cast<int>(pose.landmarks[i].y * kH));
  };
  const cv::Scalar shirt(235, 235, 235), trousers(30, 30, 35);
  const std::vector<cv::Point> torso = {at(11), at(12), at(24), at(23)};
  cv::fillConvexPoly(frame, torso, shirt);
  for (auto [a, b] : {std::pair{11, 13}, {13, 15}, {12, 14}, {14, 16}}) {
    cv::line(frame, at(a), at(b), shirt, 14);
  }
  for (auto [a, b] : {std::pair{23, 25}, {25, 27}, {24, 26}, {26, 28}}) {
    cv::line(frame, at(a), at(b), trousers, 18);
  }
  cv::circle(frame, (at(11) + at(12)) / 2 - cv::Point(0, 40), 22, cv::Scalar(60, 90, 140),
             cv::FILLED);
  return frame;
}

TEST(ClimberMask, CoversTheBodyAndNothingElse) {
  const domain::PoseFrame pose = Standing(0.5, 0);
  const cv::Mat1b mask = ClimberMask(pose, cv::Size(kW, kH));
  EXPECT_EQ(mask(static_cast<int>(0.47 * kH), kW / 2), 255);                       // torso
  EXPECT_EQ(mask(static_cast<int>(0.15 * kH), static_cast<int>(0.61 * kW)), 255);  // wrist
  EXPECT_EQ(mask(static_cast<int>(0.9 * kH), static_cast<int>(0.56 * kW)), 255);   // ankle
  EXPECT_EQ(mask(static_cast<int>(0.28 * kH), kW / 2), 255);                       // head
  EXPECT_EQ(mask(20, 20), 0);
  EXPECT_EQ(mask(kH - 20, kW - 20), 0);
  EXPECT_LT(cv::countNonZero(mask), kW * kH / 4);
  domain::PoseFrame none = pose;
  none.detected = false;
  EXPECT_EQ(cv::countNonZero(ClimberMask(none, cv::Size(kW, kH))), 0);
}

TEST(WallImage, RejectsBadInput) {
  EXPECT_FALSE(BuildWallImage({}, {}).ok());
  std::vector<cv::Mat> frames = {cv::Mat(kH, kW, CV_8UC3, cv::Scalar::all(0))};
  EXPECT_FALSE(BuildWallImage(frames, {}).ok());
  frames.push_back(cv::Mat(kH / 2, kW, CV_8UC3, cv::Scalar::all(0)));
  EXPECT_EQ(BuildWallImage(frames, {Standing(0.5, 0), Standing(0.5, 1)}).status().kind(),
            ErrorKind::kInvalidArgument);
}

TEST(WallImage, RemovesTheClimberFromAHandHeldClip) {
  const cv::Mat wall = CleanWall();
  std::vector<cv::Mat> frames;
  std::vector<domain::PoseFrame> poses;
  std::vector<cv::Point> shifts;
  const int n = 40;
  for (int i = 0; i < n; ++i) {
    const domain::PoseFrame pose = Standing(0.2 + 0.6 * i / (n - 1), i);
    const cv::Point shift(static_cast<int>(std::lround(4 * std::sin(i * 0.7))),
                          static_cast<int>(std::lround(3 * std::cos(i * 0.5))));
    frames.push_back(Frame(wall, shift, pose));
    poses.push_back(pose);
    shifts.push_back(shift);
  }
  WallImageOptions options;
  options.window_s = 3.0;
  auto built = BuildWallImage(frames, poses, options);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  ASSERT_GE(built->reference_frame, 0);
  EXPECT_GE(built->used.size(), 5u);
  const int r = built->reference_frame;
  const cv::Mat truth = wall(cv::Rect(20 + shifts[r].x, 20 + shifts[r].y, kW, kH));
  const cv::Mat1b body = ClimberMask(poses[r], cv::Size(kW, kH)) & (built->unseen == 0);
  ASSERT_GT(cv::countNonZero(body), 1000);
  cv::Mat diff_built, diff_frame;
  cv::absdiff(built->image, truth, diff_built);
  cv::absdiff(frames[r], truth, diff_frame);
  const double err_built = cv::mean(diff_built, body)[0];
  const double err_frame = cv::mean(diff_frame, body)[0];
  EXPECT_GT(err_frame, 30) << "the climber is in the reference frame";
  EXPECT_LT(err_built, 8) << "and gone from the wall image";

  // Every hold of the wall is found on the wall image, none on the climber.
  auto set = DetectHolds(built->image);
  ASSERT_TRUE(set.ok());
  int blue = 0;
  for (const Hold& h : set->holds) blue += h.colour == Colour::kBlue;
  EXPECT_EQ(blue, 1);
  EXPECT_EQ(set->holds.size(), 3u);
}

// A wall with texture (stains and specks, as plywood has): what features can be matched on.
cv::Mat TexturedWall() {
  cv::Mat img = CleanWall();
  cv::RNG rng(7);
  for (int i = 0; i < 900; ++i) {
    const cv::Point c(rng.uniform(0, img.cols), rng.uniform(0, img.rows));
    const int shade = rng.uniform(-45, 45);
    const cv::Scalar colour(95 + shade, 150 + shade, 190 + shade);
    cv::ellipse(img, c, cv::Size(rng.uniform(1, 6), rng.uniform(1, 4)), rng.uniform(0, 180), 0, 360,
                colour, cv::FILLED);
  }
  return img;
}

// The view of a camera that also turns and zooms: the homography taking a frame's pixels to the
// wall's.
cv::Matx33d View(int i) {
  const double angle = 0.035 * std::sin(i * 0.3), zoom = 1.0 + 0.06 * std::sin(i * 0.2);
  const double tilt = 0.00012 * std::cos(i * 0.25);
  const cv::Matx33d centre(1, 0, -kW / 2.0, 0, 1, -kH / 2.0, 0, 0, 1);
  const cv::Matx33d rot(zoom * std::cos(angle), -zoom * std::sin(angle), 0, zoom * std::sin(angle),
                        zoom * std::cos(angle), 0, tilt, 0, 1);
  const cv::Matx33d place(1, 0, 20 + kW / 2.0 + 5 * std::sin(i * 0.7), 0, 1,
                          20 + kH / 2.0 + 4 * std::cos(i * 0.5), 0, 0, 1);
  return place * rot * centre;
}

cv::Mat ViewOf(const cv::Mat& wall, int i) {
  cv::Mat out;
  cv::warpPerspective(wall, out, cv::Mat(View(i)), cv::Size(kW, kH),
                      cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  return out;
}

TEST(WallImage, AlignsACameraThatTurnsAndZooms) {
  const cv::Mat wall = TexturedWall();
  std::vector<cv::Mat> frames;
  std::vector<domain::PoseFrame> poses;
  const int n = 24;
  for (int i = 0; i < n; ++i) {
    const domain::PoseFrame pose = Standing(0.2 + 0.6 * i / (n - 1), i);
    // Paint the climber on the camera's view (Frame() crops; here the view is the whole frame).
    cv::Mat view = ViewOf(wall, i);
    cv::Mat padded(kH + 40, kW + 40, CV_8UC3, cv::Scalar::all(0));
    view.copyTo(padded(cv::Rect(20, 20, kW, kH)));
    frames.push_back(Frame(padded, {0, 0}, pose));
    poses.push_back(pose);
  }
  auto error_of = [&](bool homography, int* reference) {
    WallImageOptions options;
    options.homography = homography;
    auto built = BuildWallImage(frames, poses, options);
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    if (!built.ok()) return 1e9;
    *reference = built->reference_frame;
    if (homography) {
      EXPECT_GE(built->by_features, static_cast<int>(built->used.size()) - 1);
    }
    const cv::Mat truth = ViewOf(wall, built->reference_frame);
    // Away from the frame's border (pixels there come from fewer frames).
    cv::Mat1b inner = cv::Mat1b::zeros(kH, kW);
    inner(cv::Rect(40, 40, kW - 80, kH - 80)).setTo(255);
    inner &= built->unseen == 0;
    cv::Mat diff;
    cv::absdiff(built->image, truth, diff);
    return cv::mean(diff, inner)[0];
  };
  int reference = -1;
  const double with = error_of(true, &reference);
  ASSERT_GE(reference, 0);
  const double without = error_of(false, &reference);
  // Measured: 0.4 grey levels with the homography, 3.2 without.
  EXPECT_LT(with, 1.5) << "the wall image matches the reference view";
  EXPECT_GT(without, 2 * with + 1) << "a translation alone blurs a turning, zooming camera";
}

TEST(ClimberMask, CoversTheFeetAcrossTheShin) {
  // A side view: the shoe sticks out from the ankle, across the shin (here to the right).
  const domain::PoseFrame pose = Standing(0.5, 0);
  const cv::Mat1b mask = ClimberMask(pose, cv::Size(kW, kH));
  const int ankle_x = static_cast<int>(0.56 * kW), ankle_y = static_cast<int>(0.9 * kH);
  EXPECT_EQ(mask(ankle_y, ankle_x + 60), 255) << "the toe";
  EXPECT_EQ(mask(ankle_y - 90, ankle_x + 60), 0) << "beside the shin, above the foot";
  // With BlazePose's heel and toe landmarks the shoe is theirs.
  domain::PoseFrame full = pose;
  full.landmarks[domain::kLeftHeel] = {0.54, 0.92, 0, 1, 1};
  full.landmarks[domain::kLeftFootIndex] = {0.75, 0.91, 0, 1, 1};
  const cv::Mat1b with_toes = ClimberMask(full, cv::Size(kW, kH));
  EXPECT_EQ(with_toes(static_cast<int>(0.91 * kH), static_cast<int>(0.74 * kW)), 255);
  // A wider margin covers more.
  EXPECT_GT(cv::countNonZero(ClimberMask(pose, cv::Size(kW, kH), 0.15)), cv::countNonZero(mask));
}

TEST(DropHoldsOnTheBody, DropsHoldsMostlyOnTheBodyOnly) {
  HoldSet set;
  set.image_width = 100;
  set.image_height = 100;
  auto square = [](double x, double y) {
    Hold h;
    h.outline = {{x, y}, {x + 20, y}, {x + 20, y + 20}, {x, y + 20}};
    h.centre = {x + 10, y + 10};
    h.colour = Colour::kBlack;
    return h;
  };
  set.holds = {square(5, 5), square(40, 40), square(70, 70), square(40, 40)};
  set.holds.back().colour = Colour::kRed;  // coloured: kept, on the body or not
  cv::Mat1b body = cv::Mat1b::zeros(100, 100);
  body(cv::Rect(35, 35, 30, 30)).setTo(255);  // all of the second hold
  body(cv::Rect(70, 70, 6, 20)).setTo(255);   // under a third of the third one
  HoldSet copy = set;
  EXPECT_EQ(DropHoldsOnTheBody(&copy, body), 1);
  ASSERT_EQ(copy.holds.size(), 3u);
  EXPECT_EQ(copy.holds[0].centre.x, 15);
  EXPECT_EQ(copy.holds[1].centre.x, 80);
  EXPECT_EQ(copy.holds[2].colour, Colour::kRed);
  // A mask of another size, or none, drops nothing.
  copy = set;
  EXPECT_EQ(DropHoldsOnTheBody(&copy, cv::Mat1b::zeros(50, 100)), 0);
  EXPECT_EQ(DropHoldsOnTheBody(&copy, cv::Mat1b()), 0);
  EXPECT_EQ(copy.holds.size(), 4u);
  EXPECT_EQ(DropHoldsOnTheBody(nullptr, body), 0);
}

// Issue 13: no hold on the climber's body. The climber has a hold-coloured patch on the shin (a
// red knee pad) that sticks out past the pose's region, so masking each frame by its pose leaves
// a red crescent beside the shin. When the climber moves about, the wall image takes those pixels
// from the frames where the body is not even near, and no hold is reported there. When the
// climber rests in one place for all but two frames, the pixels are marked on_body: a colourless
// patch there (a black knee pad) is dropped; a coloured one would stay, as the holds the climber
// stands on do.
cv::Mat PatchWall() {
  cv::Mat wall(kH + 40, kW + 40, CV_8UC3, cv::Scalar(95, 150, 190));
  cv::circle(wall, {20 + 60, 20 + 100}, 14, cv::Scalar(35, 30, 200), cv::FILLED);
  cv::circle(wall, {20 + 420, 20 + 600}, 14, cv::Scalar(60, 160, 40), cv::FILLED);
  cv::circle(wall, {20 + 240, 20 + 40}, 14, cv::Scalar(30, 200, 230), cv::FILLED);
  return wall;
}

const cv::Point kPatch(static_cast<int>(0.56 * kW) + 24, static_cast<int>(0.825 * kH));

cv::Mat FrameWithPatch(const cv::Mat& wall, const domain::PoseFrame& pose, double cx,
                       const cv::Scalar& colour) {
  cv::Mat frame = Frame(wall, {0, 0}, pose);
  const cv::Point offset(static_cast<int>(std::lround((cx - 0.5) * kW)), 0);
  cv::circle(frame, kPatch + offset, 16, colour, cv::FILLED);
  return frame;
}

int NearPatch(const HoldSet& set) {
  int n = 0;
  for (const Hold& h : set.holds)
    n += std::hypot(h.centre.x - (kPatch.x + 8), h.centre.y - kPatch.y) < 24;
  return n;
}

void ExpectTheWallsHoldsOnly(const HoldSet& set) {
  int red = 0, green = 0, yellow = 0;
  for (const Hold& h : set.holds) {
    red += h.colour == Colour::kRed && std::hypot(h.centre.x - 60, h.centre.y - 100) < 10;
    green += h.colour == Colour::kGreen && std::hypot(h.centre.x - 420, h.centre.y - 600) < 10;
    yellow += h.colour == Colour::kYellow && std::hypot(h.centre.x - 240, h.centre.y - 40) < 10;
  }
  EXPECT_EQ(NearPatch(set), 0) << "no hold on the climber's shin";
  EXPECT_EQ(red, 1);
  EXPECT_EQ(green, 1);
  EXPECT_EQ(yellow, 1);
  EXPECT_EQ(set.holds.size(), 3u);
}

TEST(WallImage, AHoldColouredPatchOnALimbIsNotAHold) {
  const cv::Mat wall = PatchWall();
  const cv::Scalar red(35, 30, 200), black(25, 24, 28);
  // The case tested: masking a frame by its pose leaves the patch showing.
  for (const cv::Scalar& colour : {red, black}) {
    const domain::PoseFrame pose = Standing(0.5, 0);
    DetectorOptions one;
    one.exclude = ClimberMask(pose, cv::Size(kW, kH));
    auto set = DetectHolds(FrameWithPatch(wall, pose, 0.5, colour), one);
    ASSERT_TRUE(set.ok());
    ASSERT_GE(NearPatch(*set), 1) << "the patch sticks out of the pose's region";
  }
  for (const bool resting : {false, true}) {
    SCOPED_TRACE(resting ? "resting in one place" : "moving about");
    std::vector<cv::Mat> frames;
    std::vector<domain::PoseFrame> poses;
    for (int i = 0; i < 40; ++i) {
      // Moving: in the middle 7 frames out of 10, on either side in the others. Resting: in the
      // middle in all but two frames.
      const double cx = resting ? (i == 10   ? 0.18
                                   : i == 30 ? 0.82
                                             : 0.5)
                                : (i % 10 == 3   ? 0.18
                                   : i % 10 == 7 ? 0.82
                                   : i % 10 == 5 ? 0.25
                                                 : 0.5);
      const domain::PoseFrame pose = Standing(cx, i);
      frames.push_back(FrameWithPatch(wall, pose, cx, resting ? black : red));
      poses.push_back(pose);
    }
    auto built = BuildWallImage(frames, poses);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    int dropped = 0;
    auto set = DetectHoldsOnWall(*built, {}, &dropped);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    ExpectTheWallsHoldsOnly(*set);
    if (resting) {
      EXPECT_GE(dropped, 1) << "the patch is dropped as on the body";
    } else {
      // The crescent's pixels come from frames where the body is away: the wall's colour.
      const cv::Scalar there =
          cv::mean(built->image(cv::Rect(kPatch.x + 4, kPatch.y - 14, 10, 12)));
      EXPECT_LT(std::abs(there[2] - 190) + std::abs(there[1] - 150) + std::abs(there[0] - 95), 30)
          << there;
    }
  }
}

}  // namespace
}  // namespace ascension::vision::holds
