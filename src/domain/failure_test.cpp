#include "domain/failure.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace ascension::domain {
namespace {

TEST(FailureCodes, EveryCodeHasOneEntryWithBothMessages) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(FailureCode::kInternal); ++i) {
    auto code = static_cast<FailureCode>(i);
    const FailureInfo& f = Describe(code);
    EXPECT_EQ(f.code, code) << i;
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    for (char c : f.name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << f.name;
    EXPECT_FALSE(f.message_en.empty()) << f.name;
    EXPECT_FALSE(f.message_fr.empty()) << f.name;
    EXPECT_NE(f.message_en, f.message_fr) << f.name;
    EXPECT_EQ(ParseFailureCode(f.name), code);
  }
  EXPECT_EQ(names.size(), AllFailures().size());
  EXPECT_FALSE(ParseFailureCode("analysis_failed"));
  EXPECT_FALSE(ParseFailureCode(""));
}

TEST(FailureCodes, TheInputsFaultIsPermanentADependencysIsNot) {
  for (auto c : {FailureCode::kEmptyFile, FailureCode::kNotAVideo, FailureCode::kCorruptVideo,
                 FailureCode::kUnsupportedDimensions, FailureCode::kVideoTooLong,
                 FailureCode::kNoClimberFound, FailureCode::kVideoNotFound,
                 FailureCode::kInvalidJob, FailureCode::kProcessingTimeout})
    EXPECT_TRUE(IsPermanent(c)) << FailureName(c);
  for (auto c : {FailureCode::kStorageUnavailable, FailureCode::kDatabaseUnavailable,
                 FailureCode::kInternal})
    EXPECT_FALSE(IsPermanent(c)) << FailureName(c);
  EXPECT_EQ(UserMessage(FailureCode::kNotAVideo, Language::kEn),
            "The uploaded file is not a video.");
  EXPECT_EQ(UserMessage(FailureCode::kNotAVideo, Language::kFr),
            "Le fichier envoyé n'est pas une vidéo.");
}

// docs/architecture.md lists every code (the table is the contract; the doc must not drift).
TEST(FailureCodes, TheArchitectureDocumentNamesEveryCode) {
  std::ifstream f(ASCENSION_ARCHITECTURE_DOC);
  ASSERT_TRUE(f) << ASCENSION_ARCHITECTURE_DOC;
  std::stringstream ss;
  ss << f.rdbuf();
  for (const auto& info : AllFailures()) {
    EXPECT_NE(ss.str().find("`" + std::string(info.name) + "`"), std::string::npos) << info.name;
  }
}

}  // namespace
}  // namespace ascension::domain
