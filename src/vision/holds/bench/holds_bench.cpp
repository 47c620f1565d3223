// holds_bench: the detection benchmark (docs/benchmarks.md, docs/routes.md).
//   holds_bench eval LABELS_DIR TESTDATA_DIR [--photo] [--verbose] [--render DIR]
//       precision and recall on the labelled set, overall, for the coloured holds and per colour,
//       and on the two halves of the video frames (frames 0, 80, 160, 240: the half the detector
//       was tuned on; frames 40, 120, 200, 280: held out); --photo detects on video frames without
//       excluding the climber; --verbose lists each label (missed, found with another colour,
//       found) and each false detection, with the mean colours measured;
//       --render writes, for each image, the labels (thin) beside the detections.
//   holds_bench speed [--megapixels N] [--runs N]
//       decode + detect time of a synthetic JPEG photo of N megapixels (default 12), one thread.
//   holds_bench synth OUT_DIR
//       writes the synthetic walls' label files (used once to make testdata/holds/synthetic-*).
//   holds_bench wall TESTDATA_DIR OUT_DIR
//       the wall image of testdata/example-2.mp4 built with the reference poses beside it (no
//       BlazePose run): OUT_DIR/wall.png, unseen.png and holds.png (detections drawn), with the
//       holds found on the climber's body in the reference frame listed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "coaching/result_frames_fixture.hpp"
#include "vision/holds/image_io.hpp"
#include "vision/holds/render.hpp"
#include "vision/holds/synthetic_wall.hpp"
#include "vision/holds/testing/labelled_pictures.hpp"
#include "vision/holds/video_wall.hpp"

namespace {

namespace holds = ascension::vision::holds;

void PrintCounts(const char* name, const holds::Counts& c) {
  std::printf("  %-10s precision %.3f (%d/%d)  recall %.3f (%d/%d)\n", name, c.precision(),
              c.detected_matched, c.detected, c.recall(), c.labelled_matched, c.labelled);
}

void PrintEvaluation(const char* title, const holds::Evaluation& e) {
  std::printf("%s\n", title);
  PrintCounts("overall", e.overall);
  PrintCounts("coloured", e.coloured);
  for (const auto& [colour, counts] : e.per_colour) PrintCounts(holds::ColourName(colour), counts);
  std::printf("  colour agreement of matched holds: %.3f (%d/%d)\n",
              e.matched ? double(e.colour_agrees) / e.matched : 1.0, e.colour_agrees, e.matched);
}

// The mean CIE Lab colour of the pixels inside a labelled outline (or of a ring around it): what
// --verbose prints beside a missed hold, to see why it was missed.
cv::Vec3f MeanLab(const cv::Mat& bgr, const std::vector<holds::Point>& outline, bool ring) {
  std::vector<cv::Point> poly;
  for (const auto& p : outline) poly.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
  cv::Mat1b mask = cv::Mat1b::zeros(bgr.size());
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255));
  if (ring) {
    cv::Mat1b grown;
    cv::dilate(mask, grown, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(15, 15)));
    mask = grown - mask;
  }
  cv::Mat3f f;
  bgr.convertTo(f, CV_32F, 1.0 / 255.0);
  cv::cvtColor(f, f, cv::COLOR_BGR2Lab);
  const cv::Scalar m = cv::mean(f, mask);
  return cv::Vec3f(static_cast<float>(m[0]), static_cast<float>(m[1]), static_cast<float>(m[2]));
}

cv::Vec3f RgbToLab(const holds::Rgb& rgb) {
  cv::Mat3f px(1, 1, cv::Vec3f(rgb.b / 255.0f, rgb.g / 255.0f, rgb.r / 255.0f));
  cv::cvtColor(px, px, cv::COLOR_BGR2Lab);
  return px(0, 0);
}

