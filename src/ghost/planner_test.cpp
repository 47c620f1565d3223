#include "ghost/planner.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "ghost/synthetic_routes.hpp"

namespace ascension::ghost {
namespace {

BodyModel Body(double height_cm, LimbCondition left_arm = LimbCondition::kHealthy) {
  ClimberProfile p;
  p.height_cm = height_cm;
  p.limbs[Index(Limb::kLeftHand)] = left_arm;
  auto b = MakeBodyModel(p);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return *b;
}

std::string Describe(const Route& r, const Beta& b) {
  std::string s;
  for (const BetaMove& m : b.moves) {
    s += std::string(LimbName(m.limb)) + ":";
    s += m.from.kind == Contact::Kind::kHold ? r.holds[m.from.hold].id : "smear";
    s += "->";
    s += m.to.kind == Contact::Kind::kHold ? r.holds[m.to.hold].id : "smear";
    s += " ";
  }
  return s;
}

TEST(Planner, JugLadder) {
  const Route r = testing::JugLadder();
  auto plan = PlanBeta(r, Body(175));
  ASSERT_TRUE(plan.ok());
  ASSERT_FALSE(plan->no_beta) << plan->no_beta->message;
  ASSERT_FALSE(plan->betas.empty());
  std::printf("%s cost %.2f expanded %zu edges %zu stances %zu\n",
              Describe(r, plan->betas[0]).c_str(), plan->betas[0].cost, plan->stats.expanded,
              plan->stats.edges_evaluated, plan->stats.stances_solved);
}

TEST(Planner, Gap) {
  const Route r = testing::GapTraverse();
  for (double h : {190.0, 160.0, 140.0}) {
    auto plan = PlanBeta(r, Body(h));
    ASSERT_TRUE(plan.ok());
    if (plan->no_beta) {
      std::printf("%.0f: no beta: %s\n", h, plan->no_beta->message.c_str());
    } else {
      std::printf("%.0f: %s cost %.2f expanded %zu\n", h, Describe(r, plan->betas[0]).c_str(),
                  plan->betas[0].cost, plan->stats.expanded);
    }
  }
}

TEST(Planner, HighStep) {
  const Route r = testing::HighStep();
  auto plan = PlanBeta(r, Body(175));
  ASSERT_TRUE(plan.ok());
  ASSERT_FALSE(plan->no_beta) << plan->no_beta->message;
  std::printf("%s\n", Describe(r, plan->betas[0]).c_str());
}

TEST(Planner, OneArm) {
  const Route r = testing::JugLadder();
  auto plan = PlanBeta(r, Body(175, LimbCondition::kAbsent));
  ASSERT_TRUE(plan.ok());
  if (plan->no_beta) {
    std::printf("no beta: %s\n", plan->no_beta->message.c_str());
  } else {
    std::printf("%s\n", Describe(r, plan->betas[0]).c_str());
  }
}

TEST(Planner, Random60) {
  const Route r = testing::RandomWall(60, 7);
  PlanOptions o;
  if (const char* e = std::getenv("BUDGET")) o.solve_budget = std::atol(e);
  auto plan = PlanBeta(r, Body(175), o);
  ASSERT_TRUE(plan.ok());
  if (plan->no_beta) {
    std::printf("no beta: %s\n", plan->no_beta->message.c_str());
  } else {
    std::printf("%s\n", Describe(r, plan->betas[0]).c_str());
  }
  std::printf("expanded %zu edges %zu stances %zu betas %zu\n", plan->stats.expanded,
              plan->stats.edges_evaluated, plan->stats.stances_solved, plan->betas.size());
  for (const Beta& b : plan->betas) std::printf("cost %.2f moves %zu\n", b.cost, b.moves.size());
  std::printf("bound %.2f\n", plan->stats.suboptimality_bound);
}

}  // namespace
}  // namespace ascension::ghost
