// An uploaded (or awaited) video. States: awaiting_upload → uploaded → saved, or → expired once
// an unsaved upload passes the retention period.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "domain/uuid.hpp"

namespace ascension::domain {

inline constexpr std::string_view kAwaitingUpload = "awaiting_upload";
inline constexpr std::string_view kUploaded = "uploaded";
inline constexpr std::string_view kSaved = "saved";
inline constexpr std::string_view kExpired = "expired";

struct Video {
  Uuid id;
  Uuid user_id;
  std::string filename;
  std::string content_type;
  std::string object_key;  // uploads/{user}/{video}.{ext} or saved/{user}/{video}.{ext}
  std::string status{kAwaitingUpload};
  std::optional<std::int64_t> size_bytes;
  Time created_at{};
};

}  // namespace ascension::domain
