#include "domain/failure.hpp"

#include <array>

namespace ascension::domain {
namespace {

constexpr std::array<FailureInfo, 20> kFailures = {{
    {FailureCode::kEmptyFile, "empty_file", true, "The uploaded file is empty.",
     "Le fichier envoyé est vide."},
    {FailureCode::kNotAVideo, "not_a_video", true, "The uploaded file is not a video.",
     "Le fichier envoyé n'est pas une vidéo."},
    {FailureCode::kCorruptVideo, "corrupt_video", true, "The video file is damaged or incomplete.",
     "La vidéo est endommagée ou incomplète."},
    {FailureCode::kUnsupportedDimensions, "unsupported_dimensions", true,
     "The video resolution is not supported.",
     "La résolution de la vidéo n'est pas prise en charge."},
    {FailureCode::kVideoTooLong, "video_too_long", true,
     "The video is too long; please trim it to the climb.",
     "La vidéo est trop longue ; coupez-la autour de la voie."},
    {FailureCode::kNoClimberFound, "no_climber_found", true,
     "No climber could be seen in the video.", "Aucun grimpeur n'a été vu dans la vidéo."},
    {FailureCode::kVideoNotFound, "video_not_found", true, "The video is no longer in storage.",
     "La vidéo n'est plus dans le stockage."},
    {FailureCode::kVideoChanged, "video_changed", true,
     "The video was replaced after the analysis started; upload it again.",
     "La vidéo a été remplacée après le début de l'analyse ; envoyez-la à nouveau."},
    {FailureCode::kVideoTooLarge, "video_too_large", true, "The video is larger than the limit.",
     "La vidéo dépasse la taille maximale."},
    {FailureCode::kInvalidJob, "invalid_job", true, "The analysis request was malformed.",
     "La demande d'analyse était mal formée."},
    {FailureCode::kProcessingTimeout, "processing_timeout", true,
     "The analysis did not finish in time, please try again",
     "L'analyse ne s'est pas terminée à temps, veuillez réessayer"},
    {FailureCode::kImageTooLarge, "image_too_large", true, "The photo is too large.",
     "La photo est trop lourde."},
    {FailureCode::kHeicUnsupported, "heic_unsupported", true,
     "HEIC photos are not supported: export the photo as JPEG.",
     "Les photos HEIC ne sont pas prises en charge : exportez la photo en JPEG."},
    {FailureCode::kUnsupportedFormat, "unsupported_format", true,
     "The photo must be a JPEG, PNG or WebP image.",
     "La photo doit être une image JPEG, PNG ou WebP."},
    {FailureCode::kCorruptImage, "corrupt_image", true, "The photo is damaged or incomplete.",
     "La photo est endommagée ou incomplète."},
    {FailureCode::kPhotoNotFound, "photo_not_found", true, "The photo is not in storage.",
     "La photo n'est pas dans le stockage."},
    {FailureCode::kAnalysisNotFound, "analysis_not_found", true,
     "The analysis the route is built from is no longer available.",
     "L'analyse dont la voie est issue n'est plus disponible."},
    {FailureCode::kStorageUnavailable, "storage_unavailable", false, "The analysis failed.",
     "L'analyse a échoué."},
    {FailureCode::kDatabaseUnavailable, "database_unavailable", false, "The analysis failed.",
     "L'analyse a échoué."},
    {FailureCode::kInternal, "internal", false, "The analysis failed.", "L'analyse a échoué."},
}};

}  // namespace

std::span<const FailureInfo> AllFailures() {
  return kFailures;
}

const FailureInfo& Describe(FailureCode code) {
  for (const auto& f : kFailures) {
    if (f.code == code) return f;
  }
  return kFailures.back();  // unreachable: every enumerator is in the table (unit-tested)
}

std::string_view FailureName(FailureCode code) {
  return Describe(code).name;
}
bool IsPermanent(FailureCode code) {
  return Describe(code).permanent;
}

std::string_view UserMessage(FailureCode code, Language language) {
  const FailureInfo& f = Describe(code);
  return language == Language::kFr ? f.message_fr : f.message_en;
}

std::optional<FailureCode> ParseFailureCode(std::string_view name) {
  for (const auto& f : kFailures) {
    if (f.name == name) return f.code;
  }
  return std::nullopt;
}

}  // namespace ascension::domain
