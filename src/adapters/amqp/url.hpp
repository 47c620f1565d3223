// AMQP URLs as in RABBITMQ_URL: amqp://user:pass@host:port/vhost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace ascension::amqp {

struct Url {
  std::string host;
  uint16_t port = 5672;
  std::string user = "guest";
  std::string password = "guest";
  std::string vhost = "/";

  // "amqp://user@host:port/vhost" without the password, for logs.
  std::string Redacted() const;
};

// Parses an amqp:// URL with librabbitmq's amqp_parse_url. User, password, host and vhost are
// percent-decoded ("%2F" is "/"); a missing or empty vhost means "/". Port defaults to 5672;
// "user@host" means an empty password. Fails with kInvalidArgument for another scheme (amqps is
// not supported), a missing host, a bad port, bad percent-encoding (librabbitmq decodes only
// %01..%7F), a '/', ':' or '@' left unencoded in the vhost, a NUL byte, or a query string.
Result<Url> ParseUrl(std::string_view url);

}  // namespace ascension::amqp
