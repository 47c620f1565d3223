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
  EXPECT_EQ(Gunzip(enc.gzip), doc);
  EXPECT_LT(enc.gzip.size(), doc.size() / 4);
  // Before migration 0042 the API sent "\"" + 32 hex digits of SHA-256 + "\"" per request:
  // clients holding such an ETag still get their 304.
  EXPECT_EQ(enc.etag, "\"" + HexEncode(Sha256(doc)).substr(0, 32) + "\"");
  EXPECT_EQ(EncodeResult(doc).gzip, enc.gzip);  // deterministic: one stored copy for all
  EXPECT_NE(EncodeResult(doc + " ").etag, enc.etag);
}

TEST(ResultEncodingsTest, AnEmptyDocumentHasEncodingsToo) {
  ResultEncodings enc = EncodeResult("");
  EXPECT_EQ(Gunzip(enc.gzip), "");
  EXPECT_EQ(enc.etag.size(), 34u);
}

}  // namespace
}  // namespace ascension::store
