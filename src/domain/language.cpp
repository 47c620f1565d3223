#include "domain/language.hpp"

namespace ascension::domain {

std::optional<Language> ParseLanguage(std::string_view code) {
  if (code == "fr") return Language::kFr;
  if (code == "en") return Language::kEn;
  return std::nullopt;
}

std::string_view LanguageCode(Language language) {
  return language == Language::kFr ? "fr" : "en";
}

}  // namespace ascension::domain
