// The named indicators every analysis is scored on (F04), shared by the coaching (which measures
// them), the training programs (which train the weakest) and the statistics. Each is 0–100,
// higher is better; docs/coaching.md gives the formulas.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace ascension::domain {

enum class Indicator {
  kTechnique = 0,   // straight arms and hips close to the wall
  kFluidity = 1,    // smooth, continuous movement
  kStability = 2,   // centre of mass over the support (needs a camera behind the climber)
  kEfficiency = 3,  // a direct path, no wasted moves
  kPace = 4,        // brisk moves at a steady rate
};
inline constexpr std::array<Indicator, 5> kIndicators = {
    Indicator::kTechnique, Indicator::kFluidity, Indicator::kStability, Indicator::kEfficiency,
    Indicator::kPace};

// "technique" | "fluidity" | "stability" | "efficiency" | "pace".
std::string_view IndicatorName(Indicator indicator);
std::optional<Indicator> ParseIndicator(std::string_view name);

// One analysis's indicator values; nullopt = not measurable in that clip (e.g. stability when
// the camera does not face the climber's back).
struct IndicatorValues {
  std::array<std::optional<double>, kIndicators.size()> values{};

  std::optional<double> Get(Indicator i) const { return values[static_cast<int>(i)]; }
  void Set(Indicator i, std::optional<double> v) { values[static_cast<int>(i)] = v; }
};

}  // namespace ascension::domain
