#include "worker/analysis_document.hpp"

#include "coaching/advice.hpp"
#include "coaching/biomechanics.hpp"
#include "coaching/result_json.hpp"
#include "vision/pose_analyzer.hpp"

namespace ascension::worker {

AnalysisDocument BuildAnalysisDocument(const domain::PoseSequence& poses, const std::string& lang,
                                       const domain::ClimberProfile& profile) {
  AnalysisDocument doc;
  doc.result = vision::ResultJson(poses);
  coaching::Biomechanics bio = coaching::Analyze(poses, profile);
  auto& frames = doc.result["frames"];
  for (size_t i = 0; i < frames.size() && i < bio.frames.size(); ++i) {
    nlohmann::json extra = coaching::FrameJson(bio.frames[i]);
    for (auto it = extra.begin(); it != extra.end(); ++it) frames[i][it.key()] = it.value();
  }
  auto advice = coaching::Advise(bio, lang);
  doc.result["biomechanics"] = coaching::BiomechanicsJson(bio);
  doc.result["advice"] = coaching::AdviceJson(advice);
  doc.result["language"] = coaching::LanguageCode(coaching::ParseLanguage(lang));
  doc.hints = coaching::HintsMarkdown(advice);
  return doc;
}

}  // namespace ascension::worker
