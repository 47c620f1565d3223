// Synthetic routes with known answers, for the ghost's tests and benchmark (test-only code).
// Coordinates in metres, wall frame; each route is described where it is built.
#pragma once

#include "ghost/route.hpp"

namespace ascension::ghost::testing {

// A hold at (x, y) with a size and role; id "h<index>" unless given.
Hold MakeHold(std::string id, double x, double y, SizeClass size, HoldRole role = HoldRole::kNone);

// A ladder: a column of `rungs` jugs (large) 0.45 m apart at x = 0 from y = 0.3; rung 3
// (y = 1.65) is the start (both hands), the last rung the top. Every rung takes hands and feet.
Route JugLadder(int rungs = 10);

// A traverse at hand height 1.8 m: start jug A at x = 0, top jug B at x = 1.7, a small crimp I
// at x = 1.5 between them (1.5 m from A, 0.2 m from B), footholds every 0.3 m on two rows
// (y = 0.8 and 1.1) from x = −0.3 to 2.1. The hands of a 190 cm climber span A → B directly
// (span ≈ 1.94 m); a 160 cm one (≈ 1.63 m) needs I; a 140 cm one (≈ 1.43 m) cannot span A → I.
Route GapTraverse();

// Start jug at y = 1.7 with the feet on start footholds at y = 0.3; the next hand jug is at 2.6
// and the top at 3.0; higher footholds at 0.7, 1.0, 1.4 and 1.65. The hands cannot reach 2.6
// before the feet rise.
Route HighStep();

// A random but climbable wall of `holds` holds (start pair, top, every size class, footholds),
// 4 m wide and 5 m high, from a fixed seed: the benchmark route.
Route RandomWall(int holds, unsigned seed);

}  // namespace ascension::ghost::testing
