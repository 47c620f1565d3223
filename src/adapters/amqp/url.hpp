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

// Parses an amqp:// URL. User, password and vhost are percent-decoded ("%2F" is "/"); a missing
// or empty vhost means "/". Port defaults to 5672. Fails with kInvalidArgument for another
// scheme (amqps is not supported), a missing host, a bad port or bad percent-encoding, or a
// query string.
Result<Url> ParseUrl(std::string_view url);

}  // namespace ascension::amqp
