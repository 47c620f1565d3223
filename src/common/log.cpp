#include "common/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "common/strings.hpp"

namespace ascension::log {
namespace {

// Set once by Init() before threads start; read-only afterwards.
struct Settings {
  std::string service = "ascension";
  std::atomic<int> min_level{static_cast<int>(Level::kInfo)};
};

Settings& settings() {
  static Settings s;
  return s;
}

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

void Init(std::string_view service, Level min_level) {
  settings().service = std::string(service);
  settings().min_level = static_cast<int>(min_level);
}

bool ParseLevel(std::string_view text, Level* out) {
  const std::string t = Lowercase(text);
  if (t == "debug" || t == "trace") *out = Level::kDebug;
  else if (t == "info") *out = Level::kInfo;
  else if (t == "warn" || t == "warning") *out = Level::kWarn;
  else if (t == "error") *out = Level::kError;
  else return false;
  return true;
}

void Write(Level level, std::string_view msg, const nlohmann::json& fields) {
  if (static_cast<int>(level) < settings().min_level) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = NowRfc3339();
  line["level"] = LevelName(level);
  line["service"] = settings().service;
  line["msg"] = msg;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  // One write per line: POSIX keeps writes to a pipe up to PIPE_BUF atomic, and for files
  // opened O_APPEND the kernel serializes them, so concurrent lines do not interleave.
  ssize_t off = 0;
  while (off < static_cast<ssize_t>(text.size())) {
    ssize_t n = ::write(STDOUT_FILENO, text.data() + off, text.size() - off);
    if (n <= 0) break;
    off += n;
  }
}

}  // namespace ascension::log
