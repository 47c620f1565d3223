#include "adapters/amqp/url.hpp"

#include <charconv>

namespace ascension::amqp {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view s, std::string_view what) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return InvalidArgument("AMQP URL: truncated percent-encoding in " + std::string(what));
    }
    int hi = HexValue(s[i + 1]);
    int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return InvalidArgument("AMQP URL: bad percent-encoding in " + std::string(what));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::string Url::Redacted() const {
  std::string host_part = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "amqp://" + user + "@" + host_part + ":" + std::to_string(port) + "/" +
         (vhost == "/" ? std::string("%2F") : vhost);
}

Result<Url> ParseUrl(std::string_view text) {
  constexpr std::string_view kScheme = "amqp://";
  if (!text.starts_with(kScheme)) {
    return InvalidArgument("AMQP URL must start with amqp:// (amqps is not supported)");
  }
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find('?') != std::string_view::npos || rest.find('#') != std::string_view::npos) {
    return InvalidArgument("AMQP URL: query parameters are not supported");
  }
  Url url;
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    auto user = PercentDecode(userinfo.substr(0, colon), "user");
    if (!user.ok()) return user.status();
    url.user = std::move(user).value();
    if (colon != std::string_view::npos) {
      auto pass = PercentDecode(userinfo.substr(colon + 1), "password");
      if (!pass.ok()) return pass.status();
      url.password = std::move(pass).value();
    } else {
      url.password.clear();
    }
  }

  std::string_view port_text;
  if (authority.starts_with("[")) {  // IPv6 literal
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgument("AMQP URL: unterminated IPv6 host");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return InvalidArgument("AMQP URL: garbage after IPv6 host");
      port_text = after.substr(1);
      if (port_text.empty()) return InvalidArgument("AMQP URL: empty port");
    }
  } else {
    size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return InvalidArgument("AMQP URL: empty port");
    }
  }
  if (url.host.empty()) return InvalidArgument("AMQP URL: missing host");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return InvalidArgument("AMQP URL: port must be a number in 1..65535");
    }
    url.port = static_cast<uint16_t>(port);
  }
  if (path.find('/') != std::string_view::npos) {
    return InvalidArgument("AMQP URL: vhost must be one path segment (encode '/' as %2F)");
  }
  auto vhost = PercentDecode(path, "vhost");
  if (!vhost.ok()) return vhost.status();
  url.vhost = vhost->empty() ? "/" : std::move(vhost).value();
  return url;
}

}  // namespace ascension::amqp
