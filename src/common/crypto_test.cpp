#include "common/crypto.hpp"

#include <gtest/gtest.h>

namespace ascension {
namespace {

TEST(Base64Url, Rfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RoundTripAndRejects) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\x00\x01\xff"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)).value(), s);
  }
  EXPECT_FALSE(Base64UrlDecode("a").has_value());
  EXPECT_FALSE(Base64UrlDecode("ab+c").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());  // non-zero leftover bits
  EXPECT_EQ(Base64UrlDecode("Zg==").value(), "f");
}

TEST(Base64Url, RejectsNulWhitespaceAndStandardAlphabet) {
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm9v\0", 5)).has_value());
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm 9v").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9/").has_value());
  EXPECT_EQ(Base64UrlDecode("-_8").value(), "\xfb\xff");
}

TEST(Crypto, HexDecodeIsHexEncodeBackAndRefusesTheRest) {
  const std::string bytes("\x00\x7f\x80\xff\x01\x23\x45\x67\x89\xab\xcd\xef", 12);
  EXPECT_EQ(HexDecode(HexEncode(bytes)), bytes);
  EXPECT_EQ(HexDecode("ABcd"), std::string("\xab\xcd", 2));
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_FALSE(HexDecode("abc").has_value());   // odd length
  EXPECT_FALSE(HexDecode("zz").has_value());    // not a digit
  EXPECT_FALSE(HexDecode("ab c").has_value());  // a space inside
  EXPECT_FALSE(HexDecode(std::string("ab\0d", 4)).has_value());
}

TEST(Crypto, HexEncodeEveryNibble) {
  EXPECT_EQ(HexEncode(std::string("\x00\x7f\x80\xff\x01\x23\x45\x67\x89\xab\xcd\xef", 12)),
            "007f80ff0123456789abcdef");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(Crypto, Sha256AndHmacKnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, UuidShapeAndUniqueness) {
  std::string a = NewUuid(), b = NewUuid();
  EXPECT_TRUE(IsUuid(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("0b7e7dbb-3c58-4d5e-9a43-1c6f1f9a2b1g"));
}

TEST(Crypto, CanonicalUuidLowersAndRefuses) {
  EXPECT_EQ(CanonicalUuid("0B7E7DBB-3C58-4D5E-9A43-1C6F1F9A2B1F"),
            "0b7e7dbb-3c58-4d5e-9a43-1c6f1f9a2b1f");
  EXPECT_FALSE(CanonicalUuid(std::string("0b7e7dbb-3c58-4d5e-9a43-1c6f1f9a2b1\0", 36)));
  EXPECT_FALSE(CanonicalUuid("{0b7e7dbb-3c58-4d5e-9a43-1c6f1f9a2b1f}"));
  EXPECT_FALSE(CanonicalUuid("0b7e7dbb_3c58-4d5e-9a43-1c6f1f9a2b1f"));
  EXPECT_FALSE(IsUuid(std::string("0b7e7dbb-3c58-4d5e-9a43-1c6f1f9a2b1\0", 36)));
}

TEST(Crypto, FormatUuidV4SetsVersionAndVariant) {
  std::array<std::uint8_t, 16> ones{};
  ones.fill(0xFF);
  EXPECT_EQ(FormatUuidV4(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_EQ(FormatUuidV4({}), "00000000-0000-4000-8000-000000000000");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace ascension
