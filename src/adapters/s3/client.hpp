// S3 client for one bucket: path-style requests signed with SigV4 (header auth), presigned URLs,
// and the bucket setup the backend needs. Speaks plain S3, so it works against Ceph RGW, MinIO,
// Garage or AWS alike.
//
// Every call blocks until the request finished. A Client is thread-safe: it is immutable after
// Create() and keeps a small pool of libcurl handles so connections are reused across calls.
// Errors: 404 / NoSuchKey / NoSuchBucket -> kNotFound; 403 -> kPermissionDenied; connection
// failures, timeouts and 5xx -> kUnavailable; anything else -> kInternal. The message carries the
// operation, the key, the HTTP status and S3's error Code and Message.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/s3/sigv4.hpp"
#include "common/config.hpp"
#include "common/status.hpp"

namespace ascension::s3 {

struct Config {
  std::string endpoint;  // "http(s)://host[:port]"; requests are path-style: endpoint/bucket/key
  // The address clients reach the store at (S3_PUBLIC_ENDPOINT): presigned URLs are signed for
  // it, every request of this process still goes to `endpoint`. Empty = `endpoint`.
  std::string public_endpoint;
  std::string region = "us-east-1";
  std::string bucket;
  std::string access_key;
  std::string secret_key;
  // The credential presigned URLs are signed with (S3_PRESIGN_ACCESS_KEY/SECRET_KEY): one that
  // may only put objects under uploads/ and routes/ and read where playback needs it, and is
  // refused copies, ACLs and other directives (see BucketAccessPolicy). Empty = the main one.
  std::string presign_access_key;
  std::string presign_secret_key;
  std::chrono::milliseconds connect_timeout{5000};
  // Whole-request limit for calls that move bytes in memory. File transfers have no overall limit;
  // they fail when fewer than 1 KiB/s move for `stall_timeout`.
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds stall_timeout{30000};
};

// Metadata of one object. `last_modified` is as the server sent it: an HTTP date from
// HeadObject, an ISO 8601 timestamp from ListObjectsV2. `content_type` is empty in listings.
struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // without the surrounding quotes
  std::string content_type;
  std::string last_modified;
  // HeadObject only: what the object carries beyond its bytes and type, as the store reports it
  // ("x-amz-meta-origin", "x-amz-tagging-count", "x-amz-website-redirect-location", encryption,
  // object lock, a storage class other than STANDARD). The backend never sets any of these, so
  // a non-empty list means the uploader added directives its URL did not sign.
  std::vector<std::string> directives;
};

// An inclusive byte range, as in "Range: bytes=first-last"; last unset means "to the end".
struct ByteRange {
  uint64_t first = 0;
  std::optional<uint64_t> last;
};

// Conditions on a GET: the ETag the object must still have (If-Match; S3 answers 412 otherwise)
// and the most bytes it may have.
struct GetCondition {
  std::string if_match;  // without quotes; empty: any version
  std::optional<uint64_t> max_bytes;
};

struct ListPage {
  std::vector<ObjectInfo> objects;
  std::string next_continuation_token;  // empty when this is the last page
};

struct DeleteFailure {
  std::string key;
  std::string code;
  std::string message;
};

struct LifecycleRule {
  std::string id;
  std::string prefix;  // e.g. "uploads/"
  int expiration_days = 7;
};

struct CorsRule {
  std::vector<std::string> allowed_origins;  // e.g. {"*"} or {"https://app.example.com"}
  std::vector<std::string> allowed_methods = {"PUT", "GET", "HEAD"};
  std::vector<std::string> allowed_headers = {"*"};
  std::vector<std::string> expose_headers = {"ETag"};
  int max_age_seconds = 3000;
};

// A URL that lets anyone holding it perform one method on one object until `expires_at`.
// The request must carry `required_headers` with exactly these values (e.g. Content-Type).
struct PresignedUrl {
  std::string url;
  std::string method;
  Clock::time_point expires_at;
  std::vector<HttpHeader> required_headers;
};

// How long the presigned URLs handed to clients live (DESIGN.md: 15 minutes).
inline constexpr std::chrono::seconds kDefaultPresignExpiry{15 * 60};

// The client configuration for the storage settings every process reads (MINIO_*, S3_REGION).
Config ConfigFrom(const CommonConfig& common);

