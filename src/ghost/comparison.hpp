// The ghost against a real climb: which of the climber's placements (route.holds_used of the
// analysis, issue 13) match the ghost's moves (sequence alignment: same hold, other hold, extra
// move, skipped move), a time alignment so that the ghost plays in sync with the climber's video
// (dynamic time warping on move order and centre-of-mass path), and per move the deviations
// (holds, centre of mass in cm, time). docs/ghost.md gives the costs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "ghost/animation.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

// One hand or foot placement of the real climb on a hold of the route (route.holds_used).
struct RealPlacement {
  std::string hold_id;
  Limb limb = Limb::kLeftHand;
  std::int64_t from_ms = 0;  // the limb arrives
  std::int64_t to_ms = 0;    // the limb leaves
};

// The climber's centre of mass at one frame of the video, in the route's wall frame (metres).
struct RealComSample {
  std::int64_t timestamp_ms = 0;
  Vec2 com;
};

struct ClimbRecord {
  std::vector<RealPlacement> placements;
  std::vector<RealComSample> com;  // may be empty: then the time alignment uses move order only
};

enum class AlignmentKind { kSameHold, kOtherHold, kExtraMove, kSkippedMove };
// "same_hold", "other_hold", "extra_move" (the climber's, not in the ghost), "skipped_move" (the
// ghost's, not done by the climber).
const char* AlignmentKindName(AlignmentKind kind);

struct AlignedMove {
  AlignmentKind kind = AlignmentKind::kSameHold;
  Limb limb = Limb::kLeftHand;
  std::optional<std::size_t> ghost_move;  // index into Ghost::moves
  std::optional<std::size_t> real_move;   // index into Comparison::real_moves
  bool reordered = false;                 // same hold, but done in another order than the ghost's
  // Deviations, when both sides have the move:
  double hold_distance = 0;                   // metres between the two holds (0 for the same hold)
  std::optional<double> com_distance;         // metres between the centres of mass at landing
  std::optional<std::int64_t> time_delta_ms;  // real move's duration − the ghost's
};

// A move of the real climb: a limb leaving one hold for another (readjustments on the same
// hold are not moves).
struct RealMove {
  Limb limb = Limb::kLeftHand;
  std::optional<std::size_t> from_hold;  // none for a limb's first placement (not a move)
  std::size_t to_hold = 0;
  std::int64_t start_ms = 0;  // leaves the previous hold
  std::int64_t end_ms = 0;    // lands
};

struct Comparison {
  std::vector<RealMove> real_moves;
  std::vector<AlignedMove> moves;  // in climbing order
  // The time alignment: pairs (video ms, ghost ms), both increasing; between two pairs the map
  // is linear. Playing the ghost at map(t) beside video time t keeps them in step.
  std::vector<std::pair<std::int64_t, std::int64_t>> sync;
  int same_hold = 0, other_hold = 0, extra = 0, skipped = 0;
};

// Ghost time for video time `video_ms` through `sync` (clamped to its ends; 0 when empty).
std::int64_t GhostTimeAt(const Comparison& comparison, std::int64_t video_ms);

// Compares the climb with the ghost played on `route` (its moves, frames and centre of mass).
// Fails (kInvalidArgument) on a placement naming a hold the route does not have, with
// from_ms > to_ms or negative times, or on more than 10,000 placements or 100,000 samples.
Result<Comparison> CompareClimb(const Route& route, const Ghost& ghost, const BodyModel& body,
                                const ClimbRecord& climb);

}  // namespace ascension::ghost
