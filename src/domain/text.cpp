#include "domain/text.hpp"

namespace ascension::domain {

std::optional<std::string> CheckText(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return "must be valid UTF-8";
    }
    if (i + len > text.size()) return "must be valid UTF-8";
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return "must be valid UTF-8";
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr char32_t kMinOf[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinOf[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return "must be valid UTF-8";
    }
    if ((cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') || cp == 0x7F) {
      return "must not contain control characters";
    }
    i += len;
    if (++chars > max_chars) return "must be at most " + std::to_string(max_chars) + " characters";
  }
  return std::nullopt;
}

}  // namespace ascension::domain
