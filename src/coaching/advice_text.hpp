// The English and French texts of every piece of advice, as templates filled with the numbers
// of one climb. Internal to asc_coaching.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coaching/advice.hpp"
#include "training/drills.hpp"

namespace ascension::coaching {

// What had to be seen for a claim to be measured: names the part of the climb a claim rests on
// when that is not the whole climb.
enum class ScopePart {
  kBody,           // "your body was visible"
  kLeftArm,        // "your left arm was visible"
  kRightArm,       // "your right arm was visible"
  kHipsHandsFeet,  // "your hips, hands and feet were visible"
  kBodyAndFeet,    // "your body and feet were visible"
  kBothFeet,       // "both your feet were visible"
  kAllLimbs,       // "your hands and feet were visible"
  kTorso,          // "your shoulders and hips were visible"
  kMoving,         // "you were moving"
};

// Values substituted into a template: {t} timecode, {side} "left"/"right" word, {p} and {q}
// percentages (rounded to integers), {s} seconds (one decimal), {n} and {m} counts, {d} a
// distance with its unit ("31 cm", or "24% of your height" without a height), {reach} a hand
// move's length against the climber's span ("82 cm, 46% of your arm span"; p is the share),
// {span} "your arm span" | "your height", and the scope of
// the claim: {scope} "of the climb" | "of the 3.2 s where your right arm was visible", {in_scope}
// "" | " in the 3.2 s where your right arm was visible" (French: "de la montée" | "des 3,2 s où
// votre bras droit était visible", "" | " pendant les 3,2 s où …").
struct TextValues {
  std::int64_t timestamp_ms = 0;
  int side = 0;  // 0 left, 1 right
  double p = 0;
  double q = 0;
  double s = 0;
  int n = 0;
  int m = 0;
  double d_bh = 0;          // {d}: a distance in body heights…
  double height_cm = 0;     // …shown in cm when the climber's height is known (> 0)
  bool span_known = false;  // {reach} and {span} use the arm span (else the height)
  bool whole_climb = true;  // the claim rests on the whole climb: no scope phrase
  ScopePart part = ScopePart::kBody;
  std::int64_t scope_ms = 0;  // the time the claim rests on when not the whole climb
};

struct AdviceText {
  std::string title;
  std::vector<std::string> points;
};

// The texts of advice `id` in `language`. Empty title and points when `id` has no texts.
AdviceText LocalizedText(std::string_view id, Language language, const TextValues& values);

// Every advice id that has texts, in the table's order.
std::vector<std::string_view> AdviceIdsWithTexts();

// The texts of a drill proposed for its indicator (values.p, the indicator's score):
// "Drill: <name>", then "<timecode> Your <indicator> is <p>/100: <aim>", how to do it, the dose.
AdviceText DrillText(const training::Drill& drill, Language language, const TextValues& values);

}  // namespace ascension::coaching
