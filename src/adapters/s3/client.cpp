#include "adapters/s3/client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <map>
#include <mutex>
#include <system_error>

#include "adapters/s3/xml.hpp"
#include "common/strings.hpp"

namespace ascension::s3 {
namespace {

constexpr size_t kMaxPooledHandles = 8;
constexpr size_t kMaxErrorBody = 64 * 1024;
constexpr size_t kMaxDeleteBatch = 1000;

// libcurl's process-wide setup, done once before the first handle is created.
void EnsureCurlGlobal() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string StripQuotes(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

uint64_t ParseU64(std::string_view s) {
  uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string ContentMd5(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), digest, &len, EVP_md5(), nullptr);
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, digest, static_cast<int>(len));
  return std::string(reinterpret_cast<const char*>(b64), static_cast<size_t>(n));
}

// The query as sent on the wire: same order and encoding as the canonical form, except that a
// parameter with an empty value is sent bare ("?delete").
std::string WireQuery(const std::vector<QueryParam>& query) {
  return EncodedQuery(query, EmptyValue::kBare);
}

struct Endpoint {
  std::string scheme;
  std::string base_url;  // scheme://authority
  std::string host;      // Host header value (default port omitted)
};

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint ep;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos)
    return InvalidArgument("S3 endpoint must be http(s)://host[:port]");
  ep.scheme = Lowercase(url.substr(0, sep));
  if (ep.scheme != "http" && ep.scheme != "https") {
    return InvalidArgument("S3 endpoint scheme must be http or https");
  }
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && rest.substr(slash) != "/") {
    return InvalidArgument("S3 endpoint must not have a path (requests are path-style)");
  }
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return InvalidArgument("S3 endpoint needs a host and no user info");
  }
  std::string host(authority);
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      return InvalidArgument("S3 endpoint port is not a number");
    }
    if ((ep.scheme == "http" && port == "80") || (ep.scheme == "https" && port == "443")) {
      host = std::string(authority.substr(0, colon));
    }
  }
  ep.base_url = ep.scheme + "://" + std::string(authority);
  ep.host = Lowercase(host);
  return ep;
}

Status ValidateKey(std::string_view key) {
  if (key.empty()) return InvalidArgument("S3 object key is empty");
  if (key.size() > 1024) return InvalidArgument("S3 object key is longer than 1024 bytes");
  return Status::Ok();
}

std::string RangeHeader(const ByteRange& r) {
  std::string v = "bytes=" + std::to_string(r.first) + "-";
  if (r.last) v += std::to_string(*r.last);
  return v;
}

// libcurl drops a header sent with an empty value, which would break the signature.
std::string ContentTypeOrDefault(std::string_view content_type) {
  return content_type.empty() ? "application/octet-stream" : std::string(content_type);
}

bool IsSuccess(long status) {
  return status >= 200 && status < 300;
}

// One HTTP exchange with the bucket.
struct Call {
  Call(std::string m, std::string p, std::string w)
      : method(std::move(m)), path(std::move(p)), what(std::move(w)) {}

  std::string method;
  std::string path;  // raw: "/bucket" or "/bucket/key"
  std::string what;  // for error messages: "PUT uploads/a.mp4"
  std::vector<QueryParam> query;
  std::vector<HttpHeader> headers;
  std::string payload_hash = std::string(kEmptyPayloadSha256);
  std::string_view body;   // request body from memory
  FILE* upload = nullptr;  // or from a file, of upload_size bytes
  uint64_t upload_size = 0;
  FILE* download = nullptr;  // when set, a 2xx response body is written here
  std::optional<uint64_t> max_download;  // a larger 2xx body aborts the transfer
  bool streaming = false;    // file transfer: stall timeout instead of a total timeout
};

struct Response {
  long status = 0;
  std::string body;                            // the body (or the error body when downloading)
  std::map<std::string, std::string> headers;  // lower-case names
};

struct TransferState {
  CURL* curl = nullptr;
  const Call* call = nullptr;
  Response* response = nullptr;
  size_t body_offset = 0;
  bool write_failed = false;
  uint64_t downloaded = 0;
  bool too_large = false;
};

