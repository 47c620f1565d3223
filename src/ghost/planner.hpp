// The beta planner: which hand and foot go on which hold, in which order, for this climber's
// body on this route. A state is the contact of each limb (a hold, or a smear on the wall for a
// foot); a move changes one limb. The search is an anytime weighted A* over states (weights
// 2 → 1 while a deterministic work budget lasts) with lazily evaluated moves and an admissible
// heuristic (a relaxed hands-only problem plus the climb left to the feet); it returns the
// cheapest beta found and up to two alternatives that place the hands differently, or a NoBeta
// naming what blocks. docs/ghost.md documents the feasibility rules and every cost weight.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "ghost/body.hpp"
#include "ghost/route.hpp"

namespace ascension::ghost {

// Weights of the cost of a move (dimensionless; a plain move of a hand costs about 1):
//   factor(limb) × (move + distance · d / reach + distance2 · (d / reach)² + hold(limb, size))
//     × injured
//   + stability · balance and strain · strain of the three-limb stance during the move
//   + crossing · crossing of the state reached
//   + match (two hands or two feet on one hold) + no_hands (a move during which no hand holds).
struct CostWeights {
  double move = 1.0;         // every move: fewer moves are better
  double hand_factor = 1.0;  // hand moves
  double foot_factor = 0.5;  // foot moves are cheaper: good footwork is encouraged
  double distance = 1.0;     // per limb reach travelled (hold-centre distance / max reach)
  double distance2 = 1.0;    // × its square: long moves cost more than two short ones
  // Difficulty of a hold by size class (foot chip, small, medium, large, volume); a negative
  // value means the limb cannot use that class.
  std::array<double, 5> hand_hold = {-1, 1.0, 0.4, 0.1, 0.6};
  std::array<double, 5> foot_hold = {0.5, 0.3, 0.15, 0.05, 0.1};
  double smear = 1.2;           // a foot on the bare wall instead of the hold term
  double stability = 1.0;       // × balance (0 centred … 1 at the edge of the support)
  double strain = 1.0;          // × strain during the move (limbs at their limits, lock-offs)
  double crossing = 0.8;        // × how far the hands (or feet) cross, up to half a shoulder
  double match = 1.0;           // two hands, or two feet, on one hold
  double injured_factor = 3.0;  // moves of an injured limb: spared, not excluded
  double no_hands = 3.0;        // hand moves of a one-armed climber (standing on the feet alone)
  double alternative = 2.0;     // search penalty per hand placement already used by a beta found
};

// Where one limb is in a state.
struct Contact {
  enum class Kind { kNone, kHold, kSmear };
  Kind kind = Kind::kNone;  // kNone only for an absent limb
  std::size_t hold = 0;     // index into Route::holds when kHold
  Vec2 point;               // the end point (grip or toe), wall frame
};

struct BetaState {
  std::array<Contact, kLimbCount> contacts;  // by Limb index
};

struct BetaMove {
  Limb limb = Limb::kLeftHand;
  Contact from, to;
  double distance = 0;  // metres between the two contacts' hold centres (or smear points)
  double cost = 0;      // this move's share of Beta::cost
  double strain = 0;    // of the three-limb stance during the move (what makes it hard)
  double balance = 0;   // of that stance: 0 centred … 1 at the edge of the support
};

struct Beta {
  std::vector<BetaState> states;  // states[0] the start; states[i + 1] after moves[i]
  std::vector<BetaMove> moves;
  double cost = 0;  // start stance cost + every move's cost (without search penalties)
};

// Why no beta exists. Codes: no_start_hold, no_top_hold, start_out_of_reach, gap_beyond_reach
// (the blocking move's limb, holds and distance beyond reach), no_balance (the limb reaches but
// the body cannot stay supported), search_limit (none found within the work limits; the fields
// then name the closest miss among the positions explored, which is not proven to block).
struct NoBeta {
  std::string code;
  std::string message;  // English, for logs and the CLI; the API gives code + fields
  std::optional<Limb> limb;
  std::optional<std::size_t> from_hold, to_hold;  // indices into Route::holds
  double beyond_reach = 0;                        // metres
};

struct PlanOptions {
  CostWeights weights;
  int alternatives = 2;                 // 0..2
  std::size_t max_expansions = 400000;  // per search; NoBeta "search_limit" beyond
  // Stance and move solves (the search's unit of work, about 15 µs each) after which the
  // anytime search stops lowering its weight and keeps the best beta found (deterministic:
  // counted, not timed). 60 % goes to the best beta, the rest to the alternatives; the first
  // search may use 150 % to find any beta (or prove there is none) before giving up.
  std::size_t solve_budget = 40000;
};

struct PlanStats {
  std::size_t expanded = 0;         // states expanded, all searches
  std::size_t edges_evaluated = 0;  // moves whose stances were solved
  std::size_t stances_solved = 0;
  // The best beta costs at most this times the cheapest possible (1 = optimal): the weight of
  // the last weighted A* search that finished within the budget.
  double suboptimality_bound = 0;
};

struct Plan {
  std::vector<Beta> betas;  // best first; empty when no_beta is set
  std::optional<NoBeta> no_beta;
  PlanStats stats;
};

// Plans the route for the body. Start: the hands on the (at most two highest) `start` holds —
// both on it when there is one — and the feet on any reachable foothold or smear (on the lower
// start holds when there are three or four). Finish: every available hand on a `top` hold. Only
// selected holds are used; `hand` holds take hands only, `foot` holds feet only, foot chips feet
// only, top holds hands only. Fails only on an invalid route (ValidateRoute); everything the
// climber or route setter can fix comes back as Plan::no_beta.
Result<Plan> PlanBeta(const Route& route, const BodyModel& body, const PlanOptions& options = {});

// Costs a given sequence of states as the planner would (each state: the hold index of each
// limb, by Limb index, −1 for an absent limb; successive states differ in one limb), to explain
// a beta or compare one with the planner's. Fails (kFailedPrecondition) naming the first state
// or move the body cannot hold, (kInvalidArgument) on a malformed sequence.
Result<Beta> ScoreBeta(const Route& route, const BodyModel& body,
                       const std::vector<std::array<int, kLimbCount>>& states,
                       const CostWeights& weights = {});

}  // namespace ascension::ghost
