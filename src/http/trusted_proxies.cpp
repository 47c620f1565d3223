#include "http/trusted_proxies.hpp"

#include <algorithm>
#include <optional>

namespace ascension::http {
namespace {

namespace ip = boost::asio::ip;

std::optional<ip::address> ParseAddress(std::string_view text) {
  // Zone ids ("fe80::1%eth0") name an interface, not a proxy.
  if (text.empty() || text.find('%') != std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::address(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
  return a;
}

// "0".."32" / "0".."128": digits only, no sign, no leading "+", at most three of them.
std::optional<unsigned> ParsePrefix(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  unsigned v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& entry : entries) {
    auto bad = [&](const char* why) {
      return InvalidArgument("TRUSTED_PROXIES entry \"" + entry + "\" is not " + why);
    };
    std::string_view e = entry;
    size_t slash = e.find('/');
    auto addr = ParseAddress(e.substr(0, slash));
    if (!addr) return bad("an IPv4 or IPv6 address or network (e.g. 10.0.0.0/8, fd00::/8)");
    if (slash == std::string_view::npos) {
      if (addr->is_v4()) out.v4_.emplace_back(addr->to_v4(), 32);
      else out.v6_.emplace_back(addr->to_v6(), 128);
      continue;
    }
    auto prefix = ParsePrefix(e.substr(slash + 1), addr->is_v4() ? 32 : 128);
    if (!prefix) return bad(addr->is_v4() ? "a network with a prefix of 0 to 32" : "a network with a prefix of 0 to 128");
    if (addr->is_v4()) out.v4_.push_back(ip::network_v4(addr->to_v4(), static_cast<unsigned short>(*prefix)).canonical());
    else out.v6_.push_back(ip::network_v6(addr->to_v6(), static_cast<unsigned short>(*prefix)).canonical());
  }
  return out;
}

bool TrustedProxies::Contains(std::string_view text) const {
  auto addr = ParseAddress(text);
  if (!addr) return false;
  if (addr->is_v4()) {
    ip::address_v4 a = addr->to_v4();
    return std::any_of(v4_.begin(), v4_.end(), [&](const ip::network_v4& n) {
      return (a.to_uint() & n.netmask().to_uint()) == n.address().to_uint();
    });
  }
  ip::address_v6::bytes_type a = addr->to_v6().to_bytes();
  return std::any_of(v6_.begin(), v6_.end(), [&](const ip::network_v6& n) {
    ip::address_v6::bytes_type net = n.address().to_bytes();
    unsigned bits = n.prefix_length();
    for (size_t i = 0; i < a.size() && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
      unsigned char mask = bits >= 8 ? 0xFF : static_cast<unsigned char>(0xFF << (8 - bits));
      if ((a[i] & mask) != (net[i] & mask)) return false;
    }
    return true;
  });
}

std::optional<std::string> CanonicalAddress(std::string_view text) {
  auto addr = ParseAddress(text);
  if (!addr) return std::nullopt;
  return addr->to_string();
}

}  // namespace ascension::http