int Eval(int argc, char** argv) {
  if (argc < 4) return 2;
  bool photo = false, verbose = false;
  std::string render_dir;
  for (int i = 4; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--photo")
      photo = true;
    else if (a == "--verbose")
      verbose = true;
    else if (a == "--render" && i + 1 < argc)
      render_dir = argv[++i];
    else
      return 2;
  }
  auto on_image = [&](const holds::LabelledImage& image, const holds::testing::Picture& pic,
                      const holds::HoldSet& found, const holds::Evaluation& e) {
    std::printf("%-28s coloured P %.2f R %.2f  overall P %.2f R %.2f  (%zu found, %zu labelled)\n",
                image.name.c_str(), e.coloured.precision(), e.coloured.recall(),
                e.overall.precision(), e.overall.recall(), found.holds.size(), image.holds.size());
    if (verbose) {
      holds::Matching m;
      holds::Evaluate(found, image.holds, &m);
      for (std::size_t l = 0; l < image.holds.size(); ++l) {
        const auto& o = image.holds[l].outline;
        double cx = 0, cy = 0;
        for (const auto& p : o) cx += p.x, cy += p.y;
        cx /= o.size(), cy /= o.size();
        const bool hidden =
            !pic.climber.empty() &&
            pic.climber(static_cast<int>(std::min<double>(cy, image.height - 1)),
                        static_cast<int>(std::min<double>(cx, image.width - 1))) != 0;
        if (m.label_to_detection[l] < 0) {
          const cv::Vec3f in = MeanLab(pic.bgr, image.holds[l].outline, false);
          const cv::Vec3f ring = MeanLab(pic.bgr, image.holds[l].outline, true);
          std::printf(
              "    missed %-6s at %4.0f,%4.0f%s  Lab %.0f %.0f %.0f, around %.0f %.0f %.0f\n",
              holds::ColourName(image.holds[l].colour), cx, cy,
              hidden ? " (under the climber)" : "", in[0], in[1], in[2], ring[0], ring[1], ring[2]);
        } else {
          const holds::Hold& h = found.holds[m.label_to_detection[l]];
          const cv::Vec3f lab = RgbToLab(h.measured);
          const bool same = h.colour == image.holds[l].colour;
          std::printf("    %s %-6s at %4.0f,%4.0f found as %s (measured Lab %.0f %.0f %.0f)\n",
                      same ? "found " : "colour", holds::ColourName(image.holds[l].colour), cx, cy,
                      holds::ColourName(h.colour), lab[0], lab[1], lab[2]);
        }
      }
      for (std::size_t d = 0; d < found.holds.size(); ++d) {
        if (m.detection_to_label[d] < 0) {
          const cv::Vec3f lab = RgbToLab(found.holds[d].measured);
          std::printf("    false  %-6s at %4.0f,%4.0f conf %.2f (measured Lab %.0f %.0f %.0f)\n",
                      holds::ColourName(found.holds[d].colour), found.holds[d].centre.x,
                      found.holds[d].centre.y, found.holds[d].confidence, lab[0], lab[1], lab[2]);
        }
      }
    }
    if (render_dir.empty()) return;
    if (!pic.climber.empty()) {
      cv::imwrite(render_dir + "/" + image.name.substr(0, image.name.rfind('.')) + "-climber.png",
                  pic.climber);
    }
    holds::HoldSet labels;
    labels.image_width = image.width;
    labels.image_height = image.height;
    for (const auto& l : image.holds) {
      holds::Hold h;
      h.outline = l.outline;
      h.colour = l.colour;
      h.box = {l.outline[0].x, l.outline[0].y, 0, 0};
      labels.holds.push_back(h);
    }
    cv::Mat left = holds::RenderHolds(pic.bgr, labels);
    cv::Mat right = holds::RenderHolds(pic.bgr, found);
    if (!pic.climber.empty()) {
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(pic.climber.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
      cv::drawContours(right, contours, -1, cv::Scalar(255, 0, 255), 1);
    }
    cv::Mat both;
    cv::hconcat(left, right, both);
    const std::string stem = image.name.substr(0, image.name.rfind('.'));
    cv::imwrite(render_dir + "/" + stem + ".png", both);
  };
  // The split (docs/benchmarks.md reports both halves): the frames whose index is an even multiple
  // of 40 (0, 80, 160, 240) were looked at while tuning the detector, the others (40, 120, 200,
  // 280) were not. Interleaved, so that both halves have frames from the start of the climb (the
  // camera low, the wall lit) and from its end (the camera high, the dim top of the wall).
  // The contiguous halves (frames 0-120, 160-280) are printed too.
  holds::Evaluation tune, held_out, first, second;
  auto tuned_on = [](int frame) { return frame % 80 == 0; };
  auto per_image = [&](const holds::LabelledImage& image, const holds::testing::Picture& pic,
                       const holds::HoldSet& found, const holds::Evaluation& e) {
    if (!image.video.empty()) {
      (tuned_on(image.frame) ? tune : held_out) += e;
      (image.frame <= 120 ? first : second) += e;
    }
    on_image(image, pic, found, e);
  };
  auto result = holds::testing::EvaluateSet(argv[2], argv[3], !photo, per_image);
  if (!result.ok()) {
    std::fprintf(stderr, "error: %s\n", result.status().ToString().c_str());
    return 1;
  }
  PrintEvaluation(photo ? "video frames (photo mode: climber not excluded, every label counts)"
                        : "video frames (climber excluded by its pose)",
                  result->video);
  if (!photo) std::printf("  labels hidden by the climber, not counted: %d\n", result->hidden);
  std::printf("  split, coloured: frames 0, 80, 160, 240 tuned on; 40, 120, 200, 280 held out\n");
  PrintCounts("tuned on", tune.coloured);
  PrintCounts("held out", held_out.coloured);
  std::printf("  contiguous halves, coloured\n");
  PrintCounts("f0-120", first.coloured);
  PrintCounts("f160-280", second.coloured);
  PrintEvaluation("synthetic walls", result->synthetic);
  PrintEvaluation("all", result->total);
  return 0;
}

int Speed(int argc, char** argv) {
  double megapixels = 12;
  int runs = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--megapixels")
      megapixels = std::atof(argv[i + 1]);
    else if (a == "--runs")
      runs = std::atoi(argv[i + 1]);
    else
      return 2;
  }
  if (megapixels <= 0.1 || megapixels > 50 || runs < 1) return 2;
  cv::setNumThreads(1);
  const int w = static_cast<int>(std::sqrt(megapixels * 1e6 * 4 / 3)), h = w * 3 / 4;
  const auto wall = holds::GenerateSyntheticWall(7, w, h, "two_panels", 0.6);
  auto img = holds::RenderSyntheticWall(wall);
  if (!img.ok()) return 1;
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", *img, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
  std::printf("photo %dx%d (%.1f MP), JPEG %zu bytes, %d runs, 1 thread\n", w, h, w * h / 1e6,
              jpeg.size(), runs);
  // CPU time of this thread (the machine may be shared: wall time counts the other processes'
  // turns too) and wall time.
  auto cpu_ms = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
  };
  std::vector<double> totals;
  for (int r = 0; r < runs; ++r) {
    const auto w0 = std::chrono::steady_clock::now();
    const double c0 = cpu_ms();
    std::string code;
    auto decoded = holds::DecodeImage(jpeg, holds::ImageLimits{}, &code);
    const double c1 = cpu_ms();
    if (!decoded.ok()) return 1;
    auto found = holds::DetectHolds(*decoded);
    const double c2 = cpu_ms();
    const auto w1 = std::chrono::steady_clock::now();
    if (!found.ok()) return 1;
    totals.push_back(c2 - c0);
    std::printf("run %d: CPU decode %.0f ms + detect %.0f ms = %.0f ms; wall %.0f ms (%zu holds)\n",
                r, c1 - c0, c2 - c1, c2 - c0,
                std::chrono::duration<double, std::milli>(w1 - w0).count(), found->holds.size());
  }
  std::sort(totals.begin(), totals.end());
  std::printf("median CPU time per photo: %.0f ms\n", totals[totals.size() / 2]);
  return 0;
}

