#include <gtest/gtest.h>

#include "vision/video/video_reader.hpp"
#include "vision/video/video_writer.hpp"

extern "C" {
#include <libavutil/display.h>
}

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace ascension::vision {
namespace {

namespace fs = std::filesystem;

// A temporary directory removed with its contents when the test ends.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("asc-vision-test-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

 private:
  fs::path path_;
};

const std::string kExample = std::string(ASCENSION_TEST_DATA_DIR) + "/example-2.mp4";

std::string OpenError(const std::string& path, VideoReaderOptions options = {}) {
  std::string code;
  auto r = VideoReader::Open(path, options, &code);
  if (r.ok()) {
    VideoFrame frame;
    while (true) {
      auto more = (*r)->Next(&frame, &code);
      if (!more.ok()) return code;
      if (!*more) return "ok";
    }
  }
  return code;
}

TEST(RotationTest, DisplayMatrix) {
  std::int32_t m[9];
  av_display_rotation_set(m, 0);
  EXPECT_EQ(RotationFromDisplayMatrix(m), 0);
  // The matrix a phone writes for a portrait clip (the "rotate=90" tag): turn 90 degrees clockwise.
  const std::int32_t portrait[9] = {0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30};
  EXPECT_EQ(RotationFromDisplayMatrix(portrait), 90);
  const std::int32_t upside_down[9] = {-65536, 0, 0, 0, -65536, 0, 0, 0, 1 << 30};
  EXPECT_EQ(RotationFromDisplayMatrix(upside_down), 180);
  const std::int32_t left[9] = {0, -65536, 0, 65536, 0, 0, 0, 0, 1 << 30};
  EXPECT_EQ(RotationFromDisplayMatrix(left), 270);
  av_display_rotation_set(m, 30);  // not a multiple of 90: ignored
  EXPECT_EQ(RotationFromDisplayMatrix(m), 0);
  EXPECT_EQ(RotationFromDisplayMatrix(nullptr), 0);
}

TEST(RotationTest, RotatesPixelsClockwise) {
  // 2 rows x 3 cols, single channel values 0..5.
  cv::Mat src = (cv::Mat_<std::uint8_t>(2, 3) << 0, 1, 2, 3, 4, 5);
  cv::Mat r90, r180, r270;
  RotateClockwise(src, 90, &r90);
  ASSERT_EQ(r90.rows, 3);
  ASSERT_EQ(r90.cols, 2);
  EXPECT_EQ(r90.at<std::uint8_t>(0, 0), 3);  // bottom-left goes to top-left
  EXPECT_EQ(r90.at<std::uint8_t>(0, 1), 0);
  RotateClockwise(src, 180, &r180);
  EXPECT_EQ(r180.at<std::uint8_t>(0, 0), 5);
  RotateClockwise(src, 270, &r270);
  EXPECT_EQ(r270.at<std::uint8_t>(0, 0), 2);  // top-right goes to top-left
}

// Writes a clip of 64x32 coded frames, white in the top-left 16x16 corner, black elsewhere, with
// the given rotation metadata.
std::string WriteMarkedClip(const TempDir& dir, const std::string& name, int rotation,
                            int frames = 10, double fps = 30) {
  const std::string path = dir.Write(name, "");
  auto writer = VideoWriter::Open(path, 64, 32, fps, rotation);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return path;
  cv::Mat img(32, 64, CV_8UC3, cv::Scalar(0, 0, 0));
  img(cv::Rect(0, 0, 16, 16)).setTo(cv::Scalar(255, 255, 255));
  for (int i = 0; i < frames; ++i) EXPECT_TRUE((*writer)->Write(img).ok());
  EXPECT_TRUE((*writer)->Finish().ok());
  return path;
}

TEST(VideoReaderTest, HonoursRotationMetadata) {
  TempDir dir;
  struct Case {
    int rotation;
    int width, height;  // upright
    cv::Point marker;   // where the white corner must end up
  };
  for (const Case& c : {Case{0, 64, 32, {4, 4}}, Case{90, 32, 64, {27, 4}},
                        Case{180, 64, 32, {59, 27}}, Case{270, 32, 64, {4, 59}}}) {
    const std::string path =
        WriteMarkedClip(dir, "rot" + std::to_string(c.rotation) + ".mp4", c.rotation);
    std::string code;
    auto r = VideoReader::Open(path, {}, &code);
    ASSERT_TRUE(r.ok()) << code << " " << r.status().ToString();
    EXPECT_EQ((*r)->info().rotation_degrees, c.rotation);
    EXPECT_EQ((*r)->info().width, c.width);
    EXPECT_EQ((*r)->info().height, c.height);
    VideoFrame frame;
    ASSERT_TRUE(*(*r)->Next(&frame, &code));
    ASSERT_EQ(frame.rgb.cols, c.width);
    ASSERT_EQ(frame.rgb.rows, c.height);
    EXPECT_GT(frame.rgb.at<cv::Vec3b>(c.marker)[0], 200) << "rotation " << c.rotation;
    // The opposite corner stays dark.
    const cv::Point opposite(c.width - 1 - c.marker.x, c.height - 1 - c.marker.y);
    EXPECT_LT(frame.rgb.at<cv::Vec3b>(opposite)[0], 50) << "rotation " << c.rotation;
  }
}

TEST(VideoReaderTest, SamplesHighFrameRates) {
  TempDir dir;
  // 60 frames at 60 fps -> 30 frames at most 30 fps, indices 0, 2, 4, ...
  const std::string path = WriteMarkedClip(dir, "fast.mp4", 0, 60, 60);
  std::string code;
  auto r = VideoReader::Open(path, {}, &code);
  ASSERT_TRUE(r.ok());
  VideoFrame frame;
  std::vector<int> indices;
  while (*(*r)->Next(&frame, &code)) indices.push_back(frame.index);
  ASSERT_EQ(indices.size(), 30u);
  EXPECT_EQ(indices[1], 2);
  EXPECT_EQ(indices.back(), 58);
}

TEST(VideoReaderTest, VariableFrameRateSampledOnPresentationTime) {
  TempDir dir;
  const std::string path = dir.Write("vfr.mp4", "");
  {
    auto writer = VideoWriter::Open(path, 64, 32, 1000);  // time unit: 1 ms
    ASSERT_TRUE(writer.ok());
    cv::Mat img(32, 64, CV_8UC3, cv::Scalar(40, 40, 40));
    // A burst at 100 fps, then a 10 fps stretch, then a burst again.
    for (std::int64_t ms : {0, 10, 20, 30, 100, 200, 300, 310, 320, 330, 340}) {
      ASSERT_TRUE((*writer)->Write(img, ms).ok());
    }
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  std::string code;
  auto r = VideoReader::Open(path, {}, &code);  // at most 30 fps: one frame per 33 ms
  ASSERT_TRUE(r.ok()) << code;
  VideoFrame frame;
  std::vector<int> indices;
  while (true) {
    auto more = (*r)->Next(&frame, &code);
    ASSERT_TRUE(more.ok()) << code;
    if (!*more) break;
    indices.push_back(frame.index);
  }
  // 0, 30, 100, 200, 300 ms, then 320 ms: after a gap the schedule restarts 0.8 interval after the
  // kept frame, and a frame up to 0.2 interval early is taken (jitter tolerance).
  EXPECT_EQ(indices, (std::vector<int>{0, 3, 4, 5, 6, 8}));
}

TEST(VideoReaderTest, EmptyFile) {
  TempDir dir;
  EXPECT_EQ(OpenError(dir.Write("empty.mp4", "")), "empty_file");
}

TEST(VideoReaderTest, TextFileNamedMp4) {
  TempDir dir;
  EXPECT_EQ(OpenError(dir.Write("notes.mp4", "this is a shopping list, not a video\n")),
            "not_a_video");
}

TEST(VideoReaderTest, RandomBytes) {
  TempDir dir;
  std::mt19937 rng(42);
  std::string bytes(200000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  EXPECT_EQ(OpenError(dir.Write("random.mp4", bytes)), "not_a_video");
}

TEST(VideoReaderTest, HugeDeclaredResolution) {
  TempDir dir;
  // A YUV4MPEG2 header declaring 10000x6000 frames: refused from the header, before decoding.
  EXPECT_EQ(OpenError(dir.Write("huge.y4m",
                                "YUV4MPEG2 W10000 H6000 F30:1 Ip A1:1 C420jpeg\n"
                                "FRAME\n" +
                                    std::string(4096, '\x80'))),
            "unsupported_dimensions");
  EXPECT_EQ(OpenError(dir.Write("wide.y4m", "YUV4MPEG2 W9000 H16 F30:1 Ip A1:1 C420jpeg\nFRAME\n" +
                                                std::string(9000 * 16 * 3 / 2, '\x80'))),
            "unsupported_dimensions");
  EXPECT_EQ(
      OpenError(dir.Write("square.y4m", "YUV4MPEG2 W8000 H8000 F30:1 Ip A1:1 C420jpeg\nFRAME\n" +
                                            std::string(4096, '\x80'))),
      "unsupported_dimensions");  // each side allowed, 64 megapixels not
}

TEST(VideoReaderTest, TooLongByTimestamps) {
  TempDir dir;
  // 16x16 frames at one frame per 100 s: no duration in the header, caught while decoding.
  std::string y4m = "YUV4MPEG2 W16 H16 F1:100 Ip A1:1 C420jpeg\n";
  for (int i = 0; i < 5; ++i) y4m += "FRAME\n" + std::string(16 * 16 * 3 / 2, '\x80');
  EXPECT_EQ(OpenError(dir.Write("slow.y4m", y4m)), "video_too_long");
  VideoReaderOptions relaxed;
  relaxed.max_duration_s = 1000;
  EXPECT_EQ(OpenError(dir.Write("slow2.y4m", y4m), relaxed), "ok");
}

// Found by fuzz/video_reader (the input is kept in its corpus): a copy of the clip whose header
// declares 1.1e12 s; the refusal's message converted that to int (undefined). It is refused with
// its code and the duration written out whole.
TEST(VideoReaderTest, AbsurdDeclaredDurationIsTooLong) {
  const std::string path =
      std::string(ASCENSION_FUZZ_CORPUS_DIR) + "/video_reader/crash-duration-overflows-int";
  ASSERT_TRUE(fs::exists(path)) << path;
  VideoReaderOptions o;
  o.max_duration_s = 60;
  std::string code;
  auto r = VideoReader::Open(path, o, &code);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(code, "video_too_long");
  EXPECT_NE(r.status().message().find("the video lasts 1099511"), std::string::npos)
      << r.status().message();
}

TEST(VideoReaderTest, ExampleVideo) {
  if (!fs::exists(kExample)) GTEST_FAIL() << "test data not found at " << kExample;
  std::string code;
  auto r = VideoReader::Open(kExample, {}, &code);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->info().width, 480);
  EXPECT_EQ((*r)->info().height, 854);
  EXPECT_EQ((*r)->info().rotation_degrees, 0);
  VideoFrame frame;
  int n = 0;
  std::int64_t last_ts = -1;
  while (true) {
    auto more = (*r)->Next(&frame, &code);
    ASSERT_TRUE(more.ok()) << code;
    if (!*more) break;
    EXPECT_EQ(frame.index, n);
    EXPECT_EQ(frame.timestamp_ms, static_cast<std::int64_t>(n * 1000 / (*r)->info().fps));
    EXPECT_GT(frame.timestamp_ms, last_ts);
    last_ts = frame.timestamp_ms;
    EXPECT_EQ(frame.rgb.cols, 480);
    EXPECT_EQ(frame.rgb.rows, 854);
    ++n;
  }
  EXPECT_EQ(n, 309);
  EXPECT_EQ(last_ts, 10281);  // the reference's last timestamp
}

TEST(VideoReaderTest, SamplingAndScaling) {
  if (!fs::exists(kExample)) GTEST_FAIL() << "test data not found";
  VideoReaderOptions o;
  o.max_fps = 10;
  o.max_width = 240;
  std::string code;
  auto r = VideoReader::Open(kExample, o, &code);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->output_width(), 240);
  EXPECT_EQ((*r)->output_height(), 427);
  VideoFrame frame;
  int n = 0;
  while (*(*r)->Next(&frame, &code)) ++n;
  EXPECT_NEAR(n, 103, 2);  // 10.3 s at 10 fps
}

TEST(VideoReaderTest, TruncatedMp4) {
  if (!fs::exists(kExample)) GTEST_FAIL() << "test data not found";
  std::ifstream in(kExample, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  TempDir dir;
  for (double keep : {0.5, 0.1, 0.01}) {
    const auto cut = bytes.substr(0, static_cast<std::size_t>(bytes.size() * keep));
    EXPECT_EQ(OpenError(dir.Write("cut.mp4", cut)), "corrupt_video") << "kept " << keep;
  }
}

TEST(VideoReaderTest, DurationLimitFromHeader) {
  if (!fs::exists(kExample)) GTEST_FAIL() << "test data not found";
  VideoReaderOptions o;
  o.max_duration_s = 5;
  EXPECT_EQ(OpenError(kExample, o), "video_too_long");
}

}  // namespace
}  // namespace ascension::vision

