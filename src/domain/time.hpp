// Instants as the product writes them: RFC 3339 in UTC with milliseconds
// ("2026-12-01T08:30:00.123Z"), the form of every timestamp in the API and the messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ascension::domain {

using Time = std::chrono::system_clock::time_point;

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (milliseconds truncated).
std::string FormatTime(Time t);
// Milliseconds since the Unix epoch, and back.
std::int64_t ToUnixMillis(Time t);
Time FromUnixMillis(std::int64_t ms);
// 00:00:00 UTC on the first day of t's calendar month (UTC): where monthly quotas start.
Time MonthStart(Time t);

}  // namespace ascension::domain