size_t ReadCallback(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* st = static_cast<TransferState*>(userdata);
  size_t capacity = size * nitems;
  if (st->call->upload != nullptr) {
    size_t n = std::fread(buffer, 1, capacity, st->call->upload);
    if (n == 0 && std::ferror(st->call->upload)) return CURL_READFUNC_ABORT;
    return n;
  }
  size_t n = std::min(capacity, st->call->body.size() - st->body_offset);
  std::copy_n(st->call->body.data() + st->body_offset, n, buffer);
  st->body_offset += n;
  return n;
}

// Lets libcurl rewind the body when it resends the request on a fresh connection (a pooled
// connection the server had closed).
int SeekCallback(void* userdata, curl_off_t offset, int origin) {
  auto* st = static_cast<TransferState*>(userdata);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  if (st->call->upload != nullptr) {
    return fseeko(st->call->upload, static_cast<off_t>(offset), SEEK_SET) == 0 ? CURL_SEEKFUNC_OK
                                                                               : CURL_SEEKFUNC_FAIL;
  }
  if (static_cast<uint64_t>(offset) > st->call->body.size()) return CURL_SEEKFUNC_FAIL;
  st->body_offset = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t WriteCallback(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* st = static_cast<TransferState*>(userdata);
  size_t n = size * nmemb;
  long code = 0;
  curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &code);
  if (st->call->download != nullptr && IsSuccess(code)) {
    if (const auto& limit = st->call->max_download) {
      // The announced length first (nothing of a too large object is written), then the bytes
      // themselves (a length that lied, or none).
      auto length = st->response->headers.find("content-length");
      bool announced_too_large = st->downloaded == 0 &&
                                 length != st->response->headers.end() &&
                                 (length->second.size() > 20 || ParseU64(length->second) > *limit);
      if (announced_too_large || st->downloaded + n > *limit) {
        st->too_large = true;
        return 0;
      }
    }
    st->downloaded += n;
    if (std::fwrite(data, 1, n, st->call->download) != n) {
      st->write_failed = true;
      return 0;
    }
    return n;
  }
  if (st->call->download != nullptr && st->response->body.size() + n > kMaxErrorBody) return n;
  st->response->body.append(data, n);
  return n;
}

size_t HeaderCallback(char* data, size_t size, size_t nitems, void* userdata) {
  auto* st = static_cast<TransferState*>(userdata);
  std::string_view line(data, size * nitems);
  if (line.starts_with("HTTP/")) {
    st->response->headers.clear();  // a new response (e.g. after 100 Continue)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    st->response->headers[Lowercase(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  return size * nitems;
}

Status CurlFailure(CURLcode code, const char* errbuf, const Call& call, bool write_failed) {
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
  std::string msg = "S3 " + call.what + ": " + detail;
  if (write_failed || code == CURLE_WRITE_ERROR || code == CURLE_READ_ERROR ||
      code == CURLE_ABORTED_BY_CALLBACK) {
    return Internal(msg);
  }
  return Unavailable(msg);
}

}  // namespace

