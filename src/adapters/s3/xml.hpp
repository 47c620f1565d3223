// The little XML the S3 client needs: reading the flat documents S3 answers with (ListBucketResult,
// Error, DeleteResult, CopyObjectResult) and escaping text for the request bodies it sends.
// Not a general XML parser: no DTDs, no CDATA, and an element never nests inside one of its own
// name — which holds for every S3 response this client reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ascension::s3::xml {

// The raw inner content of every element named `tag` in `doc`, in document order, at any depth.
// A self-closing element yields an empty view. Views point into `doc`.
std::vector<std::string_view> Elements(std::string_view doc, std::string_view tag);

// The decoded text of the first element named `tag`, or nullopt when there is none.
std::optional<std::string> Text(std::string_view doc, std::string_view tag);

// Decodes the five predefined entities and numeric character references (to UTF-8).
std::string Unescape(std::string_view text);

// Escapes &, <, >, " and ' for element text or attribute values.
std::string Escape(std::string_view text);

}  // namespace ascension::s3::xml
