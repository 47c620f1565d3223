#include "services/videos.hpp"

#include "domain/rules.hpp"

namespace ascension::services {
namespace {

Status NoSuchVideo() {
  return NotFound("Video not found");
}

}  // namespace

Videos::Videos(ports::VideoRepository& videos, const ports::ObjectStore& objects,
               const ports::Clock& clock, VideosOptions options)
    : videos_(videos), objects_(objects), clock_(clock), options_(options) {}

Result<domain::Video> Videos::Owned(const Principal& caller, const domain::Uuid& id) {
  auto v = videos_.FindOwned(id, caller.user_id);
  if (!v.ok()) return v.status();
  if (!*v) return NoSuchVideo();
  return std::move(**v);
}

Result<UploadTicket> Videos::RequestUpload(const Principal& caller, std::string_view filename,
                                           const std::optional<std::string>& user_id,
                                           std::optional<std::int64_t> size_bytes) {
  if (filename.empty() || filename.size() > 255)
    return InvalidArgument("filename must be 1 to 255 characters");
  if (size_bytes && *size_bytes < 1) return InvalidArgument("size_bytes must be a positive integer");
  if (size_bytes && *size_bytes > options_.max_video_bytes) {
    return Status(ErrorKind::kInvalidArgument,
                  "The video is larger than the limit of " +
                      std::to_string(options_.max_video_bytes / (1024 * 1024)) + " MB",
                  "video_too_large");
  }
  if (user_id && domain::Uuid::Parse(*user_id) != caller.user_id)
    return PermissionDenied("user_id must be your own id");
  domain::VideoType type = domain::VideoTypeForFilename(filename);
  domain::Video v;
  v.id = domain::Uuid::Random();
  v.user_id = caller.user_id;
  v.filename = std::string(filename);
  v.content_type = type.content_type;
  v.object_key = domain::UploadKey(caller.user_id.str(), v.id.str(), type.extension);
  std::optional<std::uint64_t> length;
  if (size_bytes) length = static_cast<std::uint64_t>(*size_bytes);
  auto url = objects_.PresignPut(v.object_key, v.content_type, length, options_.presign_ttl,
                                 clock_.Now());
  if (!url.ok()) return url.status();
  auto created = videos_.Create(v);
  if (!created.ok()) return created.status();
  return UploadTicket{std::move(created).value(), std::move(url).value()};
}

Result<domain::PageOf<domain::Video>> Videos::List(const Principal& caller,
                                                   const domain::Page& page) {
  return videos_.ListOwned(caller.user_id, page);
}

Result<Playback> Videos::Show(const Principal& caller, const domain::Uuid& id) {
  auto v = Owned(caller, id);
  if (!v.ok()) return v.status();
  if (v->status == domain::kExpired) return NoSuchVideo();
  Playback out{std::move(v).value(), std::nullopt};
  auto head = objects_.Head(out.video.object_key);
  if (head.ok()) {
    if (out.video.status == domain::kAwaitingUpload) {
      (void)videos_.MarkUploaded(out.video.id, static_cast<std::int64_t>(head->size));
      out.video.status = std::string(domain::kUploaded);
    }
    out.video.size_bytes = static_cast<std::int64_t>(head->size);
    auto url = objects_.PresignGet(out.video.object_key, options_.presign_ttl, clock_.Now());
    if (!url.ok()) return url.status();
    out.url = std::move(url).value();
  } else if (head.status().kind() != ErrorKind::kNotFound) {
    return head.status();
  }
  return out;
}

Result<domain::Video> Videos::Save(const Principal& caller, const domain::Uuid& id) {
  auto v = Owned(caller, id);
  if (!v.ok()) return v.status();
  if (v->status == domain::kExpired) return NoSuchVideo();
  if (v->status == domain::kSaved) return v;
  auto head = objects_.Head(v->object_key);
  if (!head.ok()) {
    if (head.status().kind() == ErrorKind::kNotFound) {
      return Status(ErrorKind::kFailedPrecondition, "The video has not been uploaded yet",
                    "video_not_uploaded");
    }
    return head.status();
  }
  std::string ext = domain::VideoTypeForFilename(v->object_key).extension;
  std::string saved = domain::SavedKey(caller.user_id.str(), v->id.str(), ext);
  if (Status s = objects_.Copy(v->object_key, saved); !s.ok()) return s;
  auto updated = videos_.MarkSaved(v->id, saved, static_cast<std::int64_t>(head->size));
  if (!updated.ok()) return updated.status();
  // The upload copy would expire anyway; removing it now keeps one copy.
  (void)objects_.Delete(v->object_key);
  return updated;
}

Status Videos::Delete(const Principal& caller, const domain::Uuid& id) {
  auto v = Owned(caller, id);
  if (!v.ok()) return v.status();
  std::vector<std::string> keys = {v->object_key, "thumbnails/" + v->id.str() + ".jpg"};
  auto refused = objects_.DeleteMany(keys);
  if (!refused.ok()) return refused.status();
  if (!refused->empty()) return Unavailable("storage refused to delete " + refused->front());
  auto deleted = videos_.DeleteOwned(v->id, caller.user_id);
  if (!deleted.ok()) return deleted.status();
  if (!*deleted) return NoSuchVideo();
  return Status::Ok();
}

}  // namespace ascension::services