Status StatusFromHttp(long http_status, std::string_view body, std::string_view what) {
  std::string code = xml::Text(body, "Code").value_or("");
  std::string message = xml::Text(body, "Message").value_or("");
  std::string text = "S3 " + std::string(what) + ": HTTP " + std::to_string(http_status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  if (http_status == 404 || code == "NoSuchKey" || code == "NoSuchBucket") return NotFound(text);
  if (http_status == 403) return PermissionDenied(text);
  // Only conditional requests get it: the object is not the version asked for.
  if (http_status == 412) return Status(ErrorKind::kFailedPrecondition, text, "object_changed");
  if (http_status >= 500 || http_status == 408 || http_status == 429 || http_status == 0) {
    return Unavailable(text);
  }
  return Internal(text);
}

struct Client::Impl {
  Endpoint endpoint;
  Endpoint public_endpoint;  // presigned URLs
  Credentials credentials;
  Credentials presign_credentials;

  std::mutex mu;
  std::vector<CurlPtr> idle;  // guarded by mu

  CurlPtr Acquire() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        CurlPtr h = std::move(idle.back());
        idle.pop_back();
        return h;
      }
    }
    return CurlPtr(curl_easy_init());
  }

  void Release(CurlPtr h) {
    curl_easy_reset(h.get());  // keeps the connection cache
    std::lock_guard lock(mu);
    if (idle.size() < kMaxPooledHandles) idle.push_back(std::move(h));
  }

  Result<Response> Perform(const Config& config, Call& call) {
    SignableRequest req{call.method, endpoint.host, call.path,
                        call.query,  call.headers,  call.payload_hash};
    std::string authorization = SignRequest(credentials, req, Clock::now());

    SlistPtr headers;
    auto add_header = [&](const std::string& line) {
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (next != nullptr) {
        (void)headers.release();
        headers.reset(next);
      }
    };
    add_header("Host: " + endpoint.host);
    for (const auto& h : req.headers) add_header(h.name + ": " + h.value);
    add_header("Authorization: " + authorization);
    add_header("Expect:");  // no 100-continue round trip

    std::string url = endpoint.base_url + EncodePath(call.path);
    if (!call.query.empty()) url += "?" + WireQuery(call.query);

    CurlPtr curl = Acquire();
    if (!curl) return Internal("S3 " + call.what + ": curl_easy_init failed");
    CURL* c = curl.get();
    Response response;
    TransferState state{c, &call, &response};
    char errbuf[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(config.connect_timeout.count()));
    if (call.streaming) {
      curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
      curl_easy_setopt(
          c, CURLOPT_LOW_SPEED_TIME,
          static_cast<long>(std::max<int64_t>(1, config.stall_timeout.count() / 1000)));
    } else {
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config.request_timeout.count()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteCallback);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, HeaderCallback);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &state);

    bool has_body = call.upload != nullptr || call.method == "PUT" || call.method == "POST";
    if (has_body) {
      curl_off_t size = call.upload != nullptr ? static_cast<curl_off_t>(call.upload_size)
                                               : static_cast<curl_off_t>(call.body.size());
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadCallback);
      curl_easy_setopt(c, CURLOPT_READDATA, &state);
      curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, SeekCallback);
      curl_easy_setopt(c, CURLOPT_SEEKDATA, &state);
      curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, size);
      if (call.method != "PUT") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    } else if (call.method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (call.method != "GET") {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    }

    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    bool write_failed = state.write_failed;
    if (rc != CURLE_OK && state.too_large) {
      Release(std::move(curl));
      return Status(ErrorKind::kInvalidArgument,
                    "S3 " + call.what + ": the object is larger than " +
                        std::to_string(*call.max_download) + " bytes",
                    "object_too_large");
    }
    if (rc != CURLE_OK) {
      Status st = CurlFailure(rc, errbuf, call, write_failed);
      Release(std::move(curl));
      return st;
    }
    Release(std::move(curl));
    return response;
  }

  // Perform, then turn a non-2xx answer into a Status.
  Result<Response> PerformOk(const Config& config, Call& call) {
    Result<Response> r = Perform(config, call);
    if (!r.ok()) return r;
    if (!IsSuccess(r->status)) return StatusFromHttp(r->status, r->body, call.what);
    return r;
  }
};