int Synth(int argc, char** argv) {
  if (argc < 3) return 2;
  struct Spec {
    std::uint32_t seed;
    int w, h;
    const char* wall;
    double light;
  };
  const Spec specs[] = {{101, 1200, 1600, "plywood", 0.3},    {102, 1200, 1600, "painted", 0.5},
                        {103, 1600, 1200, "two_panels", 0.4}, {104, 1200, 1600, "plywood", 0.9},
                        {105, 1600, 1200, "painted", 0.8},    {106, 1200, 1600, "two_panels", 0.7}};
  for (const Spec& s : specs) {
    auto img = holds::GenerateSyntheticWall(s.seed, s.w, s.h, s.wall, s.light);
    const std::string path =
        std::string(argv[2]) + "/synthetic-" + std::to_string(s.seed) + ".json";
    std::ofstream out(path);
    out << holds::LabelledImageJson(img).dump() << "\n";
    std::printf("%s: %zu holds\n", path.c_str(), img.holds.size());
  }
  return 0;
}

int Wall(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string dir = argv[2], out = argv[3];
  auto poses =
      ascension::coaching::testing::LoadResultFrames(dir + "/example-2-biomechanics.json", {});
  if (!poses.ok()) {
    std::fprintf(stderr, "error: %s\n", poses.status().ToString().c_str());
    return 1;
  }
  holds::VideoWallOptions options;
  std::string code;
  const double c0 = std::clock();
  auto wall = holds::WallImageFromVideo(dir + "/example-2.mp4", *poses, options, &code);
  const double c1 = std::clock();
  if (!wall.ok()) {
    std::fprintf(stderr, "error %s: %s\n", code.c_str(), wall.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "wall image %dx%d from %zu frames (%d aligned by a homography), reference %d,"
      " %.1f s CPU\n",
      wall->image.cols, wall->image.rows, wall->used.size(), wall->by_features,
      wall->reference_frame, (c1 - c0) / CLOCKS_PER_SEC);
  for (int u : wall->used) std::printf(" %d", u);
  std::printf("\n");
  holds::DetectorOptions detect;
  detect.exclude = wall->unseen;
  auto all = holds::DetectHolds(wall->image, detect);
  int dropped = 0;
  auto found = holds::DetectHoldsOnWall(*wall, {}, &dropped);
  if (!found.ok() || !all.ok()) return 1;
  std::printf("%zu holds (%d dropped on the climber's body), %d unseen pixels, %d on-body pixels\n",
              found->holds.size(), dropped, cv::countNonZero(wall->unseen),
              cv::countNonZero(wall->on_body));
  // The holds whose centre lies on the climber's body in the reference frame (its pose).
  cv::Mat1b body;
  for (const auto& p : poses->frames) {
    if (p.timestamp_ms == wall->reference_ms) body = holds::ClimberMask(p, wall->image.size());
  }
  std::printf("reference frame at %lld ms\n", static_cast<long long>(wall->reference_ms));
  auto on_body = [&](const char* what, const holds::HoldSet& set) {
    int n = 0;
    for (const auto& h : set.holds) {
      const int x = std::clamp(static_cast<int>(h.centre.x), 0, body.cols - 1);
      const int y = std::clamp(static_cast<int>(h.centre.y), 0, body.rows - 1);
      if (body.empty() || body(y, x) == 0) continue;
      ++n;
      std::printf("  %s: %s at %.0f,%.0f (confidence %.2f) on the body\n", what,
                  holds::ColourName(h.colour), h.centre.x, h.centre.y, h.confidence);
    }
    std::printf("%s: %d holds centred on the climber's body in the reference frame\n", what, n);
  };
  on_body("before dropping", *all);
  on_body("reported", *found);
  cv::Mat render = holds::RenderHolds(wall->image, *found);
  // The reference frame's climber region in magenta, the on-body region in yellow.
  const std::pair<cv::Mat1b, cv::Scalar> outlines[] = {{body, cv::Scalar(255, 0, 255)},
                                                       {wall->on_body, cv::Scalar(0, 255, 255)}};
  for (const auto& [m, colour] : outlines) {
    if (m.empty()) continue;
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(m.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    cv::drawContours(render, contours, -1, colour, 1);
  }
  cv::imwrite(out + "/wall.png", wall->image);
  cv::imwrite(out + "/unseen.png", wall->unseen);
  cv::imwrite(out + "/on_body.png", wall->on_body);
  cv::imwrite(out + "/holds.png", render);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  int rc = 2;
  if (mode == "eval")
    rc = Eval(argc, argv);
  else if (mode == "speed")
    rc = Speed(argc, argv);
  else if (mode == "synth")
    rc = Synth(argc, argv);
  else if (mode == "wall")
    rc = Wall(argc, argv);
  if (rc == 2) {
    std::fprintf(stderr,
                 "usage: holds_bench eval LABELS_DIR TESTDATA_DIR [--photo] [--verbose]\n"
                 "                   [--render DIR]\n"
                 "       holds_bench speed [--megapixels N] [--runs N]\n"
                 "       holds_bench synth OUT_DIR\n"
                 "       holds_bench wall TESTDATA_DIR OUT_DIR\n");
  }
  return rc;
}
