#include "vision/holds/detector.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "vision/holds/evaluation.hpp"
#include "vision/holds/palette_internal.hpp"
#include "vision/holds/synthetic_wall.hpp"

namespace ascension::vision::holds {
namespace {

// A plywood wall with a staggered grid of bolt holes and a panel seam, no hold.
cv::Mat BareWall(int w = 900, int h = 1200) {
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(95, 150, 190));
  for (int y = 20, row = 0; y < h; y += 36, ++row) {
    for (int x = row % 2 ? 36 : 18; x < w; x += 36) {
      cv::circle(img, {x, y}, 4, cv::Scalar(22, 22, 24), cv::FILLED, cv::LINE_AA);
    }
  }
  cv::line(img, {w / 3, 0}, {w / 3, h}, cv::Scalar(60, 80, 95), 2);
  return img;
}

TEST(Palette, CanonicalColoursHaveTheirNames) {
  const struct {
    Rgb rgb;
    Colour colour;
  } cases[] = {{{200, 30, 35}, Colour::kRed},     {{240, 120, 20}, Colour::kOrange},
               {{235, 205, 30}, Colour::kYellow}, {{40, 160, 60}, Colour::kGreen},
               {{30, 85, 200}, Colour::kBlue},    {{110, 50, 160}, Colour::kPurple},
               {{240, 110, 175}, Colour::kPink},  {{25, 25, 28}, Colour::kBlack},
               {{235, 232, 228}, Colour::kWhite}, {{128, 128, 128}, Colour::kGrey}};
  for (const auto& c : cases) {
    EXPECT_EQ(ClassifyColour(c.rgb), c.colour) << c.rgb.r << "," << c.rgb.g << "," << c.rgb.b
                                               << " -> " << ColourName(ClassifyColour(c.rgb));
  }
}

TEST(Palette, NamesRoundTrip) {
  for (Colour c : kAllColours) EXPECT_EQ(ParseColour(ColourName(c)), c);
  EXPECT_FALSE(ParseColour("Blue").has_value());
  EXPECT_FALSE(ParseColour("").has_value());
  EXPECT_TRUE(IsChromatic(Colour::kPink));
  EXPECT_FALSE(IsChromatic(Colour::kGrey));
  for (SizeClass s : {SizeClass::kFootChip, SizeClass::kSmall, SizeClass::kMedium,
                      SizeClass::kLarge, SizeClass::kVolume}) {
    EXPECT_EQ(ParseSizeClass(SizeClassName(s)), s);
  }
}

TEST(Palette, SizeClassesFollowTheEquivalentDiameter) {
  auto area = [](double fraction) { return M_PI / 4 * std::pow(fraction * 1000, 2); };
  EXPECT_EQ(ClassifySize(area(0.015), 1000, 750), SizeClass::kFootChip);
  EXPECT_EQ(ClassifySize(area(0.03), 1000, 750), SizeClass::kSmall);
  EXPECT_EQ(ClassifySize(area(0.05), 750, 1000), SizeClass::kMedium);
  EXPECT_EQ(ClassifySize(area(0.09), 1000, 750), SizeClass::kLarge);
  EXPECT_EQ(ClassifySize(area(0.2), 1000, 750), SizeClass::kVolume);
  EXPECT_EQ(ClassifySize(0, 1000, 750), SizeClass::kFootChip);
}

TEST(Detector, RejectsBadInput) {
  EXPECT_EQ(DetectHolds(cv::Mat()).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(DetectHolds(cv::Mat(100, 100, CV_8UC1)).status().kind(), ErrorKind::kInvalidArgument);
  DetectorOptions bad_mask;
  bad_mask.exclude = cv::Mat1b::zeros(10, 10);
  EXPECT_EQ(DetectHolds(BareWall(), bad_mask).status().kind(), ErrorKind::kInvalidArgument);
}

TEST(Detector, BoltHolesAndSeamsAreNotHolds) {
  auto set = DetectHolds(BareWall());
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->holds.empty()) << set->holds.size() << " holds on a bare wall";
}

TEST(Detector, FindsEachHoldWithItsColourSizeAndPlace) {
  cv::Mat img = BareWall();
  cv::circle(img, {200, 200}, 40, cv::Scalar(200, 85, 30), cv::FILLED);  // blue, large
  cv::circle(img, {600, 300}, 16, cv::Scalar(35, 30, 200), cv::FILLED);  // red, small
  cv::ellipse(img, {450, 800}, {60, 25}, 30, 0, 360, cv::Scalar(60, 160, 40), cv::FILLED);
  cv::circle(img, {700, 1000}, 9, cv::Scalar(30, 205, 235), cv::FILLED);  // yellow foot chip
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 4u);
  EXPECT_EQ(set->image_width, 900);
  EXPECT_EQ(set->image_height, 1200);
  // Ordered top to bottom.
  const Hold& blue = set->holds[0];
  EXPECT_EQ(blue.colour, Colour::kBlue);
  EXPECT_NEAR(blue.centre.x, 200, 3);
  EXPECT_NEAR(blue.centre.y, 200, 3);
  EXPECT_NEAR(blue.area_px, M_PI * 40 * 40, 0.12 * M_PI * 40 * 40);
  EXPECT_EQ(blue.size, SizeClass::kMedium);  // 80 px of 1200: 6.7 %
  EXPECT_NEAR(blue.box.width, 80, 6);
  EXPECT_NEAR(blue.box_normalised.x, blue.box.x / 900, 1e-9);
  EXPECT_NEAR(blue.box_normalised.height, blue.box.height / 1200, 1e-9);
  EXPECT_GE(blue.outline.size(), 3u);
  EXPECT_GT(blue.confidence, 0.8);
  EXPECT_GT(blue.measured.b, blue.measured.r);
  EXPECT_EQ(set->holds[1].colour, Colour::kRed);
  EXPECT_EQ(set->holds[1].size, SizeClass::kSmall);
  EXPECT_EQ(set->holds[2].colour, Colour::kGreen);
  EXPECT_EQ(set->holds[3].colour, Colour::kYellow);
  EXPECT_EQ(set->holds[3].size, SizeClass::kFootChip);
}

