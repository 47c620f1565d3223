#include "vision/holds/image_io.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace ascension::vision::holds {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes Encode(const char* ext, int w, int h) {
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(40, 120, 200));
  Bytes out;
  EXPECT_TRUE(cv::imencode(ext, img, out));
  return out;
}

std::string CodeOf(const Bytes& bytes, const ImageLimits& limits = {}) {
  std::string code;
  auto r = DecodeImage(bytes, limits, &code);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidArgument);
  return code;
}

TEST(ImageIo, DecodesJpegPngAndWebp) {
  for (const char* ext : {".jpg", ".png", ".webp"}) {
    std::string code;
    auto img = DecodeImage(Encode(ext, 120, 90), {}, &code);
    ASSERT_TRUE(img.ok()) << ext << ": " << img.status().ToString();
    EXPECT_EQ(img->cols, 120) << ext;
    EXPECT_EQ(img->rows, 90) << ext;
    EXPECT_EQ(img->type(), CV_8UC3) << ext;
  }
}

TEST(ImageIo, ReadsTheStoredSizeFromEachHeader) {
  const struct {
    const char* ext;
    ImageFormat format;
  } cases[] = {
      {".jpg", ImageFormat::kJpeg}, {".png", ImageFormat::kPng}, {".webp", ImageFormat::kWebp}};
  for (const auto& c : cases) {
    std::string code;
    auto h = ReadImageHeader(Encode(c.ext, 333, 77), {}, &code);
    ASSERT_TRUE(h.ok()) << c.ext;
    EXPECT_EQ(h->format, c.format);
    EXPECT_EQ(h->width, 333) << c.ext;
    EXPECT_EQ(h->height, 77) << c.ext;
  }
}

TEST(ImageIo, EmptyFile) {
  EXPECT_EQ(CodeOf({}), "empty_file");
}

TEST(ImageIo, NotAnImage) {
  EXPECT_EQ(CodeOf(Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', 0, 1, 2}),
            "unsupported_format");
  Bytes nul(64, 0);
  EXPECT_EQ(CodeOf(nul), "unsupported_format");
}

TEST(ImageIo, HeicIsRefusedWithItsOwnCode) {
  Bytes heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c',
                0, 0, 0, 0,  'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
  heic.resize(200, 0);
  EXPECT_EQ(CodeOf(heic), "heic_unsupported");
  heic[8] = 'm', heic[9] = 'i', heic[10] = 'f', heic[11] = '1';
  EXPECT_EQ(CodeOf(heic), "heic_unsupported");
}

TEST(ImageIo, AbsurdDimensionsAreRefusedBeforeDecoding) {
  Bytes png = Encode(".png", 64, 64);
  // IHDR width and height (big-endian at 16 and 20): 100000 x 100000.
  for (int o : {16, 20}) {
    png[o] = 0, png[o + 1] = 0x01, png[o + 2] = 0x86, png[o + 3] = 0xA0;
  }
  EXPECT_EQ(CodeOf(png), "unsupported_dimensions");
  EXPECT_EQ(CodeOf(Encode(".png", 20, 20)), "unsupported_dimensions");  // below min_side
  ImageLimits small;
  small.max_pixels = 1000;
  EXPECT_EQ(CodeOf(Encode(".jpg", 64, 64), small), "unsupported_dimensions");
}

TEST(ImageIo, TooManyBytes) {
  ImageLimits limits;
  limits.max_bytes = 100;
  EXPECT_EQ(CodeOf(Encode(".png", 64, 64), limits), "image_too_large");
}

TEST(ImageIo, TruncatedOrDamagedDataIsCorrupt) {
  Bytes jpeg = Encode(".jpg", 200, 200);
  Bytes header_only(jpeg.begin(), jpeg.begin() + 20);
  EXPECT_EQ(CodeOf(header_only), "corrupt_image");  // no frame header yet
  Bytes png = Encode(".png", 200, 200);
  png.resize(png.size() / 3);
  EXPECT_EQ(CodeOf(png), "corrupt_image");
  Bytes webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X'};
  EXPECT_EQ(CodeOf(webp), "corrupt_image");
}

TEST(ImageIo, MissingFileIsUnreadable) {
  std::string code;
  auto r = LoadImageFile("/nonexistent/wall.jpg", {}, &code);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(code, "unreadable_file");
  EXPECT_EQ(r.status().kind(), ErrorKind::kNotFound);
}

}  // namespace
}  // namespace ascension::vision::holds
