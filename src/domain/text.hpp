// Free text a climber writes (session notes): valid UTF-8, no NUL or other control character
// except newlines and tabs, and a bounded length in characters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ascension::domain {

// nullopt when `text` is acceptable; else the problem, as a sentence that follows the field's
// name ("must be valid UTF-8").
std::optional<std::string> CheckText(std::string_view text, std::size_t max_chars);

}  // namespace ascension::domain
