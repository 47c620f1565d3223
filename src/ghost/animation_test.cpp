#include "ghost/animation.hpp"

#include <gtest/gtest.h>

#include "coaching/geometry.hpp"
#include "ghost/synthetic_routes.hpp"

namespace ascension::ghost {
namespace {

using domain::LandmarkIndex;

struct Case {
  const char* name;
  Route route;
  double height_cm;
  LimbConditions limbs{};
};

std::vector<Case> Cases() {
  return {
      {"ladder", testing::JugLadder(), 175, {}},
      {"gap_190", testing::GapTraverse(), 190, {}},
      {"gap_160", testing::GapTraverse(), 160, {}},
      {"high_step", testing::HighStep(), 175, {}},
      {"one_arm", testing::JugLadder(), 175, {LimbCondition::kAbsent}},
      {"injured_leg",
       testing::JugLadder(),
       170,
       {std::nullopt, std::nullopt, LimbCondition::kInjured}},
      {"wall_40", testing::RandomWall(40, 11), 180, {}},
  };
}

struct Played {
  BodyModel body;
  Beta beta;
  Ghost ghost;
};

Played Play(const Case& c) {
  ClimberProfile p;
  p.height_cm = c.height_cm;
  p.limbs = c.limbs;
  Played out{*MakeBodyModel(p), {}, {}};
  auto plan = PlanBeta(c.route, out.body);
  EXPECT_TRUE(plan.ok() && !plan->no_beta) << c.name;
  if (!plan.ok() || plan->no_beta) return out;
  out.beta = plan->betas.front();
  auto ghost = AnimateBeta(out.body, out.beta);
  EXPECT_TRUE(ghost.ok()) << c.name << ": " << ghost.status().ToString();
  if (ghost.ok()) out.ghost = std::move(*ghost);
  return out;
}

// Segment lengths measured on every frame stay within 1 % of the body model's.
TEST(Ghost, SegmentLengthsAreConstant) {
  for (const Case& c : Cases()) {
    const Played p = Play(c);
    ASSERT_FALSE(p.ghost.frames.empty()) << c.name;
    const BodyModel& b = p.body;
    struct Segment {
      int a, z;
      double length;
    };
    const std::vector<Segment> segments = {{11, 12, b.shoulder_width}, {23, 24, b.hip_width},
                                           {11, 13, b.upper_arm},      {13, 15, b.forearm},
                                           {12, 14, b.upper_arm},      {14, 16, b.forearm},
                                           {23, 25, b.thigh},          {25, 27, b.leg},
                                           {24, 26, b.thigh},          {26, 28, b.leg},
                                           {27, 31, b.ankle_height},   {28, 32, b.ankle_height}};
    for (const GhostFrame& f : p.ghost.frames) {
      const Skeleton& s = f.skeleton;
      for (const Segment& seg : segments) {
        if (!s.present[seg.a] || !s.present[seg.z]) continue;
        const double len = Length(s.points[seg.a] - s.points[seg.z]);
        EXPECT_NEAR(len, seg.length, 0.01 * seg.length)
            << c.name << " segment " << seg.a << "-" << seg.z << " at " << f.timestamp_ms;
      }
      const Vec2 sh = 0.5 * (s.points[11] + s.points[12]);
      const Vec2 hip = 0.5 * (s.points[23] + s.points[24]);
      EXPECT_NEAR(Length(sh - hip), b.trunk, 0.01 * b.trunk) << c.name;
    }
  }
}

// Every limb that holds is on its hold (within the hold's radius) in every frame: the grip
// (landmarks 19/20) for a hand, the toe (31/32) for a foot; an absent limb never holds.
TEST(Ghost, EveryContactIsOnItsHold) {
  static constexpr int kEnd[] = {19, 20, 31, 32};
  for (const Case& c : Cases()) {
    const Played p = Play(c);
    ASSERT_FALSE(p.ghost.frames.empty()) << c.name;
    for (const GhostFrame& f : p.ghost.frames) {
      // The state the frame belongs to: before the move under way (or the last one done).
      std::size_t state = 0;
      while (state + 1 < p.ghost.state_ms.size() &&
             f.timestamp_ms >= p.ghost.state_ms[state + 1] - 1) {
        ++state;
      }
      if (f.move) state = *f.move;
      for (Limb limb : kLimbs) {
        const int l = Index(limb);
        if (!p.body.Available(limb)) {
          EXPECT_FALSE(f.placed[l]);
          continue;
        }
        if (!f.placed[l]) continue;
        // A limb placed during a move that has landed is on the next state's contact.
        const bool landed = f.move && p.beta.moves[*f.move].limb == limb &&
                            f.timestamp_ms >= p.ghost.moves[*f.move].end_ms;
        const Contact& contact = p.beta.states[landed ? state + 1 : state].contacts[l];
        ASSERT_NE(contact.kind, Contact::Kind::kNone) << c.name;
        const Vec2 end = f.skeleton.points[kEnd[l]];
        if (contact.kind == Contact::Kind::kHold) {
          const Hold& h = c.route.holds[contact.hold];
          EXPECT_LE(Length(end - h.centre), h.radius + 1e-6)
              << c.name << " " << LimbName(limb) << " off hold " << h.id << " at "
              << f.timestamp_ms;
        } else {
          EXPECT_LE(Length(end - contact.point), 1e-6) << c.name << " smear";
        }
      }
    }
  }
}

// At each state the centre of mass lies within the support polygon (the convex hull of the
// contacts, with the coaching's half-foot margin).
TEST(Ghost, CentreOfMassOverTheSupportAtEachState) {
  for (const Case& c : Cases()) {
    const Played p = Play(c);
    ASSERT_EQ(p.ghost.state_poses.size(), p.beta.states.size()) << c.name;
    for (std::size_t i = 0; i < p.beta.states.size(); ++i) {
      LimbEnds ends;
      std::vector<coaching::geometry::Vec2> contacts;
      for (Limb limb : kLimbs) {
        const Contact& k = p.beta.states[i].contacts[Index(limb)];
        if (k.kind == Contact::Kind::kNone) continue;
        ends[Index(limb)] = k.point;
        contacts.push_back(k.point);
      }
      const Skeleton s = PoseBody(p.body, p.ghost.state_poses[i], ends);
      const double d =
          coaching::geometry::DistanceToHull(s.com, coaching::geometry::ConvexHull(contacts));
      EXPECT_LE(d, p.body.support_margin + 1e-9) << c.name << " state " << i;
      // And the frame at which the state is settled shows that pose.
      const auto it =
          std::find_if(p.ghost.frames.begin(), p.ghost.frames.end(),
                       [&](const GhostFrame& f) { return f.timestamp_ms >= p.ghost.state_ms[i]; });
      ASSERT_NE(it, p.ghost.frames.end());
      EXPECT_LE(Length(it->skeleton.com - s.com), 0.02) << c.name << " state " << i;
    }
  }
}

TEST(Ghost, MovesCarryLimbHoldsAndAPlausiblePace) {
  for (const Case& c : Cases()) {
    const Played p = Play(c);
    ASSERT_EQ(p.ghost.moves.size(), p.beta.moves.size()) << c.name;
    std::int64_t previous_end = 0;
    for (std::size_t i = 0; i < p.ghost.moves.size(); ++i) {
      const GhostMove& m = p.ghost.moves[i];
      EXPECT_EQ(m.limb, p.beta.moves[i].limb);
      EXPECT_EQ(m.to.hold, p.beta.moves[i].to.hold);
      EXPECT_LT(m.start_ms, m.end_ms);
      EXPECT_GE(m.start_ms, previous_end) << c.name;
      previous_end = m.end_ms;
      // A move of the limb lasts 0.4–3 s: neither a teleport nor a crawl.
      EXPECT_GE(m.end_ms - m.start_ms, 400) << c.name;
      EXPECT_LE(m.end_ms - m.start_ms, 3000) << c.name;
    }
    for (std::size_t k = 1; k < p.ghost.frames.size(); ++k) {
      EXPECT_GT(p.ghost.frames[k].timestamp_ms, p.ghost.frames[k - 1].timestamp_ms);
    }
    EXPECT_NEAR(p.ghost.frames.back().timestamp_ms, p.ghost.duration_ms, 40);
  }
}

// The moving limb leaves its hold and lands on the next: its end travels (no jump) from one to
// the other.
TEST(Ghost, MovingLimbTravelsWithoutJumps) {
  static constexpr int kEnd[] = {19, 20, 31, 32};
  const Case c{"ladder", testing::JugLadder(), 175, {}};
  const Played p = Play(c);
  for (std::size_t k = 1; k < p.ghost.frames.size(); ++k) {
    for (int l = 0; l < kLimbCount; ++l) {
      const double step = Length(p.ghost.frames[k].skeleton.points[kEnd[l]] -
                                 p.ghost.frames[k - 1].skeleton.points[kEnd[l]]);
      EXPECT_LT(step, 0.15) << "limb " << l << " at " << p.ghost.frames[k].timestamp_ms;
    }
  }
}

TEST(Ghost, RejectsBadInput) {
  ClimberProfile profile;
  const BodyModel body = *MakeBodyModel(profile);
  EXPECT_EQ(AnimateBeta(body, Beta{}).status().kind(), ErrorKind::kInvalidArgument);
  auto plan = PlanBeta(testing::JugLadder(), body);
  ASSERT_TRUE(plan.ok() && !plan->betas.empty());
  Pace pace;
  pace.fps = 0;
  EXPECT_EQ(AnimateBeta(body, plan->betas[0], pace).status().kind(), ErrorKind::kInvalidArgument);
  Beta broken = plan->betas[0];
  broken.states.pop_back();
  EXPECT_EQ(AnimateBeta(body, broken).status().kind(), ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace ascension::ghost
