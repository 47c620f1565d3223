// The result document's encodings computed once when it is stored (migration 0042): the gzip
// copy is the document, and the ETag is the one the API computed per request before.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "store/analyses.hpp"

namespace ascension::store {
namespace {

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buf[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  EXPECT_EQ(z.avail_in, 0u);  // one gzip member, nothing after it
  inflateEnd(&z);
  return out;
}

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
