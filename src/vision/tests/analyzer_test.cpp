// PoseAnalyzer end to end with the lite model on tiny clips (skipped when the models are absent).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "vision/pose_analyzer.hpp"
#include "vision/video/video_writer.hpp"

namespace ascension::vision {
namespace {

namespace fs = std::filesystem;

const std::string kModels = ASCENSION_TEST_MODELS_DIR;
const std::string kExample = std::string(ASCENSION_TEST_DATA_DIR) + "/example-2.mp4";

class AnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kModels + "/pose_landmark_lite.tflite")) {
      GTEST_FAIL() << "models not fetched (scripts/fetch-models.sh)";
    }
    AnalyzerOptions o;
    o.models_dir = kModels;
    o.model = ModelVariant::kLite;
    auto a = PoseAnalyzer::Load(o);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    analyzer_ = std::move(*a);
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("asc-analyzer-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  std::unique_ptr<PoseAnalyzer> analyzer_;
  fs::path dir_;
};

TEST_F(AnalyzerTest, EmptySceneIsNoClimberFound) {
  const std::string path = (dir_ / "wall.mp4").string();
  auto writer = VideoWriter::Open(path, 160, 240, 30);
  ASSERT_TRUE(writer.ok());
  cv::Mat grey(240, 160, CV_8UC3, cv::Scalar(90, 90, 90));
  for (int i = 0; i < 15; ++i) ASSERT_TRUE((*writer)->Write(grey).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  std::string code;
  auto r = analyzer_->Analyze(path, {}, &code);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(code, "no_climber_found");
}

TEST_F(AnalyzerTest, CancelFromProgress) {
  if (!fs::exists(kExample)) GTEST_FAIL() << "test data not found";
  int calls = 0;
  std::string code;
  auto r = analyzer_->Analyze(
      kExample, [&](double) { return ++calls < 3; }, &code);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(code, "cancelled");
  EXPECT_EQ(r.status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(calls, 3);
}

TEST_F(AnalyzerTest, BadInputCodesAndReuse) {
  std::string code;
  EXPECT_FALSE(analyzer_->Analyze((dir_ / "missing.mp4").string(), {}, &code).ok());
  EXPECT_EQ(code, "internal");  // a missing file is the caller's problem, not the upload's
  const auto empty = (dir_ / "empty.mov").string();
  std::ofstream(empty).flush();
  EXPECT_FALSE(analyzer_->Analyze(empty, {}, &code).ok());
  EXPECT_EQ(code, "empty_file");
}

TEST(AnalyzerLoadTest, MissingModels) {
  AnalyzerOptions o;
  o.models_dir = "/nonexistent";
  auto a = PoseAnalyzer::Load(o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().kind(), ErrorKind::kNotFound);
  o.threads = 0;
  EXPECT_EQ(PoseAnalyzer::Load(o).status().kind(), ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace ascension::vision

namespace ascension::vision {
namespace {

// Two segments analysed at once give the same frames as one run; the first segment's frames are
// bit for bit those of one run (the cut only changes the frames after it), and progress and
// cancellation still come to the caller's thread.
TEST(SegmentedAnalyzerTest, TwoSegmentsCoverTheClipLikeOneRun) {
  if (!fs::exists(kModels + "/pose_landmark_lite.tflite") || !fs::exists(kExample)) {
    GTEST_FAIL() << "models or test data not found";
  }
  AnalyzerOptions o;
  o.models_dir = kModels;
  o.model = ModelVariant::kLite;
  auto one = PoseAnalyzer::Load(o);
  o.threads = 2;
  auto two = PoseAnalyzer::Load(o);
  ASSERT_TRUE(one.ok() && two.ok());
  std::string code;
  auto a = (*one)->Analyze(kExample, {}, &code);
  const auto caller = std::this_thread::get_id();
  bool progress_on_caller = true;
  double last = 0;
  auto b = (*two)->Analyze(
      kExample,
      [&](double f) {
        progress_on_caller = progress_on_caller && std::this_thread::get_id() == caller;
        EXPECT_GE(f, last);
        last = f;
        return true;
      },
      &code);
  ASSERT_TRUE(a.ok() && b.ok()) << code;
  EXPECT_EQ((*one)->last_timings().segments, 1);
  EXPECT_EQ((*two)->last_timings().segments, 2);
  EXPECT_TRUE(progress_on_caller);
  EXPECT_EQ(last, 1.0);
  ASSERT_EQ(a->frames.size(), b->frames.size());
  std::size_t identical = 0;
  for (std::size_t i = 0; i < a->frames.size(); ++i) {
    ASSERT_EQ(a->frames[i].frame, b->frames[i].frame);
    ASSERT_EQ(a->frames[i].timestamp_ms, b->frames[i].timestamp_ms);
    bool same = a->frames[i].detected == b->frames[i].detected;
    for (int l = 0; l < domain::kLandmarkCount && same; ++l) {
      same = a->frames[i].landmarks[l].x == b->frames[i].landmarks[l].x &&
             a->frames[i].landmarks[l].z == b->frames[i].landmarks[l].z;
    }
    if (!same) break;
    ++identical;
  }
  // The cut is in the middle (309 frames): everything before it is identical.
  EXPECT_GE(identical, a->frames.size() / 2 - 1);
  EXPECT_LT(identical, a->frames.size());  // and the second segment did start afresh

  int calls = 0;
  auto cancelled = (*two)->Analyze(
      kExample, [&](double) { return ++calls < 3; }, &code);
  EXPECT_FALSE(cancelled.ok());
  EXPECT_EQ(code, "cancelled");
  EXPECT_EQ(calls, 3);
}

TEST(SegmentedAnalyzerTest, EmptySceneOnTwoSegmentsIsNoClimberFound) {
  if (!fs::exists(kModels + "/pose_detection.tflite")) GTEST_FAIL() << "models not fetched";
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("asc-seg-test-" + std::to_string(rd()));
  fs::create_directories(dir);
  const std::string path = (dir / "wall.mp4").string();
  {
    auto writer = VideoWriter::Open(path, 96, 128, 30);
    ASSERT_TRUE(writer.ok());
    cv::Mat grey(128, 96, CV_8UC3, cv::Scalar(90, 90, 90));
    for (int i = 0; i < 260; ++i) ASSERT_TRUE((*writer)->Write(grey).ok());
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  AnalyzerOptions o;
  o.models_dir = kModels;
  o.model = ModelVariant::kLite;
  o.threads = 2;
  auto analyzer = PoseAnalyzer::Load(o);
  ASSERT_TRUE(analyzer.ok());
  std::string code;
  auto r = (*analyzer)->Analyze(path, {}, &code);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(code, "no_climber_found");
  EXPECT_EQ((*analyzer)->last_timings().segments, 2);
  std::error_code ec;
  fs::remove_all(dir, ec);
  o.threads = kMaxThreads + 1;
  EXPECT_EQ(PoseAnalyzer::Load(o).status().kind(), ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace ascension::vision
