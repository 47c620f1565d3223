#include "common/cli.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ascension::cli {
namespace {

// getopt_long wants mutable argv; this keeps the strings alive for one parse.
ParsedArgs ParseArgv(std::vector<std::string> args, std::size_t max_positionals = 1) {
  args.insert(args.begin(), "tool");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return Parse(static_cast<int>(args.size()), argv.data(),
               {{"out", true}, {"threads", true}, {"dry-run", false}}, max_positionals);
}

TEST(Cli, OptionsValuesAndPositionalsInAnyOrder) {
  auto p = ParseArgv({"--out", "a.json", "video.mp4", "--threads=3", "--dry-run"});
  ASSERT_FALSE(p.error) << *p.error;
  EXPECT_EQ(p.Get("out"), "a.json");
  EXPECT_EQ(p.Get("threads"), "3");
  EXPECT_EQ(p.Get("dry-run"), "");
  EXPECT_TRUE(p.Has("dry-run"));
  EXPECT_FALSE(p.Has("missing"));
  EXPECT_FALSE(p.help);
  EXPECT_EQ(p.positionals, std::vector<std::string>{"video.mp4"});
}

TEST(Cli, TheLastValueWinsAndDoubleDashEndsOptions) {
  auto p = ParseArgv({"--out", "a", "--out", "b", "--", "--not-an-option"});
  ASSERT_FALSE(p.error) << *p.error;
  EXPECT_EQ(p.Get("out"), "b");
  EXPECT_EQ(p.positionals, std::vector<std::string>{"--not-an-option"});
}

TEST(Cli, Help) {
  EXPECT_TRUE(ParseArgv({"--help"}).help);
  EXPECT_TRUE(ParseArgv({"-h"}).help);
}

TEST(Cli, ErrorsNameTheArgument) {
  EXPECT_EQ(ParseArgv({"--bogus"}).error, "unknown option --bogus");
  EXPECT_EQ(ParseArgv({"-x"}).error, "unknown option -x");
  EXPECT_EQ(ParseArgv({"--out"}).error, "--out needs a value");
  EXPECT_EQ(ParseArgv({"--dry-run=yes"}).error.has_value(), true);
  EXPECT_EQ(ParseArgv({"a", "b"}).error, "unexpected argument b");
  EXPECT_EQ(ParseArgv({"a"}, 0).error, "unexpected argument a");
}

TEST(Cli, ParsesAgainAfterAnError) {
  // getopt_long keeps global state: a parse after a failed one starts afresh.
  EXPECT_TRUE(ParseArgv({"-xyz"}).error.has_value());
  auto p = ParseArgv({"--threads", "2", "in"});
  ASSERT_FALSE(p.error) << *p.error;
  EXPECT_EQ(p.Get("threads"), "2");
  EXPECT_EQ(p.positionals, std::vector<std::string>{"in"});
}

}  // namespace
}  // namespace ascension::cli
