// Business rules that need no I/O: account field validation, subscription tiers and their
// quotas, the video types the app uploads, analysis states.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ascension::domain {

// Every text field a client sends (JSON strings, query parameters) must be valid UTF-8 without
// control characters: no NUL (libpq would cut the value there, so the database would see another
// string than the checks did), no other C0 character, no DEL, no C1 character (U+0080..U+009F).
bool IsCleanText(std::string_view text);
// nullopt when clean, else "<field> must be valid UTF-8 text without control characters".
std::optional<std::string> ValidateText(std::string_view field, std::string_view text);

// Each returns nullopt when valid, or a human sentence naming the problem.
std::optional<std::string> ValidateUsername(std::string_view username);  // ^[A-Za-z0-9_]{3,24}$
std::optional<std::string> ValidateEmail(std::string_view email);  // ^[^\s@]+@[^\s@]+\.[^\s@]+$, ≤ 254
std::optional<std::string> ValidatePassword(std::string_view password);  // 8–72 chars, no whitespace

// Subscription tiers: "freemium" | "premium" | "infinity".
bool IsTier(std::string_view tier);
// Analyses allowed per calendar month (UTC): freemium 10, premium 30, infinity 100.
int MonthlyQuota(std::string_view tier);
// Job priority on the queue (0..9): infinity jobs jump ahead.
int JobPriority(std::string_view tier);

bool IsRole(std::string_view role);  // "user" | "admin"
bool IsLanguage(std::string_view lang);  // "en" | "fr"

// The stored video's extension and content type, from the uploaded file name:
// .mov video/quicktime, .avi video/x-msvideo, .webm video/webm, anything else .mp4 video/mp4.
struct VideoType {
  std::string extension;  // without the dot
  std::string content_type;
};
VideoType VideoTypeForFilename(std::string_view filename);

// Object keys of the storage layout (DESIGN.md).
std::string UploadKey(std::string_view user_id, std::string_view video_id, std::string_view ext);
std::string SavedKey(std::string_view user_id, std::string_view video_id, std::string_view ext);

// Analysis states.
inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kProcessing = "processing";
inline constexpr std::string_view kGeneratingHints = "generating_hints";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kFailed = "failed";
bool IsAnalysisStatus(std::string_view s);

}  // namespace ascension::domain
