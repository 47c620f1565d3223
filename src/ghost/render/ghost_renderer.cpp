#include "ghost/render/ghost_renderer.hpp"

#include <algorithm>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/video/video_reader.hpp"
#include "vision/video/video_writer.hpp"

namespace ascension::ghost {
namespace {

// Bones drawn (MediaPipe indices), as the analysis overlay draws them; the head is a circle.
constexpr int kBones[][2] = {{11, 12}, {11, 13}, {13, 15}, {15, 19}, {12, 14}, {14, 16},
                             {16, 20}, {11, 23}, {12, 24}, {23, 24}, {23, 25}, {25, 27},
                             {27, 31}, {24, 26}, {26, 28}, {28, 32}};

// Colours (RGB) of the hold roles.
cv::Scalar RoleColour(HoldRole role) {
  switch (role) {
    case HoldRole::kStart:
      return {40, 200, 60};
    case HoldRole::kTop:
      return {230, 40, 40};
    case HoldRole::kHand:
      return {60, 120, 240};
    case HoldRole::kFoot:
      return {240, 200, 40};
    case HoldRole::kNone:
      return {250, 140, 30};
  }
  return {250, 140, 30};
}

class Canvas {
 public:
  // With `backdrop`, the background (the photo, or a plain wall with a grid) with the holds drawn
  // on it; without, only the geometry, to draw over frames of a video (DrawHolds).
  Canvas(const Route& route, const RenderOptions& options, bool backdrop = true) : route_(route) {
    int w = route.view.width_px, h = route.view.height_px;
    if (w <= 0 || h <= 0) {
      h = 720;
      w = std::max(2, static_cast<int>(720 * route.view.width / route.view.height));
    }
    const double k = std::min(1.0, static_cast<double>(options.max_height) / h);
    width_ = std::max(2, static_cast<int>(w * k) / 2 * 2);
    height_ = std::max(2, static_cast<int>(h * k) / 2 * 2);
    if (!backdrop) return;
    background_ = cv::Mat(height_, width_, CV_8UC3, cv::Scalar(214, 208, 198));
    if (!options.background.empty()) {
      vision::VideoReaderOptions ro;
      ro.max_width = 8192;
      std::string code;
      auto reader = vision::VideoReader::Open(options.background, ro, &code);
      vision::VideoFrame frame;
      if (reader.ok()) {
        auto more = (*reader)->Next(&frame, &code);
        if (more.ok() && *more) {
          cv::resize(frame.rgb, background_, cv::Size(width_, height_), 0, 0, cv::INTER_AREA);
          has_photo_ = true;
        }
      }
      if (!has_photo_) {
        // A still photo FFmpeg's demuxers do not take as a video (PNG, WebP): OpenCV reads it.
        const cv::Mat bgr = cv::imread(options.background, cv::IMREAD_COLOR);
        if (!bgr.empty()) {
          cv::Mat rgb;
          cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
          cv::resize(rgb, background_, cv::Size(width_, height_), 0, 0, cv::INTER_AREA);
          has_photo_ = true;
        }
      }
      if (!has_photo_) error_ = "cannot read the background image " + options.background;
    }
    if (!has_photo_) DrawGrid();
    DrawHolds(&background_, /*fill=*/!has_photo_);
  }

  const std::string& error() const { return error_; }
  int width() const { return width_; }
  int height() const { return height_; }
  cv::Mat Fresh() const { return background_.clone(); }

  cv::Point At(Vec2 wall) const {
    const Vec2 n = ToNormalized(route_.view, wall);
    return {static_cast<int>(std::lround(n.x * width_)),
            static_cast<int>(std::lround(n.y * height_))};
  }
  int Px(double metres) const {
    return std::max(1, static_cast<int>(std::lround(metres / route_.view.height * height_)));
  }

