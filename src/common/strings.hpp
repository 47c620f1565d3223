// Small text helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>

namespace ascension {

// `s` with the ASCII letters A-Z lowered; every other byte (UTF-8 sequences, NUL) is kept as it
// is. The one lower-casing of the code base: e-mails, usernames, header names, schemes, hosts,
// file extensions, language tags, log levels.
std::string Lowercase(std::string_view s);

}  // namespace ascension
