// The object store (S3) as the services see it: one bucket, keys of the storage layout.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "domain/time.hpp"

namespace ascension::ports {

struct StoredObject {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;
  std::string content_type;
  // Head only: what the object carries that the backend never sets (user metadata, tags, a
  // website redirect, encryption, object lock): directives an upload URL did not sign.
  std::vector<std::string> directives;
};

// A URL that lets its holder do one operation on one key until it expires. Requests must carry
// `headers` exactly (e.g. the signed Content-Type of an upload).
struct SignedUrl {
  std::string url;
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What a download must match: the version recorded when the work was accepted (If-Match on the
// ETag) and a size limit, checked against the announced length before any byte is stored and
// again while streaming.
struct DownloadCondition {
  std::string if_match;                  // empty: any version
  std::optional<std::uint64_t> max_bytes;  // unset: any size
};

struct ObjectListing {
  std::vector<StoredObject> objects;
  std::string next_token;  // empty on the last page
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // A PUT URL for `key` that signs the Content-Type and, when given, the Content-Length: a
  // request with other values is refused by the store.
  virtual Result<SignedUrl> PresignPut(std::string_view key, std::string_view content_type,
                                       std::optional<std::uint64_t> content_length,
                                       std::chrono::seconds ttl, domain::Time now) const = 0;
  virtual Result<SignedUrl> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                       domain::Time now) const = 0;
  // kNotFound when there is no such object.
  virtual Result<StoredObject> Head(std::string_view key) const = 0;
  virtual Status Copy(std::string_view from_key, std::string_view to_key) const = 0;
  // Succeeds when the object did not exist.
  virtual Status Delete(std::string_view key) const = 0;
  // Deletes many keys; returns the keys the store refused to delete (each to be retried).
  virtual Result<std::vector<std::string>> DeleteMany(std::span<const std::string> keys) const = 0;
  // One page of the keys under `prefix`.
  virtual Result<ObjectListing> List(std::string_view prefix, std::string_view token) const = 0;
  // Streams the object to `path` (removed on failure). kNotFound when there is no such object;
  // kFailedPrecondition code "object_changed" when its ETag is not `condition.if_match`;
  // kInvalidArgument code "object_too_large" when it is larger than `condition.max_bytes`.
  virtual Status Download(std::string_view key, const std::filesystem::path& path,
                          const DownloadCondition& condition) const = 0;
  // Stores the file at `path` under `key` with `content_type` (replacing what was there).
  virtual Status Upload(std::string_view key, const std::filesystem::path& path,
                        std::string_view content_type) const = 0;
  // Reachability of the bucket (for /ready).
  virtual Status Ping() const = 0;
};

}  // namespace ascension::ports
