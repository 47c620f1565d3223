#include "ghost/planner.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "ghost/synthetic_routes.hpp"

namespace ascension::ghost {
namespace {

BodyModel Body(double height_cm, LimbConditions limbs = {}) {
  ClimberProfile p;
  p.height_cm = height_cm;
  p.limbs = limbs;
  auto b = MakeBodyModel(p);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return *b;
}

std::string HoldOf(const Route& r, const Contact& c) {
  if (c.kind == Contact::Kind::kHold) return r.holds[c.hold].id;
  return c.kind == Contact::Kind::kSmear ? "smear" : "none";
}

// "right_hand:A>B left_hand:A>B" — what a failing expectation prints.
std::string Describe(const Route& r, const Beta& b) {
  std::string s;
  for (const BetaMove& m : b.moves) {
    s += std::string(LimbName(m.limb)) + ":" + HoldOf(r, m.from) + ">" + HoldOf(r, m.to) + " ";
  }
  return s;
}

std::vector<const BetaMove*> HandMoves(const Beta& b) {
  std::vector<const BetaMove*> out;
  for (const BetaMove& m : b.moves) {
    if (IsHand(m.limb)) out.push_back(&m);
  }
  return out;
}

Plan MustPlan(const Route& r, const BodyModel& body, const PlanOptions& o = {}) {
  auto plan = PlanBeta(r, body, o);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : Plan{};
}

void ExpectFinishesOnTop(const Route& r, const BodyModel& body, const Beta& beta) {
  ASSERT_FALSE(beta.states.empty());
  const BetaState& last = beta.states.back();
  for (Limb hand : {Limb::kLeftHand, Limb::kRightHand}) {
    const Contact& c = last.contacts[Index(hand)];
    if (!body.Available(hand)) {
      EXPECT_EQ(c.kind, Contact::Kind::kNone);
      continue;
    }
    ASSERT_EQ(c.kind, Contact::Kind::kHold);
    EXPECT_EQ(r.holds[c.hold].role, HoldRole::kTop) << Describe(r, beta);
  }
}

TEST(Planner, JugLadderGoesStraightUpWithAlternatingHands) {
  const Route r = testing::JugLadder();
  const BodyModel body = Body(175);
  const Plan plan = MustPlan(r, body);
  ASSERT_FALSE(plan.no_beta) << plan.no_beta->message;
  const Beta& beta = plan.betas.front();
  ExpectFinishesOnTop(r, body, beta);
  const auto hands = HandMoves(beta);
  ASSERT_GE(hands.size(), 4u) << Describe(r, beta);
  // Every hand move goes up. Hand over hand: from the first hand move that passes the other
  // hand on another rung (the hands have left the matched start) until a hand reaches the top,
  // the hands alternate and each hand move goes past the other hand.
  const auto passes = [&](const BetaMove& m) {
    const Limb other = m.limb == Limb::kLeftHand ? Limb::kRightHand : Limb::kLeftHand;
    const BetaState& before = beta.states[static_cast<std::size_t>(&m - beta.moves.data())];
    const std::size_t other_hold = before.contacts[Index(other)].hold;
    return other_hold != m.from.hold && r.holds[m.to.hold].centre.y > r.holds[other_hold].centre.y;
  };
  std::optional<std::size_t> first_pass;
  std::size_t checked = 0;
  for (std::size_t i = 0; i < hands.size(); ++i) {
    const BetaMove& m = *hands[i];
    EXPECT_GT(r.holds[m.to.hold].centre.y, r.holds[m.from.hold].centre.y) << Describe(r, beta);
    if (r.holds[m.to.hold].role == HoldRole::kTop) break;
    if (!first_pass) {
      if (passes(m)) first_pass = i;
      continue;
    }
    EXPECT_NE(m.limb, hands[i - 1]->limb) << Describe(r, beta);
    EXPECT_TRUE(passes(m)) << Describe(r, beta);
    ++checked;
  }
  EXPECT_GE(checked, 2u) << Describe(r, beta);
  // The feet climb too, and no hand move is longer than three rungs.
  int foot_moves = 0;
  for (const BetaMove& m : beta.moves) {
    if (!IsHand(m.limb)) ++foot_moves;
    if (IsHand(m.limb)) {
      EXPECT_LE(m.distance, 1.36) << Describe(r, beta);
    }
  }
  EXPECT_GE(foot_moves, 4) << Describe(r, beta);
  EXPECT_EQ(plan.stats.suboptimality_bound, 1.0);  // small route: solved optimally
}

TEST(Planner, GapSpannedByTallClimberNeedsTheCrimpForAShorterOne) {
  const Route r = testing::GapTraverse();
  const std::size_t a = *FindHold(r, "A"), i = *FindHold(r, "I"), b = *FindHold(r, "B");
  const auto uses = [&](const Beta& beta, std::size_t hold) {
    return std::any_of(beta.moves.begin(), beta.moves.end(), [&](const BetaMove& m) {
      return IsHand(m.limb) && m.to.kind == Contact::Kind::kHold && m.to.hold == hold;
    });
  };
  const auto first_hand_target = [](const Beta& beta) -> std::optional<std::size_t> {
    for (const BetaMove& m : beta.moves) {
      if (IsHand(m.limb)) return m.to.hold;
    }
    return std::nullopt;
  };
  // The tall climber spans A → B with both hands on A; the crimp is not needed.
  const Plan tall = MustPlan(r, Body(190));
  ASSERT_FALSE(tall.no_beta) << tall.no_beta->message;
  const Beta& tb = tall.betas.front();
  EXPECT_EQ(first_hand_target(tb), b) << Describe(r, tb);
  EXPECT_FALSE(uses(tb, i)) << Describe(r, tb);
  ExpectFinishesOnTop(r, Body(190), tb);
  // The 160 cm climber cannot: a hand goes to the crimp first (then the other hand may fly on
  // to B, the body having moved).
  const Plan mid = MustPlan(r, Body(160));
  ASSERT_FALSE(mid.no_beta) << mid.no_beta->message;
  const Beta& mb = mid.betas.front();
  EXPECT_EQ(first_hand_target(mb), i) << Describe(r, mb);
  ExpectFinishesOnTop(r, Body(160), mb);
  EXPECT_NE(Describe(r, tb), Describe(r, mb));
  // Both hands on A, a hand on B is beyond a 160 cm body: the planner's own cost check says so.
  const int ia = static_cast<int>(a), ib = static_cast<int>(b);
  const BetaState& start = mb.states.front();
  const int lf = static_cast<int>(start.contacts[2].hold),
            rf = static_cast<int>(start.contacts[3].hold);
  EXPECT_EQ(ScoreBeta(r, Body(160), {{ia, ia, lf, rf}, {ia, ib, lf, rf}}).status().kind(),
            ErrorKind::kFailedPrecondition);
  EXPECT_TRUE(ScoreBeta(r, Body(190), {{ia, ia, lf, rf}, {ia, ib, lf, rf}}).ok());

  const Plan small = MustPlan(r, Body(140));
  ASSERT_TRUE(small.no_beta);
  EXPECT_TRUE(small.betas.empty());
  EXPECT_EQ(small.no_beta->code, "gap_beyond_reach") << small.no_beta->message;
  ASSERT_TRUE(small.no_beta->from_hold && small.no_beta->to_hold);
  EXPECT_EQ(*small.no_beta->from_hold, a);
  EXPECT_EQ(*small.no_beta->to_hold, i);
  // A 140 cm span is about 1.43 m; A → I is 1.5 m: about 7 cm short, more with the body's
  // other constraints.
  EXPECT_GT(small.no_beta->beyond_reach, 0.03);
  EXPECT_LT(small.no_beta->beyond_reach, 0.30);
  EXPECT_NE(small.no_beta->message.find("hold A to hold I"), std::string::npos);
}

TEST(Planner, AbsentLeftArmClimbsOneArmed) {
  const Route r = testing::JugLadder();
  const BodyModel body = Body(175, {LimbCondition::kAbsent});
  const Plan plan = MustPlan(r, body);
  ASSERT_FALSE(plan.no_beta) << plan.no_beta->message;
  const Beta& beta = plan.betas.front();
  for (const BetaState& s : beta.states) {
    EXPECT_EQ(s.contacts[Index(Limb::kLeftHand)].kind, Contact::Kind::kNone);
  }
  for (const BetaMove& m : beta.moves) EXPECT_NE(m.limb, Limb::kLeftHand);
  ExpectFinishesOnTop(r, body, beta);
  EXPECT_FALSE(HandMoves(beta).empty());
}

TEST(Planner, FeetMoveBeforeTheHandCanReach) {
  const Route r = testing::HighStep();
  const BodyModel body = Body(175);
  const Plan plan = MustPlan(r, body);
  ASSERT_FALSE(plan.no_beta) << plan.no_beta->message;
  const Beta& beta = plan.betas.front();
  // From the start position the next jug is out of reach of either hand...
  const BetaState& start = beta.states.front();
  EXPECT_EQ(r.holds[start.contacts[Index(Limb::kLeftFoot)].hold].id, "fl");
  EXPECT_EQ(r.holds[start.contacts[Index(Limb::kRightFoot)].hold].id, "fr");
  LimbEnds ends;
  for (Limb limb : kLimbs) ends[Index(limb)] = start.contacts[Index(limb)].point;
  for (Limb hand : {Limb::kLeftHand, Limb::kRightHand}) {
    const auto gap = ReachShortfall(body, ends, SupportRule::kVertical, hand,
                                    r.holds[*FindHold(r, "next")].centre);
    ASSERT_TRUE(gap);
    EXPECT_GT(*gap, 0.05);
  }
  // ... so the beta moves a foot first.
  ASSERT_FALSE(beta.moves.empty());
  EXPECT_FALSE(IsHand(beta.moves.front().limb)) << Describe(r, beta);
  ExpectFinishesOnTop(r, body, beta);
}

TEST(Planner, InjuredLegIsSpared) {
  const Route r = testing::JugLadder();
  const Plan healthy = MustPlan(r, Body(175));
  const Plan injured =
      MustPlan(r, Body(175, {std::nullopt, std::nullopt, std::nullopt, LimbCondition::kInjured}));
  ASSERT_FALSE(healthy.no_beta);
  ASSERT_FALSE(injured.no_beta);
  const auto count = [](const Beta& b, Limb limb) {
    return std::count_if(b.moves.begin(), b.moves.end(),
                         [&](const BetaMove& m) { return m.limb == limb; });
  };
  const Beta& hb = healthy.betas.front();
  const Beta& ib = injured.betas.front();
  EXPECT_LT(count(ib, Limb::kRightFoot), count(hb, Limb::kRightFoot)) << Describe(r, hb) << "\n"
                                                                      << Describe(r, ib);
  EXPECT_GT(ib.cost, hb.cost);
}

TEST(Planner, AlternativesPlaceTheHandsDifferently) {
  const Route r = testing::JugLadder();
  const Plan plan = MustPlan(r, Body(175));
  ASSERT_EQ(plan.betas.size(), 3u);
  const auto hand_sequence = [](const Beta& b) {
    std::vector<std::pair<int, std::size_t>> s;
    for (const BetaMove& m : b.moves) {
      if (IsHand(m.limb)) s.push_back({Index(m.limb), m.to.hold});
    }
    return s;
  };
  EXPECT_NE(hand_sequence(plan.betas[0]), hand_sequence(plan.betas[1]));
  EXPECT_NE(hand_sequence(plan.betas[0]), hand_sequence(plan.betas[2]));
  EXPECT_NE(hand_sequence(plan.betas[1]), hand_sequence(plan.betas[2]));
  EXPECT_LE(plan.betas[0].cost, plan.betas[1].cost);
  EXPECT_LE(plan.betas[1].cost, plan.betas[2].cost);
  PlanOptions none;
  none.alternatives = 0;
  EXPECT_EQ(MustPlan(r, Body(175), none).betas.size(), 1u);
}

TEST(Planner, UsesOnlySelectedHoldsAndRespectsRoles) {
  Route r = testing::JugLadder();
  // Rung 6 deselected, rung 5 for feet only, rung 7 for hands only.
  r.holds[*FindHold(r, "r6")].selected = false;
  r.holds[*FindHold(r, "r5")].role = HoldRole::kFoot;
  r.holds[*FindHold(r, "r7")].role = HoldRole::kHand;
  const BodyModel body = Body(180);
  const Plan plan = MustPlan(r, body);
  ASSERT_FALSE(plan.no_beta) << plan.no_beta->message;
  for (const Beta& beta : plan.betas) {
    for (const BetaState& s : beta.states) {
      for (Limb limb : kLimbs) {
        const Contact& c = s.contacts[Index(limb)];
        if (c.kind != Contact::Kind::kHold) continue;
        const Hold& h = r.holds[c.hold];
        EXPECT_TRUE(h.selected) << h.id;
        if (IsHand(limb)) {
          EXPECT_NE(h.role, HoldRole::kFoot) << h.id;
        } else {
          EXPECT_NE(h.role, HoldRole::kHand) << h.id;
          EXPECT_NE(h.role, HoldRole::kTop) << h.id;
        }
      }
    }
  }
}

TEST(Planner, MissingStartOrTopIsNamed) {
  Route r = testing::JugLadder();
  for (Hold& h : r.holds) {
    if (h.role == HoldRole::kTop) h.role = HoldRole::kNone;
  }
  Plan plan = MustPlan(r, Body(175));
  ASSERT_TRUE(plan.no_beta);
  EXPECT_EQ(plan.no_beta->code, "no_top_hold");
  r = testing::JugLadder();
  for (Hold& h : r.holds) {
    if (h.role == HoldRole::kStart) h.selected = false;
  }
  plan = MustPlan(r, Body(175));
  ASSERT_TRUE(plan.no_beta);
  EXPECT_EQ(plan.no_beta->code, "no_start_hold");
}

TEST(Planner, StartHoldsTooFarApart) {
  Route r;
  r.holds.push_back(testing::MakeHold("s1", 0, 1.6, SizeClass::kLarge, HoldRole::kStart));
  r.holds.push_back(testing::MakeHold("s2", 2.5, 1.7, SizeClass::kLarge, HoldRole::kStart));
  r.holds.push_back(testing::MakeHold("t", 1.2, 2.5, SizeClass::kLarge, HoldRole::kTop));
  r.holds.push_back(testing::MakeHold("f", 1.2, 0.5, SizeClass::kLarge, HoldRole::kFoot));
  r.view = ViewAroundHolds(r.holds);
  const Plan plan = MustPlan(r, Body(170));
  ASSERT_TRUE(plan.no_beta);
  EXPECT_EQ(plan.no_beta->code, "start_out_of_reach") << plan.no_beta->message;
  EXPECT_GT(plan.no_beta->beyond_reach, 0.5);
}

TEST(Planner, InvalidRouteIsAnError) {
  Route r = testing::JugLadder();
  r.holds[1].id = r.holds[0].id;
  EXPECT_EQ(PlanBeta(r, Body(175)).status().kind(), ErrorKind::kInvalidArgument);
  r = testing::JugLadder();
  r.holds[2].radius = 0;
  EXPECT_EQ(PlanBeta(r, Body(175)).status().kind(), ErrorKind::kInvalidArgument);
}

TEST(Planner, SixtyHoldWallWithinTheWorkBudget) {
  const Route r = testing::RandomWall(60, 7);
  ASSERT_EQ(r.holds.size(), 60u);
  const Plan plan = MustPlan(r, Body(175));
  ASSERT_FALSE(plan.no_beta) << plan.no_beta->message;
  EXPECT_GE(plan.betas.size(), 2u);
  ExpectFinishesOnTop(r, Body(175), plan.betas.front());
  // The budget is counted, so the work is bounded whatever the machine's load.
  EXPECT_LE(plan.stats.edges_evaluated + plan.stats.stances_solved,
            PlanOptions{}.solve_budget + 2000);
  EXPECT_GE(plan.stats.suboptimality_bound, 1.0);
  EXPECT_LE(plan.stats.suboptimality_bound, 2.0);
}

TEST(Planner, DeterministicForTheSameInput) {
  const Route r = testing::RandomWall(40, 3);
  const Plan a = MustPlan(r, Body(168));
  const Plan b = MustPlan(r, Body(168));
  ASSERT_EQ(a.betas.size(), b.betas.size());
  for (std::size_t i = 0; i < a.betas.size(); ++i) {
    EXPECT_EQ(Describe(r, a.betas[i]), Describe(r, b.betas[i]));
    EXPECT_DOUBLE_EQ(a.betas[i].cost, b.betas[i].cost);
  }
}

}  // namespace
}  // namespace ascension::ghost
