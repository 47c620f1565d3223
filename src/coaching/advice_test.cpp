#include "coaching/advice.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>

#include "coaching/advice_text.hpp"
#include "coaching/synthetic_climber.hpp"
#include "coaching/thresholds.hpp"

namespace ascension::coaching {
namespace {

namespace th = thresholds;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

std::vector<std::string> Ids(const std::vector<Advice>& advice) {
  std::vector<std::string> ids;
  for (const Advice& a : advice) ids.push_back(a.id);
  return ids;
}

std::vector<std::string> IdsFor(const domain::PoseSequence& seq) {
  return Ids(Advise(Analyze(seq), "en"));
}

TEST(LanguageTest, ParsesTagsAndAcceptLanguageHeaders) {
  EXPECT_EQ(ParseLanguage("fr"), Language::kFrench);
  EXPECT_EQ(ParseLanguage("FR-ca"), Language::kFrench);
  EXPECT_EQ(ParseLanguage("fr_FR"), Language::kFrench);
  EXPECT_EQ(ParseLanguage(" fr-FR,fr;q=0.9,en;q=0.8"), Language::kFrench);
  EXPECT_EQ(ParseLanguage("en-GB,fr;q=0.5"), Language::kEnglish);
  EXPECT_EQ(ParseLanguage("en"), Language::kEnglish);
  EXPECT_EQ(ParseLanguage("de-DE, en;q=0.8"), Language::kEnglish);
  EXPECT_EQ(ParseLanguage("de-DE,fr;q=0.8,en;q=0.5"), Language::kFrench);
  // French when the client says nothing the product speaks.
  EXPECT_EQ(ParseLanguage(""), Language::kFrench);
  EXPECT_EQ(ParseLanguage("*"), Language::kFrench);
  EXPECT_EQ(ParseLanguage("de"), Language::kFrench);
  EXPECT_EQ(ParseLanguage("eng"), Language::kFrench);
  EXPECT_EQ(ParseLanguage(",,;q=1"), Language::kFrench);
  EXPECT_EQ(ParseLanguage(std::string_view("e\0n", 3)), Language::kFrench);
  EXPECT_STREQ(LanguageCode(Language::kFrench), "fr");
}

TEST(TimecodeTest, MillisecondsUnderAMinuteThenMinutesAndSeconds) {
  EXPECT_EQ(FormatTimecode(0), "[0ms]");
  EXPECT_EQ(FormatTimecode(1234), "[1234ms]");
  EXPECT_EQ(FormatTimecode(59999), "[59999ms]");
  EXPECT_EQ(FormatTimecode(60000), "[1m00s]");
  EXPECT_EQ(FormatTimecode(83999), "[1m23s]");
  EXPECT_EQ(FormatTimecode(-5), "[0ms]");
}

TEST(AdviceTest, ScenariosGiveTheExpectedAdvice) {
  EXPECT_THAT(IdsFor(testing::CleanAscent()),
              ElementsAre("strength_technique", "strength_stability", "strength_pace"));
  EXPECT_EQ(IdsFor(testing::LongReachAscent()).front(), "long_reaches");
  EXPECT_THAT(IdsFor(testing::BentArmAscent()), Contains("straight_arms"));
  const auto pause = IdsFor(testing::LongPauseAscent());
  EXPECT_THAT(pause, Contains("long_pause"));
  EXPECT_THAT(pause, Contains("straight_arms"));
  EXPECT_THAT(pause, Not(Contains("hesitation")));
  EXPECT_EQ(IdsFor(testing::JerkyAscent()).front(), "smooth_moves");
  EXPECT_EQ(IdsFor(testing::HipsFarAscent()).front(), "hips_to_wall");
  EXPECT_EQ(IdsFor(testing::OffsetFeetAscent()).front(), "weight_over_feet");
  EXPECT_EQ(IdsFor(testing::HandsOnlyAscent()).front(), "use_legs");
  EXPECT_THAT(IdsFor(testing::ShufflingFeetAscent()), Contains("quiet_feet"));
}

TEST(AdviceTest, CleanAscentRaisesNoProblem) {
  for (const Advice& a : Advise(Analyze(testing::CleanAscent(0.002)), "en")) {
    EXPECT_NE(a.kind, AdviceKind::kImprovement) << a.id;
  }
}

TEST(AdviceTest, EvidenceNamesTheMeasureAndTheMoment) {
  const Biomechanics b = Analyze(testing::LongPauseAscent());
  const auto advice = Advise(b, "en");
  const auto it = std::find_if(advice.begin(), advice.end(),
                               [](const Advice& a) { return a.id == "long_pause"; });
  ASSERT_NE(it, advice.end());
  ASSERT_FALSE(it->evidence.empty());
  const Evidence& e = it->evidence.front();
  EXPECT_EQ(e.measure, "pause_ms");
  EXPECT_GE(e.value, 6000);
  EXPECT_EQ(e.threshold, static_cast<double>(th::kAdviceLongPauseMs));
  ASSERT_FALSE(e.frames.empty());
  EXPECT_LE(e.frames.size(), static_cast<std::size_t>(th::kMaxEvidenceFrames));
  EXPECT_TRUE(std::is_sorted(e.frames.begin(), e.frames.end()));
  // The pause starts when the first cycle ends (0.5 + 4 s): the advice points there.
  EXPECT_NEAR(static_cast<double>(it->timestamp_ms), 4500, 800);
  EXPECT_EQ(it->points.front().rfind(FormatTimecode(it->timestamp_ms), 0), 0u);
}

TEST(AdviceTest, InvariantsHoldOnEveryScenarioInBothLanguages) {
  const std::vector<domain::PoseSequence> scenarios = {
      testing::CleanAscent(),      testing::CleanAscent(0.01), testing::BentArmAscent(),
      testing::LongPauseAscent(),  testing::JerkyAscent(),     testing::HipsFarAscent(),
      testing::OffsetFeetAscent(), testing::HandsOnlyAscent(), testing::ShufflingFeetAscent(),
      testing::OccludedArmAscent()};
  for (const auto& seq : scenarios) {
    const Biomechanics b = Analyze(seq);
    const std::int64_t first = seq.frames.front().timestamp_ms;
    const std::int64_t last = seq.frames.back().timestamp_ms;
    for (const char* lang : {"en", "fr"}) {
      const auto advice = Advise(b, lang);
      ASSERT_GE(advice.size(), static_cast<std::size_t>(th::kMinAdviceCount));
      std::set<std::string> ids;
      for (std::size_t i = 0; i < advice.size(); ++i) {
        const Advice& a = advice[i];
        EXPECT_EQ(a.priority, static_cast<int>(i) + 1);
        EXPECT_TRUE(ids.insert(a.id).second) << "duplicate " << a.id;
        EXPECT_TRUE(std::regex_match(a.id, std::regex("[a-z]+(_[a-z]+)*"))) << a.id;
        EXPECT_GE(a.timestamp_ms, first) << a.id;
        EXPECT_LE(a.timestamp_ms, last) << a.id;
        EXPECT_EQ(a.language, ParseLanguage(lang));
        EXPECT_FALSE(a.title.empty()) << a.id;
        EXPECT_GE(a.points.size(), 2u) << a.id;
        EXPECT_FALSE(a.evidence.empty()) << a.id;
        for (const auto& p : a.points) {
          EXPECT_EQ(p.find('{'), std::string::npos) << p;
          EXPECT_FALSE(p.empty());
        }
      }
    }
  }
}

TEST(AdviceTest, NoPoseGivesOneTip) {
  const auto advice = Advise(Analyze(domain::PoseSequence{}), "fr");
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].id, "no_climber_detected");
  EXPECT_EQ(advice[0].kind, AdviceKind::kTip);
  EXPECT_EQ(advice[0].title, "Aucun grimpeur détecté");
}

