// PoseAnalyzer end to end with the lite model on tiny clips (skipped when the models are absent).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

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