Client::Client(Config config, std::unique_ptr<Impl> impl)
    : config_(std::move(config)), impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<Client> Client::Create(Config config) {
  Result<Endpoint> ep = ParseEndpoint(config.endpoint);
  if (!ep.ok()) return ep.status();
  if (config.bucket.empty() || config.bucket.find('/') != std::string::npos) {
    return InvalidArgument("S3 bucket name is empty or contains '/'");
  }
  if (config.access_key.empty() || config.secret_key.empty()) {
    return InvalidArgument("S3 access key and secret key are required");
  }
  Result<Endpoint> public_ep = config.public_endpoint.empty() ? ep : ParseEndpoint(config.public_endpoint);
  if (!public_ep.ok()) return InvalidArgument("public " + public_ep.status().message());
  if (config.presign_access_key.empty() != config.presign_secret_key.empty()) {
    return InvalidArgument("S3 presign access key and secret key go together");
  }
  if (config.region.empty()) config.region = "us-east-1";
  EnsureCurlGlobal();
  auto impl = std::make_unique<Impl>();
  impl->endpoint = std::move(ep).value();
  impl->public_endpoint = std::move(public_ep).value();
  impl->credentials = Credentials{config.access_key, config.secret_key, config.region, "s3"};
  impl->presign_credentials = config.presign_access_key.empty()
                                  ? impl->credentials
                                  : Credentials{config.presign_access_key, config.presign_secret_key, config.region, "s3"};
  return Client(std::move(config), std::move(impl));
}

Result<PresignedUrl> Client::PresignPut(std::string_view key, std::string_view content_type,
                                        std::chrono::seconds expires, Clock::time_point now,
                                        std::optional<std::uint64_t> content_length) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  PresignInput in{"PUT",
                  impl_->public_endpoint.scheme,
                  impl_->public_endpoint.host,
                  "/" + config_.bucket + "/" + std::string(key),
                  {},
                  expires};
  if (!content_type.empty())
    in.signed_headers.push_back({"Content-Type", std::string(content_type)});
  if (content_length) in.signed_headers.push_back({"Content-Length", std::to_string(*content_length)});
  Result<std::string> url = PresignUrl(impl_->presign_credentials, in, now);
  if (!url.ok()) return url.status();
  return PresignedUrl{std::move(url).value(), "PUT", now + expires, in.signed_headers};
}

Result<PresignedUrl> Client::PresignGet(std::string_view key, std::chrono::seconds expires,
                                        Clock::time_point now) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  PresignInput in{"GET",
                  impl_->public_endpoint.scheme,
                  impl_->public_endpoint.host,
                  "/" + config_.bucket + "/" + std::string(key),
                  {},
                  expires};
  Result<std::string> url = PresignUrl(impl_->presign_credentials, in, now);
  if (!url.ok()) return url.status();
  return PresignedUrl{std::move(url).value(), "GET", now + expires, {}};
}

Status Client::PutObject(std::string_view key, std::string_view body,
                         std::string_view content_type) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  Call call{"PUT", "/" + config_.bucket + "/" + std::string(key), "PUT " + std::string(key)};
  call.headers.push_back({"Content-Type", ContentTypeOrDefault(content_type)});
  call.payload_hash = Sha256Hex(body);
  call.body = body;
  return impl_->PerformOk(config_, call).status();
}

Status Client::PutObjectFromFile(std::string_view key, const std::filesystem::path& path,
                                 std::string_view content_type) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec)
    return InvalidArgument("S3 PUT " + std::string(key) + ": cannot read " + path.string() + ": " +
                           ec.message());
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return InvalidArgument("S3 PUT " + std::string(key) + ": cannot open " + path.string());
  Call call{"PUT", "/" + config_.bucket + "/" + std::string(key), "PUT " + std::string(key)};
  call.headers.push_back({"Content-Type", ContentTypeOrDefault(content_type)});
  call.payload_hash = std::string(kUnsignedPayload);
  call.upload = file.get();
  call.upload_size = size;
  call.streaming = true;
  return impl_->PerformOk(config_, call).status();
}

Result<std::string> Client::GetObject(std::string_view key, std::optional<ByteRange> range) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  Call call{"GET", "/" + config_.bucket + "/" + std::string(key), "GET " + std::string(key)};
  if (range) call.headers.push_back({"Range", RangeHeader(*range)});
  Result<Response> r = impl_->PerformOk(config_, call);
  if (!r.ok()) return r.status();
  return std::move(r->body);
}

