#include "adapters/s3/object_store.hpp"

namespace ascension::s3 {
namespace {

ports::SignedUrl ToSigned(const PresignedUrl& p) {
  ports::SignedUrl out{p.url, p.method, {}};
  for (const auto& h : p.required_headers) out.headers.emplace_back(h.name, h.value);
  return out;
}

ports::StoredObject ToStored(const ObjectInfo& o) {
  return {o.key, o.size, o.etag, o.content_type, o.directives};
}

}  // namespace

Result<ports::SignedUrl> S3ObjectStore::PresignPut(std::string_view key, std::string_view type,
                                                   std::optional<std::uint64_t> content_length,
                                                   std::chrono::seconds ttl,
                                                   domain::Time now) const {
  auto p = client_.PresignPut(key, type, ttl, now, content_length);
  if (!p.ok()) return p.status();
  return ToSigned(*p);
}

Result<ports::SignedUrl> S3ObjectStore::PresignGet(std::string_view key, std::chrono::seconds ttl,
                                                   domain::Time now) const {
  auto p = client_.PresignGet(key, ttl, now);
  if (!p.ok()) return p.status();
  return ToSigned(*p);
}

Result<ports::StoredObject> S3ObjectStore::Head(std::string_view key) const {
  auto o = client_.HeadObject(key);
  if (!o.ok()) return o.status();
  return ToStored(*o);
}

Status S3ObjectStore::Copy(std::string_view from, std::string_view to) const {
  return client_.CopyObject(from, to);
}

Status S3ObjectStore::Delete(std::string_view key) const {
  return client_.DeleteObject(key);
}

Result<std::vector<std::string>> S3ObjectStore::DeleteMany(
    std::span<const std::string> keys) const {
  auto failures = client_.DeleteObjects(keys);
  if (!failures.ok()) return failures.status();
  std::vector<std::string> out;
  for (const auto& f : *failures) out.push_back(f.key);
  return out;
}

Result<ports::ObjectListing> S3ObjectStore::List(std::string_view prefix,
                                                 std::string_view token) const {
  auto page = client_.ListObjectsV2(prefix, token);
  if (!page.ok()) return page.status();
  ports::ObjectListing out;
  for (const auto& o : page->objects) out.objects.push_back(ToStored(o));
  out.next_token = page->next_continuation_token;
  return out;
}

Status S3ObjectStore::Download(std::string_view key, const std::filesystem::path& path,
                               const ports::DownloadCondition& condition) const {
  return client_.GetObjectToFile(key, path, std::nullopt, {condition.if_match, condition.max_bytes});
}

Status S3ObjectStore::Upload(std::string_view key, const std::filesystem::path& path,
                             std::string_view content_type) const {
  return client_.PutObjectFromFile(key, path, content_type);
}

Status S3ObjectStore::Ping() const {
  return client_.HeadBucket();
}

}  // namespace ascension::s3
