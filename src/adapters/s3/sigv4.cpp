#include "adapters/s3/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "common/crypto.hpp"
#include "common/strings.hpp"

namespace ascension::s3 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Trims and collapses runs of spaces, as the canonical header form requires.
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      in_space = !out.empty();
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;         // "name:value\n" lines
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders Canonicalize(const std::string& host, const std::vector<HttpHeader>& headers) {
  std::map<std::string, std::string> by_name;
  by_name["host"] = CanonicalHeaderValue(host);
  for (const auto& h : headers) {
    std::string name = Lowercase(h.name);
    if (name == "host") continue;
    auto [it, inserted] = by_name.emplace(name, CanonicalHeaderValue(h.value));
    if (!inserted) it->second += "," + CanonicalHeaderValue(h.value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : by_name) {
    out.block += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ';';
    out.signed_names += name;
  }
  return out;
}

std::string DateStamp(std::string_view amz_date) {
  return std::string(amz_date.substr(0, 8));
}

std::string Scope(const Credentials& c, std::string_view amz_date) {
  return DateStamp(amz_date) + "/" + c.region + "/" + c.service + "/aws4_request";
}

std::string Signature(const Credentials& c, std::string_view amz_date,
                      std::string_view canonical_request) {
  std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" +
                               Scope(c, amz_date) + "\n" + Sha256Hex(canonical_request);
  std::string k = HmacSha256("AWS4" + c.secret_key, DateStamp(amz_date));
  k = HmacSha256(k, c.region);
  k = HmacSha256(k, c.service);
  k = HmacSha256(k, "aws4_request");
  return HexEncode(HmacSha256(k, string_to_sign));
}

std::string BuildCanonicalRequest(std::string_view method, std::string_view path,
                                  const std::vector<QueryParam>& query,
                                  const CanonicalHeaders& headers, std::string_view payload_hash) {
  std::string out;
  out.append(method).append("\n");
  out.append(EncodePath(path)).append("\n");
  out.append(CanonicalQuery(query)).append("\n");
  out.append(headers.block).append("\n");
  out.append(headers.signed_names).append("\n");
  out.append(payload_hash);
  return out;
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    }
  }
  return out;
}

std::string EncodedQuery(const std::vector<QueryParam>& query, EmptyValue empty) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& q : query)
    encoded.emplace_back(UriEncode(q.name, false), UriEncode(q.value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += (value.empty() && empty == EmptyValue::kBare) ? name : name + "=" + value;
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  return HexEncode(Sha256(data));
}

std::string AmzDate(Clock::time_point t) {
  std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string CanonicalRequest(const SignableRequest& r) {
  return BuildCanonicalRequest(r.method, r.path, r.query, Canonicalize(r.host, r.headers),
                               r.payload_hash);
}

std::string SignRequest(const Credentials& credentials, SignableRequest& request,
                        Clock::time_point now) {
  auto has = [&](std::string_view name) {
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [&](const HttpHeader& h) { return Lowercase(h.name) == name; });
  };
  if (!has("x-amz-date")) request.headers.push_back({"x-amz-date", AmzDate(now)});
  if (!has("x-amz-content-sha256")) {
    request.headers.push_back({"x-amz-content-sha256", request.payload_hash});
  }
  std::string amz_date;
  for (const auto& h : request.headers) {
    if (Lowercase(h.name) == "x-amz-date") amz_date = h.value;
  }
  CanonicalHeaders headers = Canonicalize(request.host, request.headers);
  std::string creq = BuildCanonicalRequest(request.method, request.path, request.query, headers,
                                           request.payload_hash);
  return std::string(kAlgorithm) + " Credential=" + credentials.access_key + "/" +
         Scope(credentials, amz_date) + ",SignedHeaders=" + headers.signed_names +
         ",Signature=" + Signature(credentials, amz_date, creq);
}

Result<std::string> PresignUrl(const Credentials& credentials, const PresignInput& input,
                               Clock::time_point now) {
  if (input.expires < std::chrono::seconds(1) || input.expires > kMaxPresignExpiry) {
    return InvalidArgument("presigned URL expiry must be between 1 second and 7 days");
  }
  if (input.path.empty() || input.path.front() != '/') {
    return InvalidArgument("presigned URL path must begin with '/'");
  }
  std::string amz_date = AmzDate(now);
  CanonicalHeaders headers = Canonicalize(input.host, input.signed_headers);
  std::vector<QueryParam> query = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key + "/" + Scope(credentials, amz_date)},
      {"X-Amz-Date", amz_date},
      {"X-Amz-Expires", std::to_string(input.expires.count())},
      {"X-Amz-SignedHeaders", headers.signed_names},
  };
  std::string creq =
      BuildCanonicalRequest(input.method, input.path, query, headers, kUnsignedPayload);
  std::string signature = Signature(credentials, amz_date, creq);
  return input.scheme + "://" + input.host + EncodePath(input.path) + "?" + CanonicalQuery(query) +
         "&X-Amz-Signature=" + signature;
}

}  // namespace ascension::s3
