#include "adapters/amqp/url.hpp"

#include <amqp.h>

#include <functional>
#include <vector>

namespace ascension::amqp {
namespace {

// amqp_parse_url leaves a field it did not find pointing at its static default; a field it found
// points into the buffer it parsed.
bool InBuffer(const char* p, const std::vector<char>& buffer) {
  std::less_equal<const char*> le;
  return le(buffer.data(), p) && le(p, buffer.data() + buffer.size() - 1);
}

}  // namespace

std::string Url::Redacted() const {
  std::string host_part = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "amqp://" + user + "@" + host_part + ":" + std::to_string(port) + "/" +
         (vhost == "/" ? std::string("%2F") : vhost);
}

Result<Url> ParseUrl(std::string_view text) {
  // librabbitmq's amqp_parse_url does the parsing and the percent-decoding; what it would accept
  // and this product refuses is checked around it, with an error that says why.
  if (!text.starts_with("amqp://")) {
    return InvalidArgument("AMQP URL must start with amqp:// (amqps is not supported)");
  }
  if (text.find_first_of("?#") != std::string_view::npos) {
    return InvalidArgument("AMQP URL: query parameters are not supported");
  }
  // A NUL byte, typed or percent-encoded, would silently cut a C string short.
  if (text.find('\0') != std::string_view::npos || text.find("%00") != std::string_view::npos) {
    return InvalidArgument("AMQP URL: NUL bytes are not allowed");
  }
  std::vector<char> buffer(text.begin(), text.end());
  buffer.push_back('\0');
  amqp_connection_info info{};
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK) {
    return InvalidArgument(
        "AMQP URL: malformed (expected amqp://user:password@host:port/vhost, with '/' in the "
        "vhost and reserved characters percent-encoded, a port in 1..65535)");
  }
  if (!InBuffer(info.host, buffer) || info.host[0] == '\0') {
    return InvalidArgument("AMQP URL: missing host");
  }
  if (info.port <= 0 || info.port > 65535) {
    return InvalidArgument("AMQP URL: port must be a number in 1..65535");
  }
  Url url;
  url.host = info.host;
  url.port = static_cast<uint16_t>(info.port);
  if (InBuffer(info.user, buffer)) {
    url.user = info.user;
    // "user@host" names a user with an empty password, not the default one.
    url.password = InBuffer(info.password, buffer) ? info.password : "";
  }
  url.vhost = InBuffer(info.vhost, buffer) && info.vhost[0] != '\0' ? info.vhost : "/";
  return url;
}

}  // namespace ascension::amqp
