#include "domain/indicators.hpp"

namespace ascension::domain {

std::string_view IndicatorName(Indicator indicator) {
  switch (indicator) {
    case Indicator::kTechnique:
      return "technique";
    case Indicator::kFluidity:
      return "fluidity";
    case Indicator::kStability:
      return "stability";
    case Indicator::kEfficiency:
      return "efficiency";
    case Indicator::kPace:
      return "pace";
  }
  return "";
}

std::optional<Indicator> ParseIndicator(std::string_view name) {
  for (Indicator i : kIndicators) {
    if (IndicatorName(i) == name) return i;
  }
  return std::nullopt;
}

}  // namespace ascension::domain
