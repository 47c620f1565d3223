#include "vision/holds/testing/labelled_pictures.hpp"

#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "coaching/result_frames_fixture.hpp"
#include "vision/holds/synthetic_wall.hpp"
#include "vision/holds/wall_image.hpp"
#include "vision/video/video_reader.hpp"

namespace ascension::vision::holds::testing {

Result<Picture> LoadPicture(const LabelledImage& image, const std::string& testdata_dir) {
  Picture pic;
  if (image.video.empty()) {
    auto rendered = RenderSyntheticWall(image);
    if (!rendered.ok()) return rendered.status();
    pic.bgr = std::move(*rendered);
    return pic;
  }
  const std::string path = testdata_dir + "/" + image.video;
  VideoReaderOptions options;
  options.max_fps = 0;
  options.max_width = image.width;
  std::string code;
  auto reader = VideoReader::Open(path, options, &code);
  if (!reader.ok()) return reader.status();
  VideoFrame frame;
  while (true) {
    auto more = (*reader)->Next(&frame, &code);
    if (!more.ok()) return more.status();
    if (!*more) return NotFound(image.name + ": no frame " + std::to_string(image.frame));
    if (frame.index == image.frame) break;
  }
  if (frame.rgb.cols != image.width || frame.rgb.rows != image.height) {
    return InvalidArgument(image.name + ": the frame is not " + std::to_string(image.width) + "x" +
                           std::to_string(image.height));
  }
  cv::cvtColor(frame.rgb, pic.bgr, cv::COLOR_RGB2BGR);
  const std::string stem = std::filesystem::path(image.video).stem().string();
  auto poses =
      coaching::testing::LoadResultFrames(testdata_dir + "/" + stem + "-biomechanics.json", {});
  if (!poses.ok()) return poses.status();
  pic.climber = cv::Mat1b::zeros(pic.bgr.size());
  for (const domain::PoseFrame& p : poses->frames) {
    if (p.frame == image.frame) pic.climber = ClimberMask(p, pic.bgr.size());
  }
  return pic;
}

Result<SetResult> EvaluateSet(const std::string& labels_dir, const std::string& testdata_dir,
                              bool exclude_climber, const ImageFn& on_image) {
  auto set = LoadLabelledSet(labels_dir);
  if (!set.ok()) return set.status();
  if (set->empty()) return NotFound("no labelled image in " + labels_dir);
  SetResult result;
  for (const LabelledImage& image : *set) {
    auto pic = LoadPicture(image, testdata_dir);
    if (!pic.ok()) return pic.status();
    DetectorOptions options;
    if (exclude_climber && !pic->climber.empty()) options.exclude = pic->climber;
    auto holds = DetectHolds(pic->bgr, options);
    if (!holds.ok()) return holds.status();
    const Evaluation e = Evaluate(*holds, image.holds);
    result.total += e;
    (image.video.empty() ? result.synthetic : result.video) += e;
    if (on_image) on_image(image, *pic, *holds, e);
  }
  return result;
}

}  // namespace ascension::vision::holds::testing