namespace ascension::vision {
namespace {

// Skip() takes the same frames as Next() (indices, timestamps, sampling), without converting
// them: a reader that skips the first frames then reads gives exactly the frames a straight read
// gives at the same indices.
TEST(VideoReaderTest, SkipThenNextMatchesStraightRead) {
  if (!fs::exists(kExample)) GTEST_FAIL() << "test data not found";
  VideoReaderOptions o;
  o.max_fps = 15;  // sampling in play: every other frame
  std::string code;
  auto straight = VideoReader::Open(kExample, o, &code);
  auto skipping = VideoReader::Open(kExample, o, &code);
  ASSERT_TRUE(straight.ok() && skipping.ok());
  VideoFrame a, b;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(*(*straight)->Next(&a, &code));
    ASSERT_TRUE(*(*skipping)->Skip(&b, &code));
    EXPECT_EQ(a.index, b.index);
    EXPECT_EQ(a.timestamp_ms, b.timestamp_ms);
  }
  EXPECT_TRUE(b.rgb.empty());  // nothing converted
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(*(*straight)->Next(&a, &code));
    ASSERT_TRUE(*(*skipping)->Next(&b, &code));
    ASSERT_EQ(a.index, b.index);
    ASSERT_EQ(a.rgb.size(), b.rgb.size());
    EXPECT_EQ(cv::norm(a.rgb, b.rgb, cv::NORM_INF), 0.0) << "frame " << a.index;
  }
  // Skipping to the end reports the end like Next does.
  int left = 0;
  while (true) {
    auto more = (*skipping)->Skip(&b, &code);
    ASSERT_TRUE(more.ok()) << code;
    if (!*more) break;
    ++left;
  }
  EXPECT_GT(left, 50);
}

}  // namespace
}  // namespace ascension::vision
