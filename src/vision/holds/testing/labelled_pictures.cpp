#include "vision/holds/testing/labelled_pictures.hpp"

#include <algorithm>
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

Point OutlineCentre(const std::vector<Point>& outline) {
  Point c;
  for (const Point& p : outline) {
    c.x += p.x;
    c.y += p.y;
  }
  if (!outline.empty()) {
    c.x /= outline.size();
    c.y /= outline.size();
  }
  return c;
}

Result<SetResult> EvaluateSet(const std::string& labels_dir, const std::string& testdata_dir,
                              bool exclude_climber, const ImageFn& on_image) {
  auto set = LoadLabelledSet(labels_dir);
  if (!set.ok()) return set.status();
  if (set->empty()) return NotFound("no labelled image in " + labels_dir);
  SetResult result;
  for (LabelledImage& image : *set) {
    auto pic = LoadPicture(image, testdata_dir);
    if (!pic.ok()) return pic.status();
    DetectorOptions options;
    if (exclude_climber && !pic->climber.empty()) options.exclude = pic->climber;
    auto holds = DetectHolds(pic->bgr, options);
    if (!holds.ok()) return holds.status();
    if (!options.exclude.empty()) {
      // Hidden labels are "don't care": neither they nor the detections matching them count.
      Matching all;
      Evaluate(*holds, image.holds, &all);
      std::vector<LabelledHold> counted;
      std::vector<bool> hidden(image.holds.size(), false);
      for (std::size_t l = 0; l < image.holds.size(); ++l) {
        const Point c = OutlineCentre(image.holds[l].outline);
        const int x = std::clamp(static_cast<int>(c.x), 0, pic->climber.cols - 1);
        const int y = std::clamp(static_cast<int>(c.y), 0, pic->climber.rows - 1);
        hidden[l] = pic->climber(y, x) != 0;
        if (hidden[l]) {
          ++result.hidden;
        } else {
          counted.push_back(image.holds[l]);
        }
      }
      std::vector<Hold> kept;
      for (std::size_t d = 0; d < holds->holds.size(); ++d) {
        const int l = all.detection_to_label[d];
        if (l < 0 || !hidden[l]) kept.push_back(holds->holds[d]);
      }
      holds->holds = std::move(kept);
      image.holds = std::move(counted);
    }
    const Evaluation e = Evaluate(*holds, image.holds);
    result.total += e;
    (image.video.empty() ? result.synthetic : result.video) += e;
    if (on_image) on_image(image, *pic, *holds, e);
  }
  return result;
}

}  // namespace ascension::vision::holds::testing
