// `ascension-analyze` end to end: the binary runs as a child process on the shared sample clip
// (testdata/example-2.mp4, lite model, so that it stays a few seconds).
// --profile (issue 15): once for an unknown climber and once for a climber whose arm is injured:
// the arm the unknown climber is asked to use (so the second run can fail); the injured climber
// never is, and the result carries the profile the coaching used, exactly as the worker writes it
// for an owner. A bad --profile is a usage error (exit 2) naming the pair, before any video is
// read.
// --route (issue 14 item 7): with the labelled green route of the clip (testdata/ghost), the
// result has its route and ghost sections (moves compared, a sync), and the rendered overlay has
// the clip's frames with the ghost drawn in them: the same frames rendered without the route
// differ, and by more than static marks (the holds) would make. A bad route file is a usage error
// (exit 2) in one line naming the problem.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vision/video/video_reader.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ToolRun {
  int exit_code = -1;
  std::string err;
  json result;  // the --out document, null when none was written
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AnalyzeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("analyze_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Route() {
    return std::string(ASCENSION_TEST_DATA_DIR) + "/ghost/example-2-green.json";
  }

  // Every frame of a video, as the analysis samples it (the reader's defaults).
  static std::vector<cv::Mat> Decode(const std::string& path) {
    std::vector<cv::Mat> out;
    std::string code;
    auto reader = ascension::vision::VideoReader::Open(path, {}, &code);
    if (!reader.ok()) {
      ADD_FAILURE() << path << ": " << code << " " << reader.status().message();
      return out;
    }
    ascension::vision::VideoFrame frame;
    for (;;) {
      auto more = (*reader)->Next(&frame, &code);
      if (!more.ok()) {
        ADD_FAILURE() << path << ": " << code << " " << more.status().message();
        return out;
      }
      if (!*more) break;
      out.push_back(frame.rgb.clone());
    }
    return out;
  }

  // 255 where two frames differ by more than `threshold` in a channel, away from `marks`.
  static cv::Mat1b Differs(const cv::Mat& a, const cv::Mat& b, int threshold,
                           const cv::Mat1b& marks) {
    cv::Mat1b mask(a.rows, a.cols, uchar{0});
    for (int y = 0; y < a.rows; ++y) {
      for (int x = 0; x < a.cols; ++x) {
        if (marks(y, x)) continue;
        const auto& p = a.at<cv::Vec3b>(y, x);
        const auto& q = b.at<cv::Vec3b>(y, x);
        for (int c = 0; c < 3; ++c) {
          if (std::abs(int{p[c]} - int{q[c]}) > threshold) mask(y, x) = 255;
        }
      }
    }
    return mask;
  }

  // 255 where the overlay draws something that does not move, in a frame of `size`: the caption
  // band at the top, and around each hold of the route its outline and its id's label (to the
  // right of it). What differs elsewhere is the ghost.
  static cv::Mat1b StaticMarks(const json& route, cv::Size size) {
    cv::Mat1b marks(size.height, size.width, uchar{0});
    marks(cv::Rect(0, 0, size.width, size.height / 10)).setTo(255);
    const double k = static_cast<double>(size.width) / route["image"]["width"].get<double>();
    for (const json& h : route["holds"]) {
      double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
      for (const json& p : h["outline"]) {
        x0 = std::min(x0, p[0].get<double>() * k);
        x1 = std::max(x1, p[0].get<double>() * k);
        y0 = std::min(y0, p[1].get<double>() * k);
        y1 = std::max(y1, p[1].get<double>() * k);
      }
      const cv::Rect box(cv::Point(static_cast<int>(x0) - 6, static_cast<int>(y0) - 20),
                         cv::Point(static_cast<int>(x1) + 160, static_cast<int>(y1) + 6));
      marks(box & cv::Rect(0, 0, size.width, size.height)).setTo(255);
    }
    return marks;
  }

  // Runs the tool on the sample clip with `args` (already shell-quoted).
  ToolRun Analyze(const std::string& args) const {
    const fs::path out = dir_ / "result.json";
    fs::remove(out);
    const std::string cmd = std::string("'") + ASCENSION_ANALYZE_BINARY + "' '" +
                            ASCENSION_TEST_DATA_DIR + "/example-2.mp4' --model lite --lang en" +
                            " --models-dir '" + ASCENSION_TEST_MODELS_DIR + "' --out '" +
                            out.string() + "' --hints '" + (dir_ / "hints.md").string() + "' " +
                            args + " 2>'" + (dir_ / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    ToolRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = Slurp(dir_ / "err.txt");
    if (fs::exists(out)) r.result = json::parse(Slurp(out), nullptr, false);
    return r;
  }

  static std::set<std::string> LimbsAsked(const json& result) {
    std::set<std::string> out;
    if (!result.is_object() || !result.contains("advice") || !result["advice"].is_array()) {
      return out;
    }
    for (const auto& advice : result["advice"]) {
      if (!advice.is_object() || !advice.contains("limbs") || !advice["limbs"].is_array()) continue;
      for (const auto& l : advice["limbs"]) {
        if (l.is_string()) out.insert(l.get<std::string>());
      }
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(AnalyzeCli, AnInjuredArmIsNeverAskedFor) {
  const ToolRun plain = Analyze("");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_TRUE(plain.result.is_object()) << plain.err;
  EXPECT_EQ(plain.result["biomechanics"]["climber"]["limbs"], json::object());
  // The arm the sample's advice asks an unknown climber for (the left one with the lite model).
  const auto asked = LimbsAsked(plain.result);
  const std::string arm = asked.count("left_arm") ? "left_arm" : "right_arm";
  ASSERT_EQ(asked.count(arm), 1u)
      << "the sample must ask an unknown climber for an arm, or this test proves nothing: "
      << plain.result["advice"].dump();

  const ToolRun injured =
      Analyze("--profile height=178,span=182,level=fontainebleau:6A,injured=" + arm);
  ASSERT_EQ(injured.exit_code, 0) << injured.err;
  ASSERT_TRUE(injured.result.is_object()) << injured.err;
  EXPECT_EQ(LimbsAsked(injured.result).count(arm), 0u) << injured.result["advice"].dump();
  EXPECT_FALSE(injured.result["advice"].empty()) << "still coached";
  const json& climber = injured.result["biomechanics"]["climber"];
  EXPECT_EQ(climber["height_cm"], 178) << climber.dump();
  EXPECT_EQ(climber["arm_span_cm"], 182) << climber.dump();
  EXPECT_EQ(climber["level"], "6A") << climber.dump();
  EXPECT_EQ(climber["limbs"], (json{{arm, "injured"}})) << climber.dump();
  // The same poses: only the coaching differs.
  EXPECT_EQ(injured.result["frames"].size(), plain.result["frames"].size());
}

TEST_F(AnalyzeCli, ABadProfileIsAUsageErrorNamingIt) {
  const ToolRun r = Analyze("--profile height=178,injured=tail");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("injured=tail"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a limb"), std::string::npos) << r.err;
  EXPECT_TRUE(r.result.is_null()) << "nothing analysed";

  const ToolRun range = Analyze("--profile height=400");
  EXPECT_EQ(range.exit_code, 2) << range.err;
  EXPECT_NE(range.err.find("height_cm"), std::string::npos) << range.err;
}

TEST_F(AnalyzeCli, ARouteGivesTheGhostSectionAndDrawsTheGhostBesideTheClimber) {
  const std::string with_path = (dir_ / "with.mp4").string();
  const ToolRun with = Analyze("--route '" + Route() + "' --render '" + with_path + "'");
  ASSERT_EQ(with.exit_code, 0) << with.err;
  ASSERT_TRUE(with.result.is_object()) << with.err;
  const json& route = with.result["route"];
  ASSERT_TRUE(route.is_object() && route["holds_used"].is_array()) << route.dump();
  EXPECT_FALSE(route["holds_used"].empty()) << route.dump();
  const json& ghost = with.result["ghost"];
  ASSERT_TRUE(ghost.is_object()) << with.err;
  ASSERT_EQ(ghost["status"], "compared") << ghost.dump();
  ASSERT_TRUE(ghost["beta"]["moves"].is_array()) << ghost.dump();
  EXPECT_FALSE(ghost["beta"]["moves"].empty());
  ASSERT_TRUE(ghost["comparison"]["moves"].is_array());
  EXPECT_FALSE(ghost["comparison"]["moves"].empty());
  const json& sync = ghost["comparison"]["sync"];
  ASSERT_TRUE(sync.is_array() && sync.size() >= 2) << sync.dump();
  EXPECT_GT(ghost["duration_ms"].get<long long>(), 0);

  // The rendered video: the clip's frames, the ghost drawn in them.
  const std::vector<cv::Mat> clip = Decode(std::string(ASCENSION_TEST_DATA_DIR) + "/example-2.mp4");
  const std::vector<cv::Mat> drawn = Decode(with_path);
  ASSERT_FALSE(clip.empty());
  EXPECT_EQ(drawn.size(), clip.size());
  EXPECT_EQ(drawn.size(), with.result["frames"].size());

  const std::string without_path = (dir_ / "without.mp4").string();
  const ToolRun without = Analyze("--render '" + without_path + "'");
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_FALSE(without.result.contains("ghost"));
  const std::vector<cv::Mat> plain = Decode(without_path);
  ASSERT_EQ(plain.size(), drawn.size());
  ASSERT_GE(drawn.size(), 30u);
  // Away from the caption and the holds, two frames far apart: each differs from its frame
  // without the route (the ghost is drawn), and where they differ is not the same (it climbs).
  const json route_file = json::parse(Slurp(Route()));
  const cv::Mat1b marks = StaticMarks(route_file, drawn[0].size());
  const std::size_t a = drawn.size() / 4, b = drawn.size() * 3 / 4;
  const cv::Mat1b da = Differs(drawn[a], plain[a], 40, marks);
  const cv::Mat1b db = Differs(drawn[b], plain[b], 40, marks);
  const double area = static_cast<double>(drawn[0].rows) * drawn[0].cols;
  EXPECT_GT(cv::countNonZero(da), 0.003 * area) << "frame " << a;
  EXPECT_GT(cv::countNonZero(db), 0.003 * area) << "frame " << b;
  cv::Mat1b moved;
  cv::bitwise_xor(da, db, moved);
  EXPECT_GT(cv::countNonZero(moved), 0.005 * area)
      << "the ghost moves between frames " << a << " and " << b;
}

TEST_F(AnalyzeCli, ARouteWithoutRenderStillWritesTheGhostSection) {
  const ToolRun r = Analyze("--route '" + Route() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(r.result.is_object()) << r.err;
  EXPECT_EQ(r.result["ghost"]["status"], "compared") << r.result["ghost"].dump();
  EXPECT_FALSE(r.result["ghost"]["comparison"]["sync"].empty());
}

TEST_F(AnalyzeCli, ABadRouteFileIsAUsageErrorInOneLine) {
  const fs::path bad = dir_ / "bad-route.json";
  {
    std::ofstream out(bad);
    out << R"({"image": {"width": 480, "height": 854}, "holds": [{"id": "a", "centre": "up"}]})";
  }
  const ToolRun r = Analyze("--route '" + bad.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("holds[0].centre"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.result.is_null()) << "nothing analysed";

  const ToolRun missing = Analyze("--route '" + (dir_ / "none.json").string() + "'");
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("none.json"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;

  {
    std::ofstream out(bad);
    out << "{\"holds\": [";
  }
  const ToolRun truncated = Analyze("--route '" + bad.string() + "'");
  EXPECT_EQ(truncated.exit_code, 2) << truncated.err;
  EXPECT_NE(truncated.err.find("not valid JSON"), std::string::npos) << truncated.err;
}

}  // namespace