  void DrawGhost(const GhostFrame& f, cv::Mat* img, double alpha) const {
    cv::Mat layer = img->clone();
    const Skeleton& s = f.skeleton;
    const int t = std::max(2, height_ / 150);
    for (const auto& b : kBones) {
      if (!s.present[b[0]] || !s.present[b[1]]) continue;
      cv::line(layer, At(s.points[b[0]]), At(s.points[b[1]]), cv::Scalar(20, 20, 30), t + 3,
               cv::LINE_AA);
    }
    for (const auto& b : kBones) {
      if (!s.present[b[0]] || !s.present[b[1]]) continue;
      const bool left = b[0] % 2 == 1 && b[1] % 2 == 1 && b[0] != 7;
      const bool right = b[0] % 2 == 0 && b[1] % 2 == 0 && b[0] != 11 && b[0] != 23;
      const cv::Scalar colour = left    ? cv::Scalar(120, 230, 255)
                                : right ? cv::Scalar(255, 190, 90)
                                        : cv::Scalar(240, 240, 240);
      cv::line(layer, At(s.points[b[0]]), At(s.points[b[1]]), colour, t, cv::LINE_AA);
    }
    const cv::Point head = At(0.5 * (s.points[7] + s.points[8]));
    cv::circle(layer, head, Px(0.08), cv::Scalar(20, 20, 30), cv::FILLED, cv::LINE_AA);
    cv::circle(layer, head, Px(0.08), cv::Scalar(240, 240, 240), t, cv::LINE_AA);
    // Contacts: a ring where a limb holds.
    static constexpr int kEnds[] = {19, 20, 31, 32};
    for (int l = 0; l < kLimbCount; ++l) {
      if (!f.placed[l] || !s.present[kEnds[l]]) continue;
      cv::circle(layer, At(s.points[kEnds[l]]), Px(0.035), cv::Scalar(255, 255, 255), 1,
                 cv::LINE_AA);
    }
    cv::circle(layer, At(s.com), Px(0.03), cv::Scalar(255, 60, 200), cv::FILLED, cv::LINE_AA);
    cv::addWeighted(layer, alpha, *img, 1 - alpha, 0, *img);
  }

  // The holds' outlines (the route's coloured by role, the others grey) and the labels of the
  // route's: the number the advice names it by (HoldNumber), then its id when that is another
  // text; `fill` fills the route's (on a plain wall, not over a photo).
  void DrawHolds(cv::Mat* img, bool fill) const {
    const double font = std::max(0.35, height_ / 2400.0);
    for (std::size_t i = 0; i < route_.holds.size(); ++i) {
      const Hold& h = route_.holds[i];
      const std::string number = std::to_string(HoldNumber(i));
      const std::string label = h.id == number ? number : number + " " + h.id;
      const cv::Scalar colour = h.selected ? RoleColour(h.role) : cv::Scalar(150, 150, 150);
      const int t = h.selected ? 2 : 1;
      if (h.outline.size() >= 3) {
        std::vector<cv::Point> pts;
        for (Vec2 p : h.outline) pts.push_back(At(p));
        if (fill && h.selected) {
          cv::fillPoly(*img, std::vector<std::vector<cv::Point>>{pts}, colour * 0.8, cv::LINE_AA);
        }
        cv::polylines(*img, std::vector<std::vector<cv::Point>>{pts}, true, colour, t, cv::LINE_AA);
      } else {
        cv::circle(*img, At(h.centre), Px(h.radius), colour, t, cv::LINE_AA);
      }
      if (!h.selected) continue;
      const cv::Point p = At(h.centre) + cv::Point(Px(h.radius) + 2, -2);
      cv::putText(*img, label, p, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), 3,
                  cv::LINE_AA);
      cv::putText(*img, label, p, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(255, 255, 255), 1,
                  cv::LINE_AA);
    }
  }

