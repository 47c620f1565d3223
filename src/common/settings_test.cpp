// The settings table against its two descriptions for people: .env.example and the README's
// configuration table must list exactly the table's settings, and no source file reads the
// environment except the one reader.
#include "common/settings.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/config.hpp"

namespace ascension {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::set<std::string> TableNames() {
  std::set<std::string> out;
  for (const auto& s : AllSettings()) out.insert(std::string(s.name));
  return out;
}

std::string Describe(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(none)" : out;
}

// Settings lines (NAME=value) of .env.example before its "Local stack only" section (variables of
// the ./ascension scripts, not of the processes).
std::set<std::string> EnvExampleNames() {
  std::set<std::string> out;
  std::istringstream in(ReadFile(std::filesystem::path(ASCENSION_SOURCE_DIR) / ".env.example"));
  static const std::regex kLine("^([A-Z][A-Z0-9_]*)=.*");
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("Local stack only") != std::string::npos) break;
    std::smatch m;
    if (std::regex_match(line, m, kLine)) out.insert(m[1]);
  }
  return out;
}

// Names in backticks in the first column of the README's "## Configuration" table.
std::set<std::string> ReadmeNames(std::set<std::string>* aliases) {
  std::set<std::string> out;
  std::istringstream in(ReadFile(std::filesystem::path(ASCENSION_SOURCE_DIR) / "README.md"));
  static const std::regex kName("`([A-Z][A-Z0-9_]*)`");
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Configuration";
    if (!in_section || line.rfind("| `", 0) != 0) continue;
    std::string first = line.substr(1, line.find('|', 1) - 1);
    for (std::sregex_iterator it(first.begin(), first.end(), kName), end; it != end; ++it) {
      std::string name = (*it)[1];
      bool is_alias = false;
      for (const auto& s : AllSettings()) is_alias = is_alias || s.alias == name;
      (is_alias ? *aliases : out).insert(name);
    }
  }
  return out;
}

std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const auto& x : a) {
    if (!b.count(x)) out.insert(x);
  }
  return out;
}

TEST(Settings, NamesAreUniqueAndEntriesComplete) {
  std::set<std::string> seen;
  for (const auto& s : AllSettings()) {
    EXPECT_TRUE(seen.insert(std::string(s.name)).second) << s.name;
    EXPECT_FALSE(s.meaning.empty()) << s.name;
    EXPECT_NE(s.processes, 0u) << s.name;
    EXPECT_EQ(FindSetting(s.name), &s);
    if (s.type == SettingType::kInt && !s.default_value.empty()) {
      long long v = std::stoll(std::string(s.default_value));
      EXPECT_GE(v, s.min) << s.name;
      EXPECT_LE(v, s.max) << s.name;
    }
    if (s.type == SettingType::kChoice) {
      EXPECT_NE(("|" + std::string(s.choices) + "|").find("|" + std::string(s.default_value) + "|"),
                std::string::npos)
          << s.name;
    }
    if (s.required) {
      EXPECT_TRUE(s.default_value.empty()) << s.name;
    }
  }
  EXPECT_EQ(FindSetting("NO_SUCH_SETTING"), nullptr);
}

TEST(Settings, EnvExampleListsExactlyTheTable) {
  auto doc = EnvExampleNames();
  auto table = TableNames();
  EXPECT_EQ(Describe(Minus(table, doc)), "(none)") << "settings missing from .env.example";
  EXPECT_EQ(Describe(Minus(doc, table)), "(none)") << ".env.example lists names the table lacks";
}

TEST(Settings, ReadmeTableListsExactlyTheTable) {
  std::set<std::string> aliases;
  auto doc = ReadmeNames(&aliases);
  auto table = TableNames();
  EXPECT_EQ(Describe(Minus(table, doc)), "(none)") << "settings missing from the README table";
  EXPECT_EQ(Describe(Minus(doc, table)), "(none)")
      << "the README table lists names the table lacks";
}

TEST(Settings, ReaderTakesDefaultsAndBoundsFromTheTable) {
  unsetenv("API_PORT");
  EnvReader env;
  EXPECT_EQ(env.Integer("API_PORT"), 8080);
  EXPECT_EQ(env.Integer("WORKER_CONCURRENCY", 7), 7);
  EXPECT_EQ(env.Choice("ASCENSION_MODEL"), "heavy");
  EXPECT_TRUE(env.ok());
  setenv("API_PORT", "70000", 1);
  env.Integer("API_PORT");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error()->rfind("API_PORT must be an integer between 0 and 65535", 0), 0u);
  unsetenv("API_PORT");
  EnvReader unknown;
  unknown.String("NOT_IN_THE_TABLE");
  EXPECT_EQ(unknown.error().value_or(""), "NOT_IN_THE_TABLE is not a setting");
  setenv("ASCENSION_MODEL", "giant", 1);
  EnvReader choice;
  choice.Choice("ASCENSION_MODEL");
  EXPECT_EQ(choice.error().value_or(""),
            "ASCENSION_MODEL must be one of lite,full,heavy (got \"giant\")");
  unsetenv("ASCENSION_MODEL");
  setenv("RUST_LOG", "warn", 1);
  unsetenv("LOG_LEVEL");
  EnvReader alias;
  EXPECT_EQ(alias.String("LOG_LEVEL"), "warn");
  unsetenv("RUST_LOG");
}

// "Configuration is read in one place per process": nothing but the reader calls getenv.
TEST(Settings, OnlyTheReaderReadsTheEnvironment) {
  namespace fs = std::filesystem;
  std::vector<std::string> offenders;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(ASCENSION_SOURCE_DIR) / "src")) {
    if (!e.is_regular_file()) continue;
    const auto& p = e.path();
    std::string name = p.filename().string();
    if (p.extension() != ".cpp" && p.extension() != ".hpp") continue;
    if (name.find("_test.cpp") != std::string::npos) continue;
    if (fs::relative(p, ASCENSION_SOURCE_DIR) == fs::path("src/common/config.cpp")) continue;
    std::string text = ReadFile(p);
    if (text.find("getenv(") != std::string::npos ||
        text.find("secure_getenv(") != std::string::npos)
      offenders.push_back(fs::relative(p, ASCENSION_SOURCE_DIR).string());
  }
  EXPECT_TRUE(offenders.empty()) << "getenv outside src/common/config.cpp: " << offenders.front();
}

}  // namespace
}  // namespace ascension
