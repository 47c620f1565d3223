#include "adapters/s3/xml.hpp"

#include <gtest/gtest.h>

namespace ascension::s3::xml {
namespace {

TEST(Xml, ElementsFindsEveryOccurrenceInOrder) {
  std::string doc =
      "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
      "<Contents><Key>p/a&amp;b</Key><Size>3</Size><ETag>&quot;abc&quot;</ETag></Contents>"
      "<Contents><Key>p/c</Key><Size>10</Size></Contents>"
      "<NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>";
  auto contents = Elements(doc, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(Text(contents[0], "Key"), "p/a&b");
  EXPECT_EQ(Text(contents[0], "ETag"), "\"abc\"");
  EXPECT_EQ(Text(contents[1], "Size"), "10");
  EXPECT_EQ(Text(doc, "NextContinuationToken"), "tok/+=");
  // "Key" must not match "KeyCount".
  EXPECT_EQ(Elements(doc, "Key").size(), 2u);
  EXPECT_EQ(Text(doc, "Missing"), std::nullopt);
}

TEST(Xml, SelfClosingAndAttributes) {
  std::string doc = "<R><Prefix/><Tag a=\"1\">x</Tag><Empty a=\"2\"/></R>";
  EXPECT_EQ(Text(doc, "Prefix"), "");
  EXPECT_EQ(Text(doc, "Tag"), "x");
  EXPECT_EQ(Text(doc, "Empty"), "");
}

TEST(Xml, TruncatedDocumentYieldsNothingRatherThanGarbage) {
  EXPECT_TRUE(Elements("<A><Key>abc", "Key").empty());
  EXPECT_TRUE(Elements("<A><Key", "Key").empty());
}

TEST(Xml, UnescapeEntitiesAndCharacterReferences) {
  EXPECT_EQ(Unescape("a&lt;b&gt;c&amp;d&quot;e&apos;f"), "a<b>c&d\"e'f");
  EXPECT_EQ(Unescape("&#65;&#x42;&#xE9;"), "AB\xC3\xA9");
  EXPECT_EQ(Unescape("& alone; &unknown;"), "& alone; &unknown;");
}

TEST(Xml, EscapeRoundTrips) {
  std::string s = "a<b>&\"c'd";
  EXPECT_EQ(Escape(s), "a&lt;b&gt;&amp;&quot;c&apos;d");
  EXPECT_EQ(Unescape(Escape(s)), s);
}

}  // namespace
}  // namespace ascension::s3::xml