  void Caption(cv::Mat* img, const std::string& text, int line) const {
    const double scale = std::max(0.45, std::min(img->rows, height_) / 1400.0);
    const cv::Point p(10, static_cast<int>(24 * scale / 0.5 * (line + 1)));
    cv::putText(*img, text, p, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), 4,
                cv::LINE_AA);
    cv::putText(*img, text, p, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), 1,
                cv::LINE_AA);
  }

 private:
  void DrawGrid() {
    // A line every 0.5 m, so that distances can be judged on a plain wall.
    for (double x = std::ceil(route_.view.left * 2) / 2; x < route_.view.left + route_.view.width;
         x += 0.5) {
      cv::line(background_, At({x, route_.view.top}), At({x, route_.view.top - route_.view.height}),
               cv::Scalar(196, 190, 180), 1);
    }
    for (double y = std::floor(route_.view.top * 2) / 2; y > route_.view.top - route_.view.height;
         y -= 0.5) {
      cv::line(background_, At({route_.view.left, y}),
               At({route_.view.left + route_.view.width, y}), cv::Scalar(196, 190, 180), 1);
    }
  }

  const Route& route_;
  int width_ = 0, height_ = 0;
  cv::Mat background_;
  bool has_photo_ = false;
  std::string error_;
};

std::string ContactName(const Route& route, const Contact& c) {
  switch (c.kind) {
    case Contact::Kind::kHold:
      return route.holds[c.hold].id;
    case Contact::Kind::kSmear:
      return "smear";
    case Contact::Kind::kNone:
      return "-";
  }
  return "-";
}

std::string MoveCaption(const Route& route, const Beta& beta, std::size_t i) {
  const BetaMove& m = beta.moves[i];
  char buf[200];
  std::snprintf(buf, sizeof buf, "move %zu/%zu: %s %s -> %s", i + 1, beta.moves.size(),
                LimbName(m.limb), ContactName(route, m.from).c_str(),
                ContactName(route, m.to).c_str());
  return buf;
}

}  // namespace

Status RenderGhostVideo(const Route& route, const Beta& beta, const Ghost& ghost,
                        const std::string& out_path, const RenderOptions& options) {
  Canvas canvas(route, options);
  if (!canvas.error().empty()) return InvalidArgument(canvas.error());
  auto writer = vision::VideoWriter::Open(out_path, canvas.width(), canvas.height(), 1000);
  if (!writer.ok()) return writer.status();
  std::vector<cv::Point> trail;
  for (const GhostFrame& f : ghost.frames) {
    cv::Mat img = canvas.Fresh();
    trail.push_back(canvas.At(f.skeleton.com));
    for (std::size_t k = 1; k < trail.size(); ++k) {
      cv::line(img, trail[k - 1], trail[k], cv::Scalar(255, 60, 200), 1, cv::LINE_AA);
    }
    canvas.DrawGhost(f, &img, 0.85);
    char t[64];
    std::snprintf(t, sizeof t, "ghost %.1f s", f.timestamp_ms / 1000.0);
    canvas.Caption(&img, t, 0);
    if (f.move) canvas.Caption(&img, MoveCaption(route, beta, *f.move), 1);
    if (Status s = (*writer)->Write(img, f.timestamp_ms); !s.ok()) return s;
  }
  return (*writer)->Finish();
}