Status Client::GetObjectToFile(std::string_view key, const std::filesystem::path& path,
                               std::optional<ByteRange> range,
                               const GetCondition& condition) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  if (condition.if_match.find_first_of("\"\r\n") != std::string::npos)
    return InvalidArgument("S3 GET " + std::string(key) + ": malformed ETag to match");
  std::filesystem::path part = path;
  part += ".part";
  FilePtr file(std::fopen(part.c_str(), "wb"));
  if (!file) return Internal("S3 GET " + std::string(key) + ": cannot create " + part.string());
  Call call{"GET", "/" + config_.bucket + "/" + std::string(key), "GET " + std::string(key)};
  if (range) call.headers.push_back({"Range", RangeHeader(*range)});
  if (!condition.if_match.empty())
    call.headers.push_back({"If-Match", "\"" + condition.if_match + "\""});
  call.max_download = condition.max_bytes;
  call.download = file.get();
  call.streaming = true;
  Result<Response> r = impl_->PerformOk(config_, call);
  bool closed = std::fclose(file.release()) == 0;
  std::error_code ec;
  if (!r.ok() || !closed) {
    std::filesystem::remove(part, ec);
    return r.ok()
               ? Internal("S3 GET " + std::string(key) + ": writing " + part.string() + " failed")
               : r.status();
  }
  std::filesystem::rename(part, path, ec);
  if (ec) {
    std::filesystem::remove(part, ec);
    return Internal("S3 GET " + std::string(key) + ": cannot rename to " + path.string());
  }
  return Status::Ok();
}

Result<ObjectInfo> Client::HeadObject(std::string_view key) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  Call call{"HEAD", "/" + config_.bucket + "/" + std::string(key), "HEAD " + std::string(key)};
  Result<Response> r = impl_->PerformOk(config_, call);
  if (!r.ok()) return r.status();
  ObjectInfo info;
  info.key = std::string(key);
  auto header = [&](const char* name) {
    auto it = r->headers.find(name);
    return it == r->headers.end() ? std::string() : it->second;
  };
  info.size = ParseU64(header("content-length"));
  info.etag = StripQuotes(header("etag"));
  info.content_type = header("content-type");
  info.last_modified = header("last-modified");
  for (const auto& [name, value] : r->headers) {
    bool directive = name.starts_with("x-amz-meta-") || name == "x-amz-tagging-count" ||
                     name == "x-amz-website-redirect-location" || name.starts_with("x-amz-server-side-encryption") ||
                     name.starts_with("x-amz-object-lock-") || (name == "x-amz-storage-class" && value != "STANDARD");
    if (directive) info.directives.push_back(name);
  }
  return info;
}

Status Client::DeleteObject(std::string_view key) const {
  if (Status st = ValidateKey(key); !st.ok()) return st;
  Call call{"DELETE", "/" + config_.bucket + "/" + std::string(key), "DELETE " + std::string(key)};
  Result<Response> r = impl_->Perform(config_, call);
  if (!r.ok()) return r.status();
  if (IsSuccess(r->status) || r->status == 404) return Status::Ok();
  return StatusFromHttp(r->status, r->body, call.what);
}

Result<std::vector<DeleteFailure>> Client::DeleteObjects(std::span<const std::string> keys) const {
  std::vector<DeleteFailure> failures;
  for (size_t start = 0; start < keys.size(); start += kMaxDeleteBatch) {
    auto batch = keys.subspan(start, std::min(kMaxDeleteBatch, keys.size() - start));
    std::string body = "<Delete><Quiet>true</Quiet>";
    for (const auto& k : batch) {
      if (Status st = ValidateKey(k); !st.ok()) return st;
      body += "<Object><Key>" + xml::Escape(k) + "</Key></Object>";
    }
    body += "</Delete>";
    Call call{"POST", "/" + config_.bucket,
              "DeleteObjects (" + std::to_string(batch.size()) + " keys)"};
    call.query = {{"delete", ""}};
    call.headers = {{"Content-Type", "application/xml"}, {"Content-MD5", ContentMd5(body)}};
    call.payload_hash = Sha256Hex(body);
    call.body = body;
    Result<Response> r = impl_->PerformOk(config_, call);
    if (!r.ok()) return r.status();
    for (std::string_view e : xml::Elements(r->body, "Error")) {
      failures.push_back({xml::Text(e, "Key").value_or(""), xml::Text(e, "Code").value_or(""),
                          xml::Text(e, "Message").value_or("")});
    }
  }
  return failures;
}

