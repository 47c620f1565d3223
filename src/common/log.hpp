// Structured logging: one JSON object per line on stdout, for Loki or any shipper.
// Every line has "ts" (RFC 3339, UTC, ms), "level", "service" and "msg", then the fields given.
// Thread-safe; a line is written with a single write(2) so lines never interleave.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace ascension::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Sets the process-wide service name and minimum level. Call once at start, before any thread.
void Init(std::string_view service, Level min_level);

// Parses "debug" | "info" | "warn" | "error" (case-insensitive). Returns false if unknown.
bool ParseLevel(std::string_view text, Level* out);

void Write(Level level, std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

inline void Debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kError, m, f); }

}  // namespace ascension::log
