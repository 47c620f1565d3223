// The offline tool end to end on a photo: a synthetic wall (vision/holds/synthetic_wall) with a
// ladder of green holds among others is written as a PNG, `ascension-ghost` detects its holds,
// keeps the green ones (--colour), plans and writes the document; hostile inputs end with their
// exit code and message; a bad --profile is a usage error naming the pair. The binary runs as a
// child process (ASCENSION_GHOST_BINARY).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>
#include <string>

#include "vision/holds/detector.hpp"
#include "vision/holds/synthetic_wall.hpp"

namespace ascension::ghost {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
namespace vh = vision::holds;

struct ToolRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class GhostCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ghost_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the tool with `args` (already shell-quoted where needed).
  ToolRun Tool(const std::string& args) const {
    const std::string cmd = std::string("'") + ASCENSION_GHOST_BINARY + "' " + args + " >'" +
                            (dir_ / "out.txt").string() + "' 2>'" + (dir_ / "err.txt").string() +
                            "'";
    const int status = std::system(cmd.c_str());
    ToolRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir_ / "out.txt");
    r.err = Slurp(dir_ / "err.txt");
    return r;
  }

  // A 900 × 1600 px plywood wall: a green ladder up the middle (a hold every 200 px, i.e. 50 cm
  // with --wall-height 400), blue holds beside it, a black one far right.
  fs::path WritePhoto() const {
    vh::LabelledImage wall = vh::GenerateSyntheticWall(7, 900, 1600, "plywood", 0.2);
    wall.holds.clear();
    const auto blob = [](vh::Colour colour, double cx, double cy, double r) {
      vh::LabelledHold h;
      h.colour = colour;
      for (int k = 0; k < 10; ++k) {
        const double a = 2 * M_PI * k / 10;
        h.outline.push_back({cx + r * std::cos(a), cy + 0.8 * r * std::sin(a)});
      }
      return h;
    };
    for (int i = 0; i < 7; ++i) {
      wall.holds.push_back(blob(vh::Colour::kGreen, 450 + (i % 2 ? 60 : -60), 1450 - 200 * i, 34));
    }
    for (int i = 0; i < 4; ++i)
      wall.holds.push_back(blob(vh::Colour::kBlue, 180, 1300 - 300 * i, 34));
    wall.holds.push_back(blob(vh::Colour::kBlack, 780, 700, 34));
    auto bgr = vh::RenderSyntheticWall(wall);
    EXPECT_TRUE(bgr.ok()) << bgr.status().ToString();
    const fs::path p = dir_ / "wall.png";
    EXPECT_TRUE(cv::imwrite(p.string(), *bgr));
    return p;
  }

  fs::path dir_;
};

TEST_F(GhostCli, PlansTheGreenRouteOfAPhoto) {
  const fs::path photo = WritePhoto();
  // The holds the tool sees are the detector's: which of them are green.
  const cv::Mat bgr = cv::imread(photo.string(), cv::IMREAD_COLOR);
  auto set = vh::DetectHolds(bgr);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::set<std::string> green;
  for (std::size_t i = 0; i < set->holds.size(); ++i) {
    if (set->holds[i].colour == vh::Colour::kGreen) green.insert(std::to_string(i));
  }
  ASSERT_GE(green.size(), 6u) << "the detector should find the green ladder";

  const fs::path out = dir_ / "ghost.json";
  const fs::path sheet = dir_ / "ghost.png";
  const ToolRun r = Tool("'" + photo.string() + "' --colour green --wall-height 400 --out '" +
                         out.string() + "' --sheet '" + sheet.string() +
                         "' --profile height=178,span=182,level=fontainebleau:6A");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(Slurp(out), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << "the document is JSON";
  // The climber of --profile (the words of ascension-analyze --profile).
  EXPECT_EQ(doc["body"]["height_cm"], 178) << doc["body"].dump();
  EXPECT_EQ(doc["body"]["span_cm"], 182) << doc["body"].dump();
  EXPECT_EQ(doc["scale"]["source"], "wall_height");
  EXPECT_NEAR(doc["scale"]["metres_per_pixel"].get<double>(), 4.0 / 1600, 1e-6);
  ASSERT_TRUE(doc["no_beta"].is_null()) << doc["no_beta"].dump();
  const json& beta = doc["beta"];
  ASSERT_TRUE(beta["moves"].is_array());
  // From the start pair near the bottom to the top of a 3 m ladder: several hand moves.
  EXPECT_GE(beta["hand_moves"].get<int>(), 4);
  const auto on_green = [&](const json& contact) {
    return !contact.contains("hold") || green.count(contact["hold"].get<std::string>()) == 1;
  };
  for (const auto& [limb, contact] : beta["start"].items()) {
    EXPECT_TRUE(on_green(contact)) << limb << " starts on " << contact.dump();
  }
  for (const json& m : beta["moves"]) {
    EXPECT_TRUE(on_green(m["to"])) << "move to " << m["to"].dump() << " is not on a green hold";
  }
  ASSERT_TRUE(doc["frames"].is_array());
  EXPECT_GT(doc["frames"].size(), 30u);
  EXPECT_TRUE(doc["frames"][0]["landmarks"].contains("15"));
  // The contact sheet is drawn over the photo.
  const cv::Mat png = cv::imread(sheet.string(), cv::IMREAD_COLOR);
  EXPECT_FALSE(png.empty());
}

TEST_F(GhostCli, HostileInputsEndWithTheirCode) {
  const fs::path photo = WritePhoto();
  // A PNG cut short: the decoder's code, exit 1.
  const std::string bytes = Slurp(photo);
  const fs::path cut = dir_ / "cut.png";
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  ToolRun r = Tool("'" + cut.string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: invalid_route: corrupt_image"), std::string::npos) << r.err;
  // A start hold that is not on the photo.
  r = Tool("'" + photo.string() + "' --colour green --start 999");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("999, not found"), std::string::npos) << r.err;
  // A colour no hold has: nothing to climb.
  r = Tool("'" + photo.string() + "' --colour orange --wall-height 400");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: invalid_route: colour orange is on no hold (the holds' colours: "
                       "black, blue, green)"),
            std::string::npos)
      << r.err;
  // Bad usage: --distance needs three values.
  r = Tool("'" + photo.string() + "' --distance 1,2");
  EXPECT_EQ(r.exit_code, 2);
  // A missing file.
  r = Tool("'" + (dir_ / "none.png").string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: invalid_route"), std::string::npos) << r.err;
}

TEST_F(GhostCli, ABadProfileIsAUsageErrorNamingThePair) {
  // Refused by the profile's rules (domain::ParseProfileText), before any route is read.
  const std::string none = "'" + (dir_ / "none.json").string() + "'";
  ToolRun r = Tool(none + " --profile height=178,injured=tail");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--profile injured=tail: not a limb"), std::string::npos) << r.err;
  r = Tool(none + " --profile left_arm=broken");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--profile left_arm=broken: must be injured or absent"), std::string::npos)
      << r.err;
  r = Tool(none + " --profile height=tall");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--profile height=tall: must be a number"), std::string::npos) << r.err;
  // A profile the rules take but that makes no body for the ghost (a span of 129 % of the
  // height): the same usage error, naming the profile.
  r = Tool(none + " --profile height=178,span=230");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--profile height=178,span=230: "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ascension::ghost