Status Client::CopyObject(std::string_view src_key, std::string_view dst_key) const {
  return CopyObjectFrom(config_.bucket, src_key, dst_key);
}

Status Client::CopyObjectFrom(std::string_view src_bucket, std::string_view src_key,
                              std::string_view dst_key) const {
  if (Status st = ValidateKey(src_key); !st.ok()) return st;
  if (Status st = ValidateKey(dst_key); !st.ok()) return st;
  if (src_bucket.empty() || src_bucket.find_first_of("/\\?#% \r\n") != std::string_view::npos)
    return InvalidArgument("S3 copy: invalid source bucket name");
  Call call{"PUT", "/" + config_.bucket + "/" + std::string(dst_key),
            "COPY " + std::string(src_bucket) + "/" + std::string(src_key) + " -> " +
                std::string(dst_key)};
  call.headers.push_back(
      {"x-amz-copy-source",
       UriEncode("/" + std::string(src_bucket) + "/" + std::string(src_key), true)});
  Result<Response> r = impl_->PerformOk(config_, call);
  if (!r.ok()) return r.status();
  // S3 may report a failed copy inside a 200 response.
  if (r->body.find("<Error>") != std::string::npos) return StatusFromHttp(500, r->body, call.what);
  return Status::Ok();
}

Result<ListPage> Client::ListObjectsV2(std::string_view prefix, std::string_view continuation_token,
                                       int max_keys) const {
  if (max_keys < 1 || max_keys > 1000) return InvalidArgument("S3 list: max_keys must be 1..1000");
  Call call{"GET", "/" + config_.bucket, "LIST " + std::string(prefix)};
  call.query = {{"list-type", "2"}, {"max-keys", std::to_string(max_keys)}};
  if (!prefix.empty()) call.query.push_back({"prefix", std::string(prefix)});
  if (!continuation_token.empty()) {
    call.query.push_back({"continuation-token", std::string(continuation_token)});
  }
  Result<Response> r = impl_->PerformOk(config_, call);
  if (!r.ok()) return r.status();
  ListPage page;
  for (std::string_view c : xml::Elements(r->body, "Contents")) {
    ObjectInfo info;
    info.key = xml::Text(c, "Key").value_or("");
    info.size = ParseU64(xml::Text(c, "Size").value_or("0"));
    info.etag = StripQuotes(xml::Text(c, "ETag").value_or(""));
    info.last_modified = xml::Text(c, "LastModified").value_or("");
    page.objects.push_back(std::move(info));
  }
  if (xml::Text(r->body, "IsTruncated").value_or("false") == "true") {
    page.next_continuation_token = xml::Text(r->body, "NextContinuationToken").value_or("");
    if (page.next_continuation_token.empty()) {
      return Internal("S3 " + call.what + ": truncated listing without a continuation token");
    }
  }
  return page;
}

Status Client::HeadBucket() const {
  Call call{"HEAD", "/" + config_.bucket, "HEAD bucket " + config_.bucket};
  return impl_->PerformOk(config_, call).status();
}

Status Client::CreateBucket() const {
  Call call{"PUT", "/" + config_.bucket, "CreateBucket " + config_.bucket};
  std::string body;
  if (config_.region != "us-east-1") {
    body = "<CreateBucketConfiguration><LocationConstraint>" + xml::Escape(config_.region) +
           "</LocationConstraint></CreateBucketConfiguration>";
    call.headers.push_back({"Content-Type", "application/xml"});
  }
  call.payload_hash = Sha256Hex(body);
  call.body = body;
  Result<Response> r = impl_->Perform(config_, call);
  if (!r.ok()) return r.status();
  if (IsSuccess(r->status)) return Status::Ok();
  std::string code = xml::Text(r->body, "Code").value_or("");
  if (code == "BucketAlreadyOwnedByYou") return Status::Ok();
  if (code == "BucketAlreadyExists") {
    // Some servers answer this also to the owner: it is ours if we can use it.
    if (HeadBucket().ok()) return Status::Ok();
    return AlreadyExists("S3 bucket " + config_.bucket + " exists and belongs to someone else");
  }
  return StatusFromHttp(r->status, r->body, call.what);
}

