// Videos: presigned uploads, the caller's listing, playback, saving (copy out of the expiring
// uploads/ prefix) and deletion. Someone else's video is indistinguishable from a missing one;
// the API never carries video bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/page.hpp"
#include "domain/video.hpp"
#include "ports/clock.hpp"
#include "ports/object_store.hpp"
#include "ports/video_repository.hpp"
#include "services/principal.hpp"

namespace ascension::services {

struct VideosOptions {
  std::chrono::seconds presign_ttl{15 * 60};
  std::int64_t max_video_bytes = 500LL * 1024 * 1024;  // a declared size above is refused
};

struct UploadTicket {
  domain::Video video;
  ports::SignedUrl url;  // a PUT of exactly this key with the signed Content-Type
};

struct Playback {
  domain::Video video;                  // status and size as storage last saw them
  std::optional<ports::SignedUrl> url;  // unset while nothing was uploaded
};

class Videos {
 public:
  Videos(ports::VideoRepository& videos, const ports::ObjectStore& objects,
         const ports::Clock& clock, VideosOptions options = {});

  // A new video awaiting upload and its presigned PUT. `user_id`, when the client sends it,
  // must be the caller's (kPermissionDenied otherwise). `size_bytes`, when the client declares
  // it, is signed into the URL as its Content-Length (1 .. max_video_bytes, else
  // kInvalidArgument, "video_too_large" above the limit).
  Result<UploadTicket> RequestUpload(const Principal& caller, std::string_view filename,
                                     const std::optional<std::string>& user_id,
                                     std::optional<std::int64_t> size_bytes = std::nullopt);
  Result<domain::PageOf<domain::Video>> List(const Principal& caller, const domain::Page& page);
  // The video and a presigned GET once its object exists (which also records the upload).
  Result<Playback> Show(const Principal& caller, const domain::Uuid& id);
  // Copies the upload to saved/ (kept), then drops the upload copy. kFailedPrecondition
  // "video_not_uploaded" before the upload arrived.
  Result<domain::Video> Save(const Principal& caller, const domain::Uuid& id);
  // Deletes the object, its thumbnail and the row (and the video's analyses).
  Status Delete(const Principal& caller, const domain::Uuid& id);

  std::chrono::seconds presign_ttl() const { return options_.presign_ttl; }

 private:
  Result<domain::Video> Owned(const Principal& caller, const domain::Uuid& id);

  ports::VideoRepository& videos_;
  const ports::ObjectStore& objects_;
  const ports::Clock& clock_;
  VideosOptions options_;
};

}  // namespace ascension::services
