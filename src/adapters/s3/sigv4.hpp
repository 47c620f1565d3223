// AWS Signature Version 4 for S3: header authentication and presigned query URLs.
// Pure functions of their inputs (the clock is a parameter), so they are tested against the
// examples published in the S3 API reference. No network, no global state.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace ascension::s3 {

using Clock = std::chrono::system_clock;

// SHA-256 of the empty string: the payload hash of a request without a body.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
// Payload hash for streamed bodies that are not hashed before sending.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// Presigned URLs may live at most this long (an S3 rule).
inline constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
  std::string service = "s3";
};

struct HttpHeader {
  std::string name;
  std::string value;
};

struct QueryParam {
  std::string name;   // raw, not yet percent-encoded
  std::string value;  // raw; empty for a bare sub-resource such as "?delete"
};

// A request to sign. `path` and query names/values are raw (unencoded); the signer encodes them
// the way they must also appear on the wire (see EncodePath / EncodeQuery).
struct SignableRequest {
  std::string method;
  std::string host;  // exactly the Host header that will be sent ("host" or "host:port")
  std::string path;  // begins with '/'
  std::vector<QueryParam> query;
  std::vector<HttpHeader> headers;  // every header here is signed and must be sent as given
  std::string payload_hash;         // hex SHA-256 of the body, or kUnsignedPayload
};

// URI-encodes per SigV4: unreserved characters (A-Z a-z 0-9 - . _ ~) are kept, everything else
// becomes %XX (upper-case hex). '/' is kept only when keep_slash is true.
std::string UriEncode(std::string_view text, bool keep_slash);

// The path as it goes on the wire and into the canonical request (each segment encoded).
inline std::string EncodePath(std::string_view raw_path) {
  return UriEncode(raw_path, true);
}

// A query string sorted by encoded name, then value. A parameter with an empty value is written
// "name=" (kEquals: the canonical form SigV4 signs) or bare, "name" (kBare: as sent, "?delete").
enum class EmptyValue { kEquals, kBare };
std::string EncodedQuery(const std::vector<QueryParam>& query, EmptyValue empty);

// The canonical query string (sorted by encoded name, then value; "name=" for empty values).
inline std::string CanonicalQuery(const std::vector<QueryParam>& query) {
  return EncodedQuery(query, EmptyValue::kEquals);
}

// Lower-case hex SHA-256 of data.
std::string Sha256Hex(std::string_view data);

// "YYYYMMDDTHHMMSSZ" in UTC.
std::string AmzDate(Clock::time_point t);

// The canonical request text (exposed for tests and debugging).
std::string CanonicalRequest(const SignableRequest& request);

// Signs request at time `now`: appends the x-amz-date and x-amz-content-sha256 headers (unless
// present) and returns the value of the Authorization header that must be sent with it.
std::string SignRequest(const Credentials& credentials, SignableRequest& request,
                        Clock::time_point now);

struct PresignInput {
  std::string method;  // "GET", "PUT", "HEAD", "DELETE"
  std::string scheme;  // "http" or "https"
  std::string host;    // as the client will send it in Host
  std::string path;    // raw object path, begins with '/'
  // Headers the caller of the URL must send with exactly these values (e.g. content-type);
  // host is always signed.
  std::vector<HttpHeader> signed_headers;
  std::chrono::seconds expires{900};
};

// A presigned URL (query-string authentication, UNSIGNED-PAYLOAD) valid from `now` for
// input.expires. Fails with kInvalidArgument when expires is not within 1 s .. 7 days.
Result<std::string> PresignUrl(const Credentials& credentials, const PresignInput& input,
                               Clock::time_point now);

}  // namespace ascension::s3