TEST(Detector, SplitsTwoTouchingHoldsOfOneColour) {
  cv::Mat img = BareWall();
  cv::circle(img, {400, 500}, 45, cv::Scalar(60, 160, 40), cv::FILLED);
  cv::circle(img, {475, 500}, 40, cv::Scalar(60, 160, 40), cv::FILLED);
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 2u);
  EXPECT_LT(set->holds[0].centre.x, 430);
  EXPECT_GT(set->holds[1].centre.x, 450);
}

TEST(Detector, SplitsTouchingHoldsOfTwoColours) {
  cv::Mat img = BareWall();
  cv::circle(img, {400, 500}, 40, cv::Scalar(200, 85, 30), cv::FILLED);
  cv::circle(img, {470, 500}, 35, cv::Scalar(30, 205, 235), cv::FILLED);
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 2u);
  EXPECT_NE(set->holds[0].colour, set->holds[1].colour);
}

TEST(Detector, DonutIsOneHold) {
  cv::Mat img = BareWall();
  cv::circle(img, {450, 600}, 70, cv::Scalar(200, 85, 30), cv::FILLED);
  cv::circle(img, {450, 600}, 18, cv::Scalar(70, 40, 20), cv::FILLED);
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 1u);
  EXPECT_EQ(set->holds[0].colour, Colour::kBlue);
}

TEST(Detector, ExcludedRegionHoldsNoHold) {
  cv::Mat img = BareWall();
  cv::circle(img, {200, 200}, 30, cv::Scalar(200, 85, 30), cv::FILLED);
  cv::circle(img, {600, 800}, 30, cv::Scalar(35, 30, 200), cv::FILLED);
  DetectorOptions options;
  options.exclude = cv::Mat1b::zeros(img.size());
  cv::rectangle(options.exclude, cv::Rect(500, 650, 250, 300), cv::Scalar(255), cv::FILLED);
  auto set = DetectHolds(img, options);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 1u);
  EXPECT_EQ(set->holds[0].colour, Colour::kBlue);
}

TEST(Detector, UnevenLightDoesNotMakeHolds) {
  cv::Mat img = BareWall();
  cv::circle(img, {450, 100}, 30, cv::Scalar(35, 30, 200), cv::FILLED);
  for (int y = 0; y < img.rows; ++y) {
    const double gain = 0.45 + 0.9 * y / img.rows;  // dark top, bright bottom
    img.row(y).convertTo(img.row(y), -1, gain);
  }
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 1u);
  EXPECT_EQ(set->holds[0].colour, Colour::kRed);
}