Status RenderContactSheet(const Route& route, const Beta& beta, const Ghost& ghost,
                          const std::string& png_path, const RenderOptions& options) {
  Canvas canvas(route, options);
  if (!canvas.error().empty()) return InvalidArgument(canvas.error());
  // Each tile is a window 2.6 m high around the ghost's centre of mass (the whole image when it
  // is smaller), 3:4, scaled to kTileHeight pixels.
  constexpr int kTileHeight = 420;
  constexpr int kTileWidth = 315;
  const int crop_h = std::min(canvas.height(), canvas.Px(2.6));
  const int crop_w = std::min(canvas.width(), crop_h * 3 / 4);
  const std::size_t tiles = ghost.state_ms.size();
  const int cols = static_cast<int>(std::min<std::size_t>(tiles, 6));
  const int rows = static_cast<int>((tiles + cols - 1) / cols);
  cv::Mat sheet(rows * kTileHeight, cols * kTileWidth, CV_8UC3, cv::Scalar(0, 0, 0));
  for (std::size_t i = 0; i < tiles; ++i) {
    // The frame at which state i is settled.
    const auto it =
        std::lower_bound(ghost.frames.begin(), ghost.frames.end(), ghost.state_ms[i],
                         [](const GhostFrame& f, std::int64_t t) { return f.timestamp_ms < t; });
    const GhostFrame& f = it == ghost.frames.end() ? ghost.frames.back() : *it;
    cv::Mat img = canvas.Fresh();
    canvas.DrawGhost(f, &img, 1.0);
    const cv::Point c = canvas.At(f.skeleton.com);
    const int x0 = std::clamp(c.x - crop_w / 2, 0, canvas.width() - crop_w);
    const int y0 = std::clamp(c.y - crop_h / 2, 0, canvas.height() - crop_h);
    cv::Mat tile;
    cv::resize(img(cv::Rect(x0, y0, crop_w, crop_h)), tile, cv::Size(kTileWidth, kTileHeight), 0, 0,
               cv::INTER_AREA);
    canvas.Caption(&tile, i == 0 ? std::string("start") : MoveCaption(route, beta, i - 1), 0);
    tile.copyTo(sheet(cv::Rect(static_cast<int>(i % cols) * kTileWidth,
                               static_cast<int>(i / cols) * kTileHeight, kTileWidth, kTileHeight)));
  }
  cv::Mat bgr;
  cv::cvtColor(sheet, bgr, cv::COLOR_RGB2BGR);
  if (!cv::imwrite(png_path, bgr)) return Internal("cannot write " + png_path);
  return Status::Ok();
}

ComparisonLayer::ComparisonLayer(Route route, Ghost ghost, Comparison comparison)
    : route_(std::move(route)), ghost_(std::move(ghost)), comparison_(std::move(comparison)) {}

void ComparisonLayer::Draw(std::int64_t video_ms, cv::Mat& rgb) {
  if (rgb.empty() || ghost_.frames.empty()) return;
  route_.view.width_px = rgb.cols;
  route_.view.height_px = rgb.rows;
  RenderOptions options;
  options.max_height = rgb.rows;
  const Canvas canvas(route_, options, /*backdrop=*/false);
  canvas.DrawHolds(&rgb, /*fill=*/false);
  const std::int64_t g = GhostTimeAt(comparison_, video_ms);
  const auto it =
      std::lower_bound(ghost_.frames.begin(), ghost_.frames.end(), g,
                       [](const GhostFrame& f, std::int64_t t) { return f.timestamp_ms < t; });
  canvas.DrawGhost(it == ghost_.frames.end() ? ghost_.frames.back() : *it, &rgb, 0.5);
  char t[96];
  std::snprintf(t, sizeof t, "video %.1f s  ghost %.1f s", video_ms / 1000.0, g / 1000.0);
  canvas.Caption(&rgb, t, 0);
}

Status RenderComparisonVideo(const Route& route, const Ghost& ghost, const Comparison& comparison,
                             const std::string& video_path, const std::string& out_path) {
  vision::VideoReaderOptions ro;
  ro.max_width = 960;
  std::string code;
  auto reader = vision::VideoReader::Open(video_path, ro, &code);
  if (!reader.ok()) return InvalidArgument(code + ": " + reader.status().message());
  ComparisonLayer layer(route, ghost, comparison);
  const double fps = std::min<double>((*reader)->info().fps, ro.max_fps);
  auto writer = vision::VideoWriter::Open(out_path, (*reader)->output_width(),
                                          (*reader)->output_height(), fps > 0 ? fps : 30);
  if (!writer.ok()) return writer.status();
  vision::VideoFrame frame;
  for (;;) {
    auto more = (*reader)->Next(&frame, &code);
    if (!more.ok()) return InvalidArgument(code + ": " + more.status().message());
    if (!*more) break;
    cv::Mat img = frame.rgb.clone();
    layer.Draw(frame.timestamp_ms, img);
    if (Status s = (*writer)->Write(img); !s.ok()) return s;
  }
  return (*writer)->Finish();
}

}  // namespace ascension::ghost
