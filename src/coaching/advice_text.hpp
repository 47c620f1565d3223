// The English and French texts of every piece of advice, as templates filled with the numbers
// of one climb. Internal to asc_coaching.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "coaching/advice.hpp"

namespace ascension::coaching {

// Values substituted into a template: {t} timecode, {side} "left"/"right" word, {p} and {q}
// percentages (rounded to integers), {s} seconds (one decimal), {n} and {m} counts.
struct TextValues {
  std::int64_t timestamp_ms = 0;
  int side = 0;  // 0 left, 1 right
  double p = 0;
  double q = 0;
  double s = 0;
  int n = 0;
  int m = 0;
};

struct AdviceText {
  std::string title;
  std::vector<std::string> points;
};

// The texts of advice `id` in `language`. Empty title and points when `id` has no texts.
AdviceText LocalizedText(std::string_view id, Language language, const TextValues& values);

// Every advice id that has texts, in the table's order.
std::vector<std::string_view> AdviceIdsWithTexts();

}  // namespace ascension::coaching
