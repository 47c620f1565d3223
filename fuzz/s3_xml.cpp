// An S3 response body (ListBucketResult, Error, DeleteResult, CopyObjectResult...) read the way
// the S3 client reads them, plus the escaping the client applies to the bodies it sends.
// Invariants: no sanitizer report, every element view lies inside the document, and escaping
// round-trips through unescaping.
#include <cstdint>
#include <string>

#include "adapters/s3/xml.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ascension;
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  auto inside = [&](std::string_view v) {
    return v.empty() || (v.data() >= doc.data() && v.data() + v.size() <= doc.data() + doc.size());
  };
  for (const char* tag : {"Code", "Message", "IsTruncated", "NextContinuationToken", "ETag"}) {
    (void)s3::xml::Text(doc, tag);
  }
  for (const char* list : {"Contents", "Error", "Deleted"}) {
    for (std::string_view e : s3::xml::Elements(doc, list)) {
      fuzz::Check(inside(e), "element view outside the document");
      for (const char* tag : {"Key", "Size", "ETag", "LastModified", "Code", "Message"}) {
        for (std::string_view f : s3::xml::Elements(e, tag))
          fuzz::Check(inside(f), "nested view outside");
        (void)s3::xml::Text(e, tag);
      }
    }
  }
  std::string escaped = s3::xml::Escape(doc);
  fuzz::Check(s3::xml::Unescape(escaped) == doc, "Unescape(Escape(x)) != x");
  return 0;
}
