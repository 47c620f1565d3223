#include "http/trusted_proxies.hpp"

#include <gtest/gtest.h>

namespace ascension::http {
namespace {

TrustedProxies Parsed(std::vector<std::string> entries) {
  auto p = TrustedProxies::Parse(entries);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : TrustedProxies();
}

TEST(TrustedProxies, MalformedEntriesAreErrorsNamingThem) {
  for (const char* bad : {"10.0.0.0/", "/abc", "/8", "10.0.0.0/33", "10.0.0.0/8x", "10.0.0.0/-1", "10.0.0.0/+8",
                          "10.0.0.0/0008", "300.1.1.1", "10.0.0", "localhost", "fe80::/129", "fe80::1%eth0",
                          "::1/", "1.2.3.4 /8", "10.0.0.0/8/8", ""}) {
    auto p = TrustedProxies::Parse({bad});
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(p.status().message().find(std::string("\"") + bad + "\""), std::string::npos) << p.status().message();
  }
}

TEST(TrustedProxies, Ipv4AddressesAndNetworks) {
  TrustedProxies p = Parsed({"10.0.0.0/8", "172.30.0.10", "192.168.1.77/24"});
  EXPECT_TRUE(p.Contains("10.255.0.1"));
  EXPECT_TRUE(p.Contains("172.30.0.10"));
  EXPECT_FALSE(p.Contains("172.30.0.11"));
  EXPECT_TRUE(p.Contains("192.168.1.1"));  // host bits of the entry are ignored
  EXPECT_FALSE(p.Contains("192.168.2.1"));
  EXPECT_FALSE(p.Contains("11.0.0.1"));
  EXPECT_TRUE(p.Contains("::ffff:10.1.2.3"));  // an IPv4 peer on a dual-stack socket
  EXPECT_FALSE(p.Contains("not an address"));
  EXPECT_FALSE(p.Contains(""));
}

TEST(TrustedProxies, Ipv6AddressesAndNetworks) {
  TrustedProxies p = Parsed({"::1", "2001:db8:ab00::/40", "fd00::/7"});
  EXPECT_TRUE(p.Contains("::1"));
  EXPECT_FALSE(p.Contains("::2"));
  EXPECT_TRUE(p.Contains("2001:db8:abff::1"));
  EXPECT_FALSE(p.Contains("2001:db8:ac00::1"));
  EXPECT_TRUE(p.Contains("fdff::1"));
  EXPECT_TRUE(p.Contains("fc00::1"));
  EXPECT_FALSE(p.Contains("fe00::1"));
  EXPECT_FALSE(p.Contains("10.0.0.1"));
}

TEST(TrustedProxies, EdgePrefixes) {
  EXPECT_TRUE(Parsed({"0.0.0.0/0"}).Contains("203.0.113.9"));
  EXPECT_TRUE(Parsed({"::/0"}).Contains("2001:db8::9"));
  EXPECT_FALSE(Parsed({"::/0"}).Contains("203.0.113.9"));
  EXPECT_TRUE(Parsed({"2001:db8::1/128"}).Contains("2001:db8::1"));
  EXPECT_FALSE(Parsed({"2001:db8::1/127"}).Contains("2001:db8::2"));
  EXPECT_TRUE(Parsed({"2001:db8::1/127"}).Contains("2001:db8::0"));
  EXPECT_TRUE(TrustedProxies().empty());
  EXPECT_FALSE(TrustedProxies().Contains("127.0.0.1"));
}

TEST(TrustedProxies, CanonicalAddress) {
  EXPECT_EQ(CanonicalAddress("2001:DB8:0::1").value_or(""), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("::ffff:192.0.2.1").value_or(""), "192.0.2.1");
  EXPECT_FALSE(CanonicalAddress("192.0.2.1:80").has_value());
}

}  // namespace
}  // namespace ascension::http
