// `ascension-analyze --profile` end to end (issue 15): the binary runs as a child process on the
// shared sample clip (testdata/example-2.mp4, lite model, so that it stays a few seconds) once for
// an unknown climber and once for a climber whose arm is injured: the arm the unknown climber is
// asked to use (so the second run can fail); the injured climber never is, and the
// result carries the profile the coaching used, exactly as the worker writes it for an owner.
// A bad --profile is a usage error (exit 2) naming the pair, before any video is read.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

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

}  // namespace