Status Client::DeleteBucket() const {
  Call call{"DELETE", "/" + config_.bucket, "DeleteBucket " + config_.bucket};
  return impl_->PerformOk(config_, call).status();
}

Status Client::PutBucketLifecycle(std::span<const LifecycleRule> rules) const {
  std::string body = "<LifecycleConfiguration>";
  for (const auto& rule : rules) {
    if (rule.expiration_days < 1)
      return InvalidArgument("S3 lifecycle: expiration_days must be >= 1");
    body += "<Rule><ID>" + xml::Escape(rule.id) + "</ID><Filter><Prefix>" +
            xml::Escape(rule.prefix) +
            "</Prefix></Filter><Status>Enabled</Status><Expiration><Days>" +
            std::to_string(rule.expiration_days) + "</Days></Expiration></Rule>";
  }
  body += "</LifecycleConfiguration>";
  Call call{"PUT", "/" + config_.bucket, "PutBucketLifecycle " + config_.bucket};
  call.query = {{"lifecycle", ""}};
  call.headers = {{"Content-Type", "application/xml"}, {"Content-MD5", ContentMd5(body)}};
  call.payload_hash = Sha256Hex(body);
  call.body = body;
  return impl_->PerformOk(config_, call).status();
}

Status Client::PutBucketCors(std::span<const CorsRule> rules) const {
  std::string body = "<CORSConfiguration>";
  for (const auto& rule : rules) {
    body += "<CORSRule>";
    for (const auto& o : rule.allowed_origins)
      body += "<AllowedOrigin>" + xml::Escape(o) + "</AllowedOrigin>";
    for (const auto& m : rule.allowed_methods)
      body += "<AllowedMethod>" + xml::Escape(m) + "</AllowedMethod>";
    for (const auto& h : rule.allowed_headers)
      body += "<AllowedHeader>" + xml::Escape(h) + "</AllowedHeader>";
    for (const auto& h : rule.expose_headers)
      body += "<ExposeHeader>" + xml::Escape(h) + "</ExposeHeader>";
    body +=
        "<MaxAgeSeconds>" + std::to_string(rule.max_age_seconds) + "</MaxAgeSeconds></CORSRule>";
  }
  body += "</CORSConfiguration>";
  Call call{"PUT", "/" + config_.bucket, "PutBucketCors " + config_.bucket};
  call.query = {{"cors", ""}};
  call.headers = {{"Content-Type", "application/xml"}, {"Content-MD5", ContentMd5(body)}};
  call.payload_hash = Sha256Hex(body);
  call.body = body;
  return impl_->PerformOk(config_, call).status();
}

Status Client::PutBucketPolicy(std::string_view policy_json) const {
  Call call{"PUT", "/" + config_.bucket, "PutBucketPolicy " + config_.bucket};
  call.query = {{"policy", ""}};
  call.headers = {{"Content-Type", "application/json"}};
  call.payload_hash = Sha256Hex(policy_json);
  call.body = policy_json;
  return impl_->PerformOk(config_, call).status();
}

Config ConfigFrom(const CommonConfig& common) {
  Config c;
  c.endpoint = common.s3_endpoint;
  c.public_endpoint = common.s3_public_endpoint;
  c.presign_access_key = common.s3_presign_access_key;
  c.presign_secret_key = common.s3_presign_secret_key;
  c.region = common.s3_region;
  c.bucket = common.s3_bucket;
  c.access_key = common.s3_access_key;
  c.secret_key = common.s3_secret_key;
  return c;
}

}  // namespace ascension::s3
