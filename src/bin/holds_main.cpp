// ascension-holds: hold detection on one photo of a climbing wall, offline, with no service.
//   ascension-holds PHOTO [--out holds.json] [--render holds.png] [--working-size PIXELS]
//                   [--exclude MASK.png]
//   ascension-holds --video VIDEO [--wall wall.png] [--models-dir DIR] [same options]
// Writes the detection document (src/vision/holds/holds_json.hpp) to --out (or stdout) and, with
// --render, the photo with the holds drawn over it (PNG or JPEG by the file's extension). With
// --video, the climb is analysed (BlazePose, as ascension-analyze does), the wall image is built
// from its frames with the climber removed (--wall writes it) and the holds are detected on it.
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

#include "common/cli.hpp"
#include "common/config.hpp"
#include "vision/holds/detector.hpp"
#include "vision/holds/holds_json.hpp"
#include "vision/holds/image_io.hpp"
#include "vision/holds/render.hpp"
#include "vision/holds/video_wall.hpp"
#include "vision/pose_analyzer.hpp"

namespace {

namespace holds = ascension::vision::holds;

void Usage() {
  std::fprintf(stderr,
               "usage: ascension-holds PHOTO [--out holds.json] [--render holds.png]\n"
               "                       [--working-size PIXELS] [--exclude MASK.png]\n"
               "       ascension-holds --video VIDEO [--wall wall.png] [--models-dir DIR]\n"
               "                       [--out holds.json] [--render holds.png]\n"
               "PHOTO: JPEG, PNG or WebP. --render writes PNG or JPEG (by extension).\n"
               "--exclude: an image the size of the photo; its non-black pixels are not wall\n"
               "(a person in front of it) and hold no hold.\n"
               "--video: models dir defaults to $ASCENSION_MODELS_DIR, else ./models.\n");
}

int BadUsage(const std::string& what) {
  std::fprintf(stderr, "ascension-holds: %s\n", what.c_str());
  Usage();
  return 2;
}

int Fail(const std::string& code, const std::string& message) {
  std::fprintf(stderr, "error: %s: %s\n", code.c_str(), message.c_str());
  return 1;
}

bool Write(const std::string& path, const cv::Mat& img) {
  try {
    return cv::imwrite(path, img);
  } catch (const cv::Exception&) {
    return false;
  }
}

// Analyses the climb and builds the wall image from its frames.
// Analyses the climb and builds the wall image from its frames (the climber removed).
ascension::Result<holds::WallImage> WallOfVideo(const std::string& video,
                                                const std::string& models_dir, std::string* code) {
  ascension::vision::AnalyzerOptions options;
  options.models_dir = models_dir;
  auto analyzer = ascension::vision::PoseAnalyzer::Load(options);
  if (!analyzer.ok()) {
    *code = "internal";
    return analyzer.status();
  }
  std::fprintf(stderr, "analysing %s\n", video.c_str());
  auto seq = (*analyzer)->Analyze(video, {}, code);
  if (!seq.ok()) return seq.status();
  holds::VideoWallOptions wall;
  wall.reader.max_fps = options.max_fps;
  wall.reader.max_width = options.max_width;
  wall.reader.max_duration_s = options.max_duration_s;
  auto built = holds::WallImageFromVideo(video, *seq, wall, code);
  if (!built.ok()) return built.status();
  std::fprintf(stderr, "wall image from %zu frames\n", built->used.size());
  return built;
}

}  // namespace

int main(int argc, char** argv) {
  std::string models_dir = "models";
  {
    ascension::EnvReader env;  // the one setting this tool reads (settings.hpp)
    if (std::string dir = env.String("ASCENSION_MODELS_DIR"); !dir.empty()) models_dir = dir;
  }
  auto args = ascension::cli::Parse(
      argc, argv,
      {{"out"}, {"render"}, {"video"}, {"wall"}, {"models-dir"}, {"exclude"}, {"working-size"}}, 1);
  if (args.help) return Usage(), 0;
  if (args.error) return BadUsage(*args.error);
  const std::string photo = args.positionals.empty() ? "" : args.positionals[0];
  const std::string out_path = args.Get("out").value_or("");
  const std::string render_path = args.Get("render").value_or("");
  const std::string video = args.Get("video").value_or("");
  const std::string wall_path = args.Get("wall").value_or("");
  const std::string exclude_path = args.Get("exclude").value_or("");
  if (auto dir = args.Get("models-dir")) models_dir = *dir;
  holds::DetectorOptions options;
  if (auto size = args.Get("working-size")) {
    if ((options.working_long_side = std::atoi(size->c_str())) < 64) {
      return BadUsage("--working-size must be 64 pixels or more");
    }
  }
  if (photo.empty() == video.empty()) return BadUsage("give a PHOTO or --video VIDEO");
  if (!video.empty() && !exclude_path.empty()) return BadUsage("--exclude is for a PHOTO");

  std::string code;
  holds::WallImage wall;
  if (!video.empty()) {
    auto built = WallOfVideo(video, models_dir, &code);
    if (!built.ok()) return Fail(code, built.status().message());
    wall = std::move(built).value();
  }
  auto image = video.empty() ? holds::LoadImageFile(photo, holds::ImageLimits{}, &code)
                             : ascension::Result<cv::Mat>(cv::Mat(wall.image));
  if (!image.ok()) return Fail(code, image.status().message());
  if (!wall_path.empty() && !Write(wall_path, *image)) {
    return Fail("write_failed", "cannot write " + wall_path + " (.png or .jpg)");
  }
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
  int on_body = 0;
  auto set = video.empty() ? holds::DetectHolds(*image, options)
                           : holds::DetectHoldsOnWall(wall, options, &on_body);
  if (!set.ok()) return Fail("internal", set.status().message());
  if (on_body > 0) std::fprintf(stderr, "%d detections on the climber's body dropped\n", on_body);

  const std::string doc = holds::HoldSetJson(*set).dump(2) + "\n";
  if (out_path.empty()) {
    std::cout << doc;
  } else {
    std::ofstream out(out_path, std::ios::binary);
    if (!(out << doc)) return Fail("write_failed", "cannot write " + out_path);
  }
  if (!render_path.empty()) {
    if (!Write(render_path, holds::RenderHolds(*image, *set))) {
      return Fail("write_failed", "cannot write " + render_path + " (.png or .jpg)");
    }
  }
  std::fprintf(stderr, "%zu holds\n", set->holds.size());
  return 0;
}
