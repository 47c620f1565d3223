// ascension-holds: hold detection on one photo of a climbing wall, offline, with no service.
//   ascension-holds PHOTO [--out holds.json] [--render holds.png] [--working-size PIXELS]
//                   [--exclude MASK.png]
// Writes the detection document (src/vision/holds/holds_json.hpp) to --out (or stdout) and, with
// --render, the photo with the holds drawn over it (PNG or JPEG by the file's extension).
// Exit status 0 on success; on failure prints "error: <code>: <message>" and exits with 1 (2 for
// bad usage).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <string_view>

#include "vision/holds/detector.hpp"
#include "vision/holds/holds_json.hpp"
#include "vision/holds/image_io.hpp"
#include "vision/holds/render.hpp"

namespace {

namespace holds = ascension::vision::holds;

void Usage() {
  std::fprintf(stderr,
               "usage: ascension-holds PHOTO [--out holds.json] [--render holds.png]\n"
               "                       [--working-size PIXELS] [--exclude MASK.png]\n"
               "PHOTO: JPEG, PNG or WebP. --render writes PNG or JPEG (by extension).\n"
               "--exclude: an image the size of the photo; its non-black pixels are not wall\n"
               "(a person in front of it) and hold no hold.\n");
}

int Fail(const std::string& code, const std::string& message) {
  std::fprintf(stderr, "error: %s: %s\n", code.c_str(), message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string photo, out_path, render_path, exclude_path;
  holds::DetectorOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--help" || arg == "-h") {
      Usage();
      return 0;
    } else if (arg == "--out") {
      if (!(v = value())) return Usage(), 2;
      out_path = v;
    } else if (arg == "--render") {
      if (!(v = value())) return Usage(), 2;
      render_path = v;
    } else if (arg == "--exclude") {
      if (!(v = value())) return Usage(), 2;
      exclude_path = v;
    } else if (arg == "--working-size") {
      if (!(v = value()) || (options.working_long_side = std::atoi(v)) < 64) return Usage(), 2;
    } else if (!arg.empty() && arg[0] == '-') {
      Usage();
      return 2;
    } else if (photo.empty()) {
      photo = arg;
    } else {
      Usage();
      return 2;
    }
  }
  if (photo.empty()) return Usage(), 2;

  std::string code;
  auto image = holds::LoadImageFile(photo, holds::ImageLimits{}, &code);
  if (!image.ok()) return Fail(code, image.status().message());
  if (!exclude_path.empty()) {
    auto mask = holds::LoadImageFile(exclude_path, holds::ImageLimits{}, &code);
    if (!mask.ok()) return Fail(code, "--exclude: " + mask.status().message());
    if (mask->size() != image->size()) {
      return Fail("bad_mask", "--exclude: the mask is not the size of the photo");
    }
    cv::Mat grey;
    cv::cvtColor(*mask, grey, cv::COLOR_BGR2GRAY);
    options.exclude = grey > 0;
  }
  auto set = holds::DetectHolds(*image, options);
  if (!set.ok()) return Fail("internal", set.status().message());

  const std::string doc = holds::HoldSetJson(*set).dump(2) + "\n";
  if (out_path.empty()) {
    std::cout << doc;
  } else {
    std::ofstream out(out_path, std::ios::binary);
    if (!(out << doc)) return Fail("write_failed", "cannot write " + out_path);
  }
  if (!render_path.empty()) {
    const cv::Mat drawn = holds::RenderHolds(*image, *set);
    bool written = false;
    try {
      written = cv::imwrite(render_path, drawn);
    } catch (const cv::Exception&) {
      written = false;
    }
    if (!written) return Fail("write_failed", "cannot write " + render_path + " (.png or .jpg)");
  }
  std::fprintf(stderr, "%zu holds\n", set->holds.size());
  return 0;
}
