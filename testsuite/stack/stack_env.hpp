// The environment of the test stack, for integration tests.
//
// `./ascension up` writes $ASCENSION_HOME/env: one `export NAME=value` line per setting
// (DATABASE_URL, RABBITMQ_URL, MINIO_*, JWT_SECRET, API_PORT, the service ports...), a value
// single-quoted when it needs it. CTest runs every integration test with ASCENSION_ENV_FILE naming
// the file of the stack its fixture brought up (see testsuite/CMakeLists.txt).
//
//   auto env = ascension::testsuite::StackEnv::Load();
//   if (!env.ok()) GTEST_FAIL() << env.error();
//   std::string url = env.Get("DATABASE_URL");
//   env.Export();  // setenv every value, for code that reads its configuration from the environment
//   env.Control("stop rabbitmq");  // ./ascension stop|start SERVICE on this stack, for outage tests
//
// Header-only, no dependency beyond the standard library.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace ascension::testsuite {

class StackEnv {
 public:
  // Reads the file named by ASCENSION_ENV_FILE. Never throws: a missing variable or an unreadable
  // file gives an environment that is not ok() and says why in error().
  static StackEnv Load() {
    const char* path = std::getenv("ASCENSION_ENV_FILE");
    if (path == nullptr || *path == '\0') {
      return Failed("ASCENSION_ENV_FILE is not set: run integration tests through ctest (the "
                    "`stack` fixture brings the stack up) or point it at a stack's env file");
    }
    return LoadFrom(path);
  }

  // Reads one env file.
  static StackEnv LoadFrom(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Failed("cannot read the stack env file " + path + " (is the stack up?)");
    StackEnv env;
    env.path_ = path;
    std::string line;
    while (std::getline(in, line)) {
      std::string_view rest = Trim(line);
      if (rest.empty() || rest.front() == '#') continue;
      constexpr std::string_view kExport = "export ";
      if (rest.substr(0, kExport.size()) == kExport) rest.remove_prefix(kExport.size());
      auto eq = rest.find('=');
      if (eq == std::string_view::npos || eq == 0) continue;
      std::string_view value = rest.substr(eq + 1);
      if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      env.values_[std::string(rest.substr(0, eq))] = std::string(value);
    }
    return env;
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }
  const std::map<std::string, std::string>& values() const { return values_; }

  // The value of NAME, or `fallback` when the file does not set it.
  std::string Get(const std::string& name, std::string fallback = {}) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::move(fallback) : it->second;
  }

  // Whether the file sets NAME.
  bool Has(const std::string& name) const { return values_.count(name) != 0; }

  // A port setting as a number (0 when absent or malformed).
  int Port(const std::string& name) const {
    const std::string v = Get(name);
    if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos) {
      return 0;
    }
    return std::stoi(v);
  }

  // Runs `ascension ARGS` (the entry script named by ASCENSION_CLI, which CTest sets) against this
  // stack, e.g. "stop rabbitmq" or "start rabbitmq". Returns the command's exit status (-1 when it
  // could not run). ARGS is passed to the shell as is.
  int Control(const std::string& args) const {
    const char* cli = std::getenv("ASCENSION_CLI");
    if (cli == nullptr || *cli == '\0' || !Has("ASCENSION_HOME")) return -1;
    const std::string cmd = "ASCENSION_HOME='" + Get("ASCENSION_HOME") + "' '" + cli + "' " + args;
    const int rc = std::system(cmd.c_str());
    return rc == -1 ? -1 : WEXITSTATUS(rc);
  }

  // setenv() every value, replacing what the process had.
  void Export() const {
    for (const auto& [name, value] : values_) ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  static StackEnv Failed(std::string why) {
    StackEnv env;
    env.error_ = std::move(why);
    return env;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
      s.remove_suffix(1);
    }
    return s;
  }

  std::map<std::string, std::string> values_;
  std::string path_;
  std::string error_;
};

}  // namespace ascension::testsuite
