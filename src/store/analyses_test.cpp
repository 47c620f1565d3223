// The result document's encodings computed once when it is stored (migration 0042): the gzip
// copy is the document, and the ETag is the one the API computed per request before.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "common/testing/gzip.hpp"
#include "store/analyses.hpp"

namespace ascension::store {
namespace {

using ascension::testgzip::Gunzip;

TEST(ResultEncodingsTest, TheGzipCopyIsTheDocumentAndTheEtagTheOneServedBefore) {
  std::ifstream f(ASCENSION_SAMPLE_RESULT, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  ASSERT_GT(doc.size(), 100000u);
  ResultEncodings enc = EncodeResult(doc);
  ASSERT_TRUE(enc.gzip.has_value());
  EXPECT_EQ(Gunzip(*enc.gzip), doc);
  EXPECT_LT(enc.gzip->size(), doc.size() / 4);
  // Before migration 0042 the API sent "\"" + 32 hex digits of SHA-256 + "\"" per request:
  // clients holding such an ETag still get their 304.
  EXPECT_EQ(enc.etag, "\"" + HexEncode(Sha256(doc)).substr(0, 32) + "\"");
  EXPECT_EQ(EncodeResult(doc).gzip, enc.gzip);  // deterministic: one stored copy for all
  EXPECT_NE(EncodeResult(doc + " ").etag, enc.etag);
}

TEST(ResultEncodingsTest, AnEmptyDocumentHasEncodingsToo) {
  ResultEncodings enc = EncodeResult("");
  ASSERT_TRUE(enc.gzip.has_value());
  EXPECT_EQ(Gunzip(*enc.gzip), "");
  EXPECT_EQ(enc.etag.size(), 34u);
}

// zlib's counters are 32-bit: a document is handed to it in chunks (1 GiB in the store), so a
// result over 4 GiB is not cut at its 32-bit length. Small chunks exercise the same loop.
TEST(ResultEncodingsTest, ADocumentHandedToZlibInChunksIsCompressedWhole) {
  std::string doc;
  for (int i = 0; doc.size() < 300000; ++i) doc += "{\"frame\":" + std::to_string(i) + "},";
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{65536}, doc.size() - 1}) {
    ResultEncodings enc = EncodeResult(doc, chunk);
    ASSERT_TRUE(enc.gzip.has_value()) << chunk;
    EXPECT_EQ(Gunzip(*enc.gzip), doc) << chunk;
    EXPECT_EQ(enc.etag, EncodeResult(doc).etag);
  }
}

}  // namespace
}  // namespace ascension::store
