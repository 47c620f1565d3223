// The languages the product speaks to climbers: French (the app's and the original system's
// first language) and English.
#pragma once

#include <optional>
#include <string_view>

namespace ascension::domain {

enum class Language { kFr, kEn };

// "fr" | "en" (exactly, lower-case); nullopt for anything else.
std::optional<Language> ParseLanguage(std::string_view code);
// "fr" | "en".
std::string_view LanguageCode(Language language);

}  // namespace ascension::domain