TEST(AdviceTest, EveryAdviceHasCompleteTextsInBothLanguages) {
  TextValues values;
  values.timestamp_ms = 1500;
  for (std::string_view id : AdviceIdsWithTexts()) {
    const AdviceText en = LocalizedText(id, Language::kEnglish, values);
    const AdviceText fr = LocalizedText(id, Language::kFrench, values);
    EXPECT_FALSE(en.title.empty()) << id;
    EXPECT_FALSE(fr.title.empty()) << id;
    EXPECT_NE(en.title, fr.title) << id;
    EXPECT_EQ(en.points.size(), fr.points.size()) << id;
    EXPECT_GE(en.points.size(), 2u) << id;
    EXPECT_EQ(en.points.front().rfind("[1500ms]", 0), 0u) << id;
    EXPECT_EQ(fr.points.front().rfind("[1500ms]", 0), 0u) << id;
  }
  EXPECT_TRUE(LocalizedText("no_such_rule", Language::kEnglish, values).title.empty());
}

TEST(AdviceTest, FrenchAndEnglishDifferOnlyInTexts) {
  const Biomechanics b = Analyze(testing::LongPauseAscent());
  const auto en = Advise(b, "en");
  const auto fr = Advise(b, "fr-FR");
  ASSERT_EQ(en.size(), fr.size());
  for (std::size_t i = 0; i < en.size(); ++i) {
    EXPECT_EQ(en[i].id, fr[i].id);
    EXPECT_EQ(en[i].timestamp_ms, fr[i].timestamp_ms);
    EXPECT_NE(en[i].title, fr[i].title);
  }
  EXPECT_EQ(Ids(Advise(b, "xx")), Ids(en));  // unknown language → French
  EXPECT_EQ(Advise(b, "xx")[0].title, fr[0].title);
  EXPECT_EQ(Advise(b, "")[0].language, Language::kFrench);
}

