#include "vision/holds/image_io.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string_view>
#include <vector>

namespace ascension::vision::holds {
namespace {

using Bytes = std::span<const std::uint8_t>;

Status Fail(std::string* error_code, const char* code, std::string message) {
  if (error_code != nullptr) *error_code = code;
  return InvalidArgument(std::move(message));
}

bool StartsWith(Bytes b, std::size_t offset, std::string_view s) {
  return b.size() >= offset + s.size() && std::memcmp(b.data() + offset, s.data(), s.size()) == 0;
}

std::uint32_t Be16(Bytes b, std::size_t o) {
  return (b[o] << 8) | b[o + 1];
}
std::uint32_t Be32(Bytes b, std::size_t o) {
  return (Be16(b, o) << 16) | Be16(b, o + 2);
}
std::uint32_t Le16(Bytes b, std::size_t o) {
  return b[o] | (b[o + 1] << 8);
}
std::uint32_t Le24(Bytes b, std::size_t o) {
  return Le16(b, o) | (b[o + 2] << 16);
}

bool IsHeif(Bytes b) {
  if (!StartsWith(b, 4, "ftyp") || b.size() < 12) return false;
  static constexpr std::array<std::string_view, 10> kBrands = {
      "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"};
  for (std::string_view brand : kBrands) {
    if (StartsWith(b, 8, brand)) return true;
  }
  return false;
}

// Walks the JPEG markers up to the first start-of-frame segment.
bool JpegSize(Bytes b, int* w, int* h) {
  std::size_t o = 2;
  while (o + 4 <= b.size()) {
    if (b[o] != 0xFF) return false;
    const std::uint8_t marker = b[o + 1];
    if (marker == 0xFF) {  // fill byte
      ++o;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length field
      o += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return false;  // image data before any frame header
    const std::uint32_t len = Be16(b, o + 2);
    if (len < 2 || o + 2 + len > b.size()) return false;
    const bool sof =
        (marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (len < 8) return false;
      *h = static_cast<int>(Be16(b, o + 5));
      *w = static_cast<int>(Be16(b, o + 7));
      return true;
    }
    o += 2 + len;
  }
  return false;
}

bool PngSize(Bytes b, int* w, int* h) {
  if (b.size() < 24 || !StartsWith(b, 12, "IHDR")) return false;
  const std::uint32_t width = Be32(b, 16), height = Be32(b, 20);
  if (width > 1'000'000 || height > 1'000'000) return false;
  *w = static_cast<int>(width);
  *h = static_cast<int>(height);
  return true;
}

bool WebpSize(Bytes b, int* w, int* h) {
  if (b.size() < 30) return false;
  if (StartsWith(b, 12, "VP8 ")) {
    if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A) return false;
    *w = static_cast<int>(Le16(b, 26) & 0x3FFF);
    *h = static_cast<int>(Le16(b, 28) & 0x3FFF);
    return true;
  }
  if (StartsWith(b, 12, "VP8L")) {
    if (b[20] != 0x2F) return false;
    const std::uint32_t bits =
        b[21] | (b[22] << 8) | (b[23] << 16) | (static_cast<std::uint32_t>(b[24]) << 24);
    *w = static_cast<int>((bits & 0x3FFF) + 1);
    *h = static_cast<int>(((bits >> 14) & 0x3FFF) + 1);
    return true;
  }
  if (StartsWith(b, 12, "VP8X")) {
    *w = static_cast<int>(Le24(b, 24) + 1);
    *h = static_cast<int>(Le24(b, 27) + 1);
    return true;
  }
  return false;
}

}  // namespace

Result<ImageHeader> ReadImageHeader(Bytes bytes, const ImageLimits& limits,
                                    std::string* error_code) {
  if (bytes.empty()) return Fail(error_code, "empty_file", "the image file is empty");
  if (static_cast<std::int64_t>(bytes.size()) > limits.max_bytes) {
    return Fail(error_code, "image_too_large",
                "the image file is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  if (IsHeif(bytes)) {
    return Fail(error_code, "heic_unsupported",
                "HEIC/HEIF photos are not supported: export the photo as JPEG (or PNG, WebP)");
  }
  ImageHeader header;
  bool known = false, parsed = false;
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    header.format = ImageFormat::kJpeg;
    known = true;
    parsed = JpegSize(bytes, &header.width, &header.height);
  } else if (StartsWith(bytes, 0, "\x89PNG\r\n\x1a\n")) {
    header.format = ImageFormat::kPng;
    known = true;
    parsed = PngSize(bytes, &header.width, &header.height);
  } else if (StartsWith(bytes, 0, "RIFF") && StartsWith(bytes, 8, "WEBP")) {
    header.format = ImageFormat::kWebp;
    known = true;
    parsed = WebpSize(bytes, &header.width, &header.height);
  }
  if (!known) {
    return Fail(error_code, "unsupported_format", "the file is not a JPEG, PNG or WebP image");
  }
  if (!parsed) return Fail(error_code, "corrupt_image", "the image header is unreadable");
  const std::int64_t pixels = static_cast<std::int64_t>(header.width) * header.height;
  if (header.width < limits.min_side || header.height < limits.min_side ||
      header.width > limits.max_side || header.height > limits.max_side ||
      pixels > limits.max_pixels) {
    return Fail(error_code, "unsupported_dimensions",
                "the image is " + std::to_string(header.width) + "x" +
                    std::to_string(header.height) + " pixels; photos must be between " +
                    std::to_string(limits.min_side) + " and " + std::to_string(limits.max_side) +
                    " pixels a side and at most " + std::to_string(limits.max_pixels / 1'000'000) +
                    " megapixels");
  }
  return header;
}

Result<cv::Mat> DecodeImage(Bytes bytes, const ImageLimits& limits, std::string* error_code) {
  auto header = ReadImageHeader(bytes, limits, error_code);
  if (!header.ok()) return header.status();
  cv::Mat decoded;
  try {
    // imdecode does not modify the buffer; the Mat header only wraps it for the call.
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                         const_cast<std::uint8_t*>(bytes.data()));
    decoded = cv::imdecode(buffer, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    decoded.release();
  }
  if (decoded.empty() || decoded.type() != CV_8UC3) {
    return Fail(error_code, "corrupt_image", "the image data does not decode");
  }
  // EXIF rotation may swap the sides; anything else means the header lied about the size.
  const bool same = decoded.cols == header->width && decoded.rows == header->height;
  const bool swapped = decoded.cols == header->height && decoded.rows == header->width;
  if (!same && !swapped) {
    return Fail(error_code, "corrupt_image", "the decoded image does not match its header");
  }
  return decoded;
}

Result<cv::Mat> LoadImageFile(const std::string& path, const ImageLimits& limits,
                              std::string* error_code) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error_code != nullptr) *error_code = "unreadable_file";
    return NotFound("cannot open " + path);
  }
  std::vector<std::uint8_t> bytes;
  std::array<char, 1 << 16> chunk{};
  while (in) {
    in.read(chunk.data(), chunk.size());
    const auto n = in.gcount();
    if (n <= 0) break;
    if (static_cast<std::int64_t>(bytes.size() + n) > limits.max_bytes) {
      return Fail(error_code, "image_too_large",
                  "the image file is larger than " + std::to_string(limits.max_bytes) + " bytes");
    }
    bytes.insert(bytes.end(), chunk.data(), chunk.data() + n);
  }
  if (in.bad()) {
    if (error_code != nullptr) *error_code = "unreadable_file";
    return NotFound("cannot read " + path);
  }
  return DecodeImage(bytes, limits, error_code);
}

}  // namespace ascension::vision::holds
