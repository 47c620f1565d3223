// Decoding of wall photos: JPEG, PNG and WebP through OpenCV's imgcodecs, after the header has
// been read and checked by our own code, so that a hostile file never reaches a decoder with an
// absurd size. HEIC/HEIF (and AVIF) photos are recognised and refused with their own code.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <span>
#include <string>

#include "common/status.hpp"

namespace ascension::vision::holds {

struct ImageLimits {
  std::int64_t max_bytes = 64 * 1024 * 1024;  // encoded size
  int max_side = 12'000;                      // pixels, either side
  std::int64_t max_pixels = 50'000'000;       // width * height
  int min_side = 32;                          // smaller images cannot show a wall
};

enum class ImageFormat { kJpeg, kPng, kWebp };

struct ImageHeader {
  ImageFormat format = ImageFormat::kJpeg;
  int width = 0;
  int height = 0;
};

// Error codes (all permanent, Status kInvalidArgument): "empty_file", "image_too_large" (bytes),
// "heic_unsupported" (HEIC/HEIF/AVIF: convert the photo to JPEG), "unsupported_format" (not a
// JPEG, PNG or WebP), "unsupported_dimensions" (outside the limits), "corrupt_image" (the header
// or the data does not decode).

// Identifies the format from the content (never a file name) and reads the stored dimensions.
// On failure sets *error_code.
Result<ImageHeader> ReadImageHeader(std::span<const std::uint8_t> bytes, const ImageLimits& limits,
                                    std::string* error_code);

// Decodes to 8-bit BGR, 3 channels (alpha dropped, grey expanded). EXIF orientation is applied
// for JPEG, as a viewer shows the photo. On failure sets *error_code.
Result<cv::Mat> DecodeImage(std::span<const std::uint8_t> bytes, const ImageLimits& limits,
                            std::string* error_code);

// Reads the file at `path` (at most limits.max_bytes) and decodes it. A missing or unreadable
// file is "unreadable_file" (kNotFound).
Result<cv::Mat> LoadImageFile(const std::string& path, const ImageLimits& limits,
                              std::string* error_code);

}  // namespace ascension::vision::holds