TEST(HintsMarkdownTest, SectionsBulletsAndTimecodes) {
  for (const char* lang : {"en", "fr"}) {
    const auto advice = Advise(Analyze(testing::LongPauseAscent()), lang);
    const std::string md = HintsMarkdown(advice);
    std::istringstream in(md);
    std::string line;
    int sections = 0;
    int bullets_in_section = 0;
    bool previous_blank = true;
    const std::regex timecode(R"(^- \[(\d+ms|\d+m\d{2}s)\] .+)");
    while (std::getline(in, line)) {
      if (line.rfind("## ", 0) == 0) {
        EXPECT_TRUE(previous_blank) << "a section starts after a blank line";
        if (sections > 0) {
          EXPECT_GT(bullets_in_section, 0);
        }
        ++sections;
        bullets_in_section = 0;
      } else if (line.rfind("- ", 0) == 0) {
        ASSERT_GT(sections, 0) << "bullet before any section";
        if (bullets_in_section == 0) {
          EXPECT_TRUE(std::regex_match(line, timecode)) << line;
        }
        ++bullets_in_section;
      } else {
        EXPECT_TRUE(line.empty()) << "unexpected line: " << line;
      }
      previous_blank = line.empty();
    }
    EXPECT_GT(bullets_in_section, 0);
    EXPECT_EQ(sections, static_cast<int>(advice.size()));
    EXPECT_EQ(md.back(), '\n');
  }
}

TEST(HintsMarkdownTest, LineBreaksInTextsCannotBreakTheStructure) {
  Advice a;
  a.title = "Two\nlines";
  a.points = {"one\r\ntwo"};
  EXPECT_EQ(HintsMarkdown({a}), "## Two lines\n- one  two\n");
  EXPECT_EQ(HintsMarkdown({}), "");
}

// The product speaks to the climber as "vous" (the web client's register): no French text of the
// advice catalogue or of the drills says "tu", in any of the forms its templates produce.
bool SaysTu(const std::string& text) {
  // Words: runs of ASCII letters and UTF-8 bytes (accented letters); an apostrophe ends a word
  // and is kept with it ("t'").
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || u >= 0x80) {
      word += static_cast<char>(std::tolower(u));
    } else {
      if (c == '\'') word += c;
      if (!word.empty()) words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  static const std::set<std::string> tu = {"tu", "toi", "te", "ton", "ta", "tes", "t'"};
  return std::any_of(words.begin(), words.end(),
                     [](const std::string& w) { return tu.count(w) > 0; });
}

TEST(AdviceTextTest, FrenchTextsSayVous) {
  ASSERT_TRUE(SaysTu("Garde ton poids")) << "the check itself";
  ASSERT_TRUE(SaysTu("Suspends-toi"));
  ASSERT_FALSE(SaysTu("Gardez votre poids au-dessus des pieds, en tenant la prise"));
  for (bool whole : {true, false}) {
    for (double height : {0.0, 170.0}) {
      for (bool span : {false, true}) {
        for (ScopePart part :
             {ScopePart::kBody, ScopePart::kLeftArm, ScopePart::kRightArm,
              ScopePart::kHipsHandsFeet, ScopePart::kBodyAndFeet, ScopePart::kBothFeet,
              ScopePart::kAllLimbs, ScopePart::kTorso, ScopePart::kMoving}) {
          TextValues v;
          v.whole_climb = whole;
          v.height_cm = height;
          v.span_known = span;
          v.part = part;
          v.scope_ms = 3200;
          v.d_bh = 0.2;
          auto check = [&](const AdviceText& t, std::string_view what) {
            EXPECT_FALSE(SaysTu(t.title)) << what << ": " << t.title;
            for (const std::string& point : t.points) {
              EXPECT_FALSE(SaysTu(point)) << what << ": " << point;
            }
          };
          for (std::string_view id : AdviceIdsWithTexts()) {
            check(LocalizedText(id, Language::kFrench, v), id);
          }
          for (const training::Drill& d : training::Catalogue()) {
            check(DrillText(d, Language::kFrench, v), d.id);
          }
        }
      }
    }
  }
  for (const training::Drill& d : training::Catalogue()) {
    EXPECT_FALSE(SaysTu(std::string(d.aim.fr))) << d.id;
    EXPECT_FALSE(SaysTu(std::string(d.how.fr))) << d.id;
  }
}

}  // namespace
}  // namespace ascension::coaching
