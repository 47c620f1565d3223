// The proxies whose X-Forwarded-For the API believes (TRUSTED_PROXIES): a list of IPv4 and IPv6
// addresses and CIDR networks, parsed with Boost.Asio's address and network types. Parsing is
// strict: an entry that is not exactly an address or address/prefix ("10.0.0.0/", "/abc",
// "10.0.0.0/33", "localhost") is an error naming it, never a guess.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <optional>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace ascension::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody

  // Each entry is "ADDRESS" or "ADDRESS/PREFIX" (an address with host bits set is taken as its
  // network). kInvalidArgument naming the first bad entry.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  // Whether `ip` (the socket's peer or an X-Forwarded-For hop, as text) lies in one of the
  // networks. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as their IPv4 address. Text that
  // is not an address is never trusted.
  bool Contains(std::string_view ip) const;
  bool empty() const { return v4_.empty() && v6_.empty(); }

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// The canonical text of an IP address ("2001:db8::1", "10.0.0.1" also for ::ffff:10.0.0.1), or
// nullopt when `ip` is not one.
std::optional<std::string> CanonicalAddress(std::string_view ip);

}  // namespace ascension::http
