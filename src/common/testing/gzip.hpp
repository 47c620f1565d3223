// For the tests of the result's stored gzip copy (store_test, api_it): one gzip member (RFC 1952)
// inflated with zlib. Anything else — not gzip, truncated, bytes after the member — comes back as
// a "<…>" text that no document equals, so an EXPECT_EQ against the document fails with it shown.
#pragma once

#include <zlib.h>

#include <string>

namespace ascension::testgzip {

inline std::string Gunzip(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "<inflateInit2 failed>";
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
  const uInt left = z.avail_in;
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return "<not gzip: zlib " + std::to_string(rc) + ">";
  if (left != 0) return "<" + std::to_string(left) + " bytes after the gzip member>";
  return out;
}

}  // namespace ascension::testgzip