class Client {
 public:
  // Validates the config (endpoint scheme and host, bucket, keys). Does not touch the network.
  static Result<Client> Create(Config config);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  const Config& config() const { return config_; }

  // Presigned URLs (no network) for the public endpoint, signed with the presign credential,
  // valid from `now` (the signing time; tests pass fixed times) for `expires` (1 s .. 7 days, else
  // kInvalidArgument). A PUT URL signs content-type when it is non-empty, and content-length when
  // given: an upload with another Content-Type or another number of bytes gets 403.
  Result<PresignedUrl> PresignPut(std::string_view key, std::string_view content_type,
                                  std::chrono::seconds expires = kDefaultPresignExpiry,
                                  Clock::time_point now = Clock::now(),
                                  std::optional<std::uint64_t> content_length = std::nullopt) const;
  Result<PresignedUrl> PresignGet(std::string_view key,
                                  std::chrono::seconds expires = kDefaultPresignExpiry,
                                  Clock::time_point now = Clock::now()) const;

  // Stores `body` under `key` (payload SHA-256 signed). Overwrites.
  Status PutObject(std::string_view key, std::string_view body,
                   std::string_view content_type = "application/octet-stream") const;
  // Streams the file's bytes to `key` without loading it (UNSIGNED-PAYLOAD).
  Status PutObjectFromFile(std::string_view key, const std::filesystem::path& path,
                           std::string_view content_type = "application/octet-stream") const;

  // Reads the object (or a range of it) into memory.
  Result<std::string> GetObject(std::string_view key,
                                std::optional<ByteRange> range = std::nullopt) const;
  // Streams the object to `path` through "<path>.part", renamed on success and removed on failure.
  // With `condition`: kFailedPrecondition code "object_changed" when the ETag differs (412), and
  // kInvalidArgument code "object_too_large" as soon as the announced Content-Length or the bytes
  // received pass max_bytes (the transfer is aborted, nothing kept).
  Status GetObjectToFile(std::string_view key, const std::filesystem::path& path,
                         std::optional<ByteRange> range = std::nullopt,
                         const GetCondition& condition = {}) const;

  // kNotFound when the object does not exist.
  Result<ObjectInfo> HeadObject(std::string_view key) const;
  // Succeeds also when the object did not exist (S3 semantics).
  Status DeleteObject(std::string_view key) const;
  // Deletes many keys (batches of 1000, quiet mode). Returns the keys S3 could not delete;
  // a transport or request error fails the whole call.
  Result<std::vector<DeleteFailure>> DeleteObjects(std::span<const std::string> keys) const;
  // Server-side copy within the bucket; replaces dst_key.
  Status CopyObject(std::string_view src_key, std::string_view dst_key) const;
  // Server-side copy from another bucket of the same service (the credential must read it).
  Status CopyObjectFrom(std::string_view src_bucket, std::string_view src_key,
                        std::string_view dst_key) const;

  // One page of keys starting with `prefix` (max_keys 1..1000); pass the previous page's
  // next_continuation_token to continue.
  Result<ListPage> ListObjectsV2(std::string_view prefix, std::string_view continuation_token = {},
                                 int max_keys = 1000) const;

  // Reachability and permission check on the bucket (used by /ready).
  Status HeadBucket() const;
  // Creates the bucket; succeeds when it already exists and is ours.
  Status CreateBucket() const;
  // Deletes the (empty) bucket; kNotFound when it does not exist (tests and admin tasks).
  Status DeleteBucket() const;
  // Replaces the bucket's lifecycle configuration with `rules` (expiry by prefix).
  Status PutBucketLifecycle(std::span<const LifecycleRule> rules) const;
  // Replaces the bucket's CORS configuration with `rules`.
  Status PutBucketCors(std::span<const CorsRule> rules) const;
  // Replaces the bucket policy with `policy_json` (see bucket_policy.hpp).
  Status PutBucketPolicy(std::string_view policy_json) const;

 private:
  struct Impl;
  Client(Config config, std::unique_ptr<Impl> impl);

  Config config_;
  std::unique_ptr<Impl> impl_;
};

// Maps an HTTP error response to a Status (see the class comment). Exposed for tests.
Status StatusFromHttp(long http_status, std::string_view body, std::string_view what);

}  // namespace ascension::s3
