#include "domain/rules.hpp"

#include <algorithm>
#include <cctype>

#include "common/strings.hpp"

namespace ascension::domain {

bool IsCleanText(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return false;
      ++p;
      continue;
    }
    // Multi-byte sequences (RFC 3629): the shortest form only, no surrogates, at most U+10FFFF.
    int extra = 0;
    char32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F)) {
      return false;
    }
    p += extra + 1;
  }
  return true;
}

std::optional<std::string> ValidateText(std::string_view field, std::string_view text) {
  if (IsCleanText(text)) return std::nullopt;
  return std::string(field) + " must be valid UTF-8 text without control characters";
}

std::optional<std::string> ValidateUsername(std::string_view u) {
  if (u.size() < 3 || u.size() > 24)
    return "username must be 3 to 24 characters long";
  for (unsigned char c : u) {
    if (!std::isalnum(c) && c != '_') return "username may contain only letters, digits and '_'";
  }
  return std::nullopt;
}

std::optional<std::string> ValidateEmail(std::string_view e) {
  auto bad = std::optional<std::string>("email is not a valid address");
  if (e.empty() || e.size() > 254) return bad;
  for (unsigned char c : e) {
    if (std::isspace(c)) return bad;
  }
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return bad;
  std::string_view domain = e.substr(at + 1);
  size_t dot = domain.rfind('.');
  // ^[^\s@]+@[^\s@]+\.[^\s@]+$ : something before and after the last dot of the domain part.
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return bad;
  return std::nullopt;
}

std::optional<std::string> ValidatePassword(std::string_view p) {
  if (p.size() < 8 || p.size() > 72) return "password must be 8 to 72 characters long";
  for (unsigned char c : p) {
    if (std::isspace(c)) return "password must not contain whitespace";
  }
  return std::nullopt;
}

bool IsTier(std::string_view t) { return t == "freemium" || t == "premium" || t == "infinity"; }

int MonthlyQuota(std::string_view t) {
  if (t == "infinity") return 100;
  if (t == "premium") return 30;
  return 10;
}

int JobPriority(std::string_view t) {
  if (t == "infinity") return 9;
  if (t == "premium") return 5;
  return 1;
}

bool IsRole(std::string_view r) { return r == "user" || r == "admin"; }
bool IsLanguage(std::string_view l) { return l == "en" || l == "fr"; }

VideoType VideoTypeForFilename(std::string_view filename) {
  size_t dot = filename.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : Lowercase(filename.substr(dot + 1));
  if (ext == "mov") return {"mov", "video/quicktime"};
  if (ext == "avi") return {"avi", "video/x-msvideo"};
  if (ext == "webm") return {"webm", "video/webm"};
  return {"mp4", "video/mp4"};
}

std::string UploadKey(std::string_view user_id, std::string_view video_id, std::string_view ext) {
  return "uploads/" + std::string(user_id) + "/" + std::string(video_id) + "." + std::string(ext);
}

std::string SavedKey(std::string_view user_id, std::string_view video_id, std::string_view ext) {
  return "saved/" + std::string(user_id) + "/" + std::string(video_id) + "." + std::string(ext);
}

bool IsAnalysisStatus(std::string_view s) {
  return s == kPending || s == kProcessing || s == kGeneratingHints || s == kCompleted || s == kFailed;
}

}  // namespace ascension::domain