TEST(Detector, LargePhotoIsProcessedAtWorkingSizeAndScaledBack) {
  cv::Mat img;
  cv::resize(BareWall(), img, cv::Size(), 3, 3, cv::INTER_NEAREST);
  cv::circle(img, {1500, 1800}, 120, cv::Scalar(200, 85, 30), cv::FILLED);
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 1u);
  EXPECT_NEAR(set->holds[0].centre.x, 1500, 6);
  EXPECT_NEAR(set->holds[0].centre.y, 1800, 6);
  EXPECT_NEAR(set->holds[0].box.width, 240, 12);
}

// A dim plywood wall (L* ~31, a faint warm hue) with sensor noise and bolt holes, as the top of the
// sample video's frames: its holds are dark and barely coloured.
cv::Mat DimWall(int w = 480, int h = 640) {
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(60, 72, 82));
  for (int y = 14, row = 0; y < h; y += 24, ++row) {
    for (int x = row % 2 ? 24 : 12; x < w; x += 24) {
      cv::circle(img, {x, y}, 2, cv::Scalar(20, 20, 22), cv::FILLED, cv::LINE_AA);
    }
  }
  cv::Mat noise(img.size(), CV_16SC3);
  cv::theRNG().state = 7;
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(2.5));
  cv::Mat out;
  img.convertTo(out, CV_16SC3);
  out += noise;
  out.convertTo(img, CV_8UC3);
  return img;
}

TEST(Palette, DarkRedAndDarkPinkOfTheSampleClip) {
  // Measured on the labelled frames: a dark red hold at hue 6 degrees, dark pink ones at 332-350.
  EXPECT_EQ(internal::ClassifyLab(34, 20, 2), Colour::kRed);
  EXPECT_EQ(internal::ClassifyLab(33, 21, -11), Colour::kPink);
  EXPECT_EQ(internal::ClassifyLab(27, 24, -4), Colour::kPink);
  // Below the achromatic chroma, ClassifyHue still names the hue.
  EXPECT_EQ(internal::ClassifyLab(40, -7, 4), Colour::kGrey);
  EXPECT_EQ(internal::ClassifyHue(25, -7, 4), Colour::kGreen);
  EXPECT_EQ(internal::ClassifyHue(24, -1, -8), Colour::kBlue);
}

TEST(Detector, DarkHoldsOfLowChromaOnADimWall) {
  // Their pixels are within the strong test's distance of the wall (chroma ~8, a*b* distance ~9):
  // found as regions whose mean colour stands out from the wall around them.
  cv::Mat img = DimWall();
  cv::circle(img, {120, 150}, 22, cv::Scalar(52, 62, 50), cv::FILLED);  // dark green
  cv::ellipse(img, {340, 420}, {14, 30}, 20, 0, 360, cv::Scalar(72, 58, 56), cv::FILLED);  // blue
  auto bare = DetectHolds(DimWall());
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->holds.empty()) << bare->holds.size() << " holds on a bare dim wall";
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 2u);
  EXPECT_EQ(set->holds[0].colour, Colour::kGreen);
  EXPECT_NEAR(set->holds[0].centre.x, 120, 4);
  EXPECT_NEAR(set->holds[0].centre.y, 150, 4);
  EXPECT_EQ(set->holds[1].colour, Colour::kBlue);
  EXPECT_NEAR(set->holds[1].centre.x, 340, 4);
}

TEST(Detector, ADarkHoldCutByThePhotosEdgeIsNotJudged) {
  // The same dark green, once inside the photo and once cut by its top edge: the region test
  // needs a ring of wall all round it, so only the whole one is a hold (a sliver at the edge was
  // taken for the top of the wall photo's blue route, which then had no beta).
  cv::Mat img = DimWall();
  cv::circle(img, {120, 150}, 22, cv::Scalar(52, 62, 50), cv::FILLED);
  cv::circle(img, {300, 8}, 22, cv::Scalar(52, 62, 50), cv::FILLED);
  auto set = DetectHolds(img);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->holds.size(), 1u);
  EXPECT_NEAR(set->holds[0].centre.x, 120, 4);
  EXPECT_NEAR(set->holds[0].centre.y, 150, 4);
}

TEST(Detector, SyntheticWallIsReadAlmostPerfectly) {
  const LabelledImage wall = GenerateSyntheticWall(4242, 900, 1200, "two_panels", 0.5);
  auto img = RenderSyntheticWall(wall);
  ASSERT_TRUE(img.ok());
  auto set = DetectHolds(*img);
  ASSERT_TRUE(set.ok());
  const Evaluation e = Evaluate(*set, wall.holds);
  EXPECT_GE(e.coloured.precision(), 0.9);
  EXPECT_GE(e.coloured.recall(), 0.9);
}

}  // namespace
}  // namespace ascension::vision::holds
