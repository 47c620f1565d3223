#include "ghost/synthetic_routes.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace ascension::ghost::testing {

Hold MakeHold(std::string id, double x, double y, SizeClass size, HoldRole role) {
  Hold h;
  h.id = std::move(id);
  h.centre = {x, y};
  h.radius = TypicalDiameter(size) / 2;
  h.size = size;
  h.role = role;
  for (int i = 0; i < 8; ++i) {
    const double a = i * 3.14159265358979 / 4;
    h.outline.push_back({x + h.radius * std::cos(a), y + h.radius * std::sin(a)});
  }
  return h;
}

namespace {

Route Finish(Route r) {
  r.view = ViewAroundHolds(r.holds);
  return r;
}

}  // namespace

Route JugLadder(int rungs) {
  Route r;
  for (int i = 0; i < rungs; ++i) {
    HoldRole role = HoldRole::kNone;
    if (i == 3) role = HoldRole::kStart;
    if (i == rungs - 1) role = HoldRole::kTop;
    r.holds.push_back(
        MakeHold("r" + std::to_string(i), 0, 0.3 + 0.45 * i, SizeClass::kLarge, role));
  }
  return Finish(r);
}

Route GapTraverse() {
  Route r;
  r.holds.push_back(MakeHold("A", 0, 1.8, SizeClass::kLarge, HoldRole::kStart));
  r.holds.push_back(MakeHold("I", 1.5, 1.8, SizeClass::kSmall));
  r.holds.push_back(MakeHold("B", 1.7, 1.8, SizeClass::kLarge, HoldRole::kTop));
  int k = 0;
  for (double y : {0.8, 1.1}) {
    for (double x = -0.3; x <= 2.1 + 1e-9; x += 0.3) {
      r.holds.push_back(
          MakeHold("f" + std::to_string(k++), x, y, SizeClass::kMedium, HoldRole::kFoot));
    }
  }
  return Finish(r);
}

Route HighStep() {
  Route r;
  r.holds.push_back(MakeHold("start", 0, 1.7, SizeClass::kLarge, HoldRole::kStart));
  r.holds.push_back(MakeHold("next", 0, 2.6, SizeClass::kLarge));
  r.holds.push_back(MakeHold("top", 0, 3.0, SizeClass::kLarge, HoldRole::kTop));
  r.holds.push_back(MakeHold("fl", -0.2, 0.3, SizeClass::kMedium, HoldRole::kStart));
  r.holds.push_back(MakeHold("fr", 0.2, 0.3, SizeClass::kMedium, HoldRole::kStart));
  r.holds.push_back(MakeHold("fl2", -0.2, 0.7, SizeClass::kMedium, HoldRole::kFoot));
  r.holds.push_back(MakeHold("fr2", 0.2, 1.0, SizeClass::kMedium, HoldRole::kFoot));
  r.holds.push_back(MakeHold("fl3", -0.25, 1.4, SizeClass::kMedium, HoldRole::kFoot));
  r.holds.push_back(MakeHold("fr3", 0.25, 1.7 - 0.05, SizeClass::kSmall, HoldRole::kFoot));
  return Finish(r);
}

Route RandomWall(int holds, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.12, 0.12);
  Route r;
  r.holds.push_back(MakeHold("s1", 1.7, 1.5, SizeClass::kLarge, HoldRole::kStart));
  r.holds.push_back(MakeHold("s2", 2.2, 1.5, SizeClass::kLarge, HoldRole::kStart));
  r.holds.push_back(MakeHold("top", 2.0, 4.6, SizeClass::kLarge, HoldRole::kTop));
  const SizeClass sizes[] = {SizeClass::kSmall,    SizeClass::kMedium, SizeClass::kLarge,
                             SizeClass::kFootChip, SizeClass::kVolume, SizeClass::kMedium};
  // Holds on a jittered grid of 0.5 m × 0.45 m cells over x 0.25..3.75, y 0.3..4.4, visited in
  // a shuffled order so that any count spreads over the wall.
  std::vector<std::pair<double, double>> cells;
  for (double y = 0.3; y <= 4.4; y += 0.45) {
    for (double x = 0.25; x <= 3.75; x += 0.5) cells.push_back({x, y});
  }
  std::shuffle(cells.begin(), cells.end(), rng);
  for (int i = 0; static_cast<int>(r.holds.size()) < holds && i < static_cast<int>(cells.size());
       ++i) {
    const auto [x, y] = cells[i];
    const SizeClass size = sizes[rng() % 6];
    r.holds.push_back(MakeHold("h" + std::to_string(i), x + jitter(rng), y + jitter(rng), size));
  }
  return Finish(r);
}

}  // namespace ascension::ghost::testing
