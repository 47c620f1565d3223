// Helpers shared by the fuzz targets: quiet logs, and failing loudly on what must never happen.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/log.hpp"

namespace ascension::fuzz {

// The code under test logs JSON lines on stdout; they still get built (that code is fuzzed too)
// but go to /dev/null so libFuzzer's own report on stderr stays readable and fast. Set
// ASCENSION_FUZZ_LOGS=1 to see them (e.g. the "handler threw" line when replaying a crash).
inline void QuietLogs() {
  const char* keep = std::getenv("ASCENSION_FUZZ_LOGS");
  if (keep != nullptr && std::string_view(keep) == "1") {
    log::Init("fuzz", log::Level::kDebug);
    return;
  }
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    close(null);
  }
  log::Init("fuzz", log::Level::kDebug);
}

// A broken invariant: abort with a message so libFuzzer records the input as a crash.
[[noreturn]] inline void Fail(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

inline void Check(bool ok, std::string_view what) {
  if (!ok) Fail(what);
}

}  // namespace ascension::fuzz
