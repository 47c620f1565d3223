#include "ghost/comparison.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <tuple>

#include "ghost/ghost_advice.hpp"
#include "ghost/synthetic_routes.hpp"

namespace ascension::ghost {
namespace {

struct Fixture {
  Route route = testing::JugLadder(12);
  BodyModel body;
  Beta beta;
  Ghost ghost;

  Fixture() {
    ClimberProfile p;
    p.height_cm = 175;
    body = *MakeBodyModel(p);
    beta = PlanBeta(route, body)->betas.front();
    ghost = *AnimateBeta(body, beta);
  }

  // The ghost's own climb: per limb, a placement on each hold from landing to leaving.
  ClimbRecord Climb() const {
    ClimbRecord c;
    for (Limb limb : kLimbs) {
      const Contact& first = beta.states.front().contacts[Index(limb)];
      if (first.kind != Contact::Kind::kHold) continue;
      std::size_t hold = first.hold;
      std::int64_t since = 0;
      for (const GhostMove& m : ghost.moves) {
        if (m.limb != limb) continue;
        c.placements.push_back({route.holds[hold].id, limb, since, m.start_ms});
        hold = m.to.hold;
        since = m.end_ms;
      }
      c.placements.push_back({route.holds[hold].id, limb, since, ghost.duration_ms});
    }
    for (const GhostFrame& f : ghost.frames) c.com.push_back({f.timestamp_ms, f.skeleton.com});
    return c;
  }

  // Index of the first ghost move of a limb kind after `after`.
  std::size_t MoveOf(bool hand, std::size_t after = 2) const {
    for (std::size_t i = after; i < ghost.moves.size(); ++i) {
      if (IsHand(ghost.moves[i].limb) == hand) return i;
    }
    return ghost.moves.size();
  }

  // The placement that starts when ghost move k lands.
  RealPlacement* LandingOf(ClimbRecord* c, std::size_t k) const {
    const GhostMove& m = ghost.moves[k];
    for (RealPlacement& p : c->placements) {
      if (p.limb == m.limb && p.from_ms == m.end_ms) return &p;
    }
    return nullptr;
  }

  Comparison Compare(const ClimbRecord& c) const {
    auto r = CompareClimb(route, ghost, body, c);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Comparison{};
  }
};

std::vector<const AlignedMove*> Deviations(const Comparison& c) {
  std::vector<const AlignedMove*> out;
  for (const AlignedMove& a : c.moves) {
    if (a.kind != AlignmentKind::kSameHold) out.push_back(&a);
  }
  return out;
}

TEST(Comparison, TheGhostItselfHasNoDeviation) {
  const Fixture f;
  const Comparison c = f.Compare(f.Climb());
  EXPECT_EQ(c.same_hold, static_cast<int>(f.ghost.moves.size()));
  EXPECT_TRUE(Deviations(c).empty());
  for (const AlignedMove& a : c.moves) {
    EXPECT_FALSE(a.reordered);
    ASSERT_TRUE(a.com_distance && a.time_delta_ms);
    EXPECT_LT(*a.com_distance, 0.005);  // frames sampled at 30 fps
    EXPECT_EQ(*a.time_delta_ms, 0);
  }
  // In sync: the ghost plays at the video's own time.
  for (std::int64_t t = 0; t < f.ghost.duration_ms; t += 250) {
    EXPECT_NEAR(GhostTimeAt(c, t), t, 80) << t;
  }
  EXPECT_TRUE(GhostAdvice(f.route, f.ghost, c, "en").empty());
}

TEST(Comparison, FindsExactlyTheChangedHold) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  const std::size_t k = f.MoveOf(true, 3);
  ASSERT_LT(k, f.ghost.moves.size());
  RealPlacement* landing = f.LandingOf(&climb, k);
  ASSERT_NE(landing, nullptr);
  // Another rung, one below the ghost's (not the other hand's).
  const std::size_t ghost_hold = f.ghost.moves[k].to.hold;
  const std::string other = f.route.holds[ghost_hold - 1].id;
  landing->hold_id = other;
  const Comparison c = f.Compare(climb);
  const auto dev = Deviations(c);
  ASSERT_EQ(dev.size(), 1u);
  EXPECT_EQ(dev[0]->kind, AlignmentKind::kOtherHold);
  EXPECT_EQ(dev[0]->ghost_move, k);
  EXPECT_NEAR(dev[0]->hold_distance, 0.45, 1e-9);
  EXPECT_EQ(c.other_hold, 1);
  EXPECT_EQ(c.skipped + c.extra, 0);
  const auto advice = GhostAdvice(f.route, f.ghost, c, "en");
  ASSERT_FALSE(advice.empty());
  EXPECT_EQ(advice[0].id, "ghost_other_hold");
  EXPECT_EQ(advice[0].timestamp_ms, f.ghost.moves[k].end_ms);
  EXPECT_EQ(advice[0].priority, 1);
  // The holds by number (index + 1), not by id: the climber's rung, then the ghost's.
  EXPECT_NE(advice[0].points[0].find("hold " + std::to_string(ghost_hold) + ";"), std::string::npos)
      << advice[0].points[0];
  EXPECT_NE(advice[0].points[0].find("the ghost takes hold " + std::to_string(ghost_hold + 1)),
            std::string::npos)
      << advice[0].points[0];
  EXPECT_EQ(advice[0].points[0].find(other), std::string::npos) << advice[0].points[0];
  EXPECT_NE(advice[0].points[0].find(coaching::FormatTimecode(f.ghost.moves[k].end_ms)),
            std::string::npos);
  ASSERT_EQ(advice[0].evidence.size(), 1u);
  EXPECT_EQ(advice[0].evidence[0].measure, "hold_distance_cm");
  EXPECT_NEAR(advice[0].evidence[0].value, 45, 0.05);
}

TEST(GhostAdvice, NamesHoldsByTheirNumberInTheRoutesOrder) {
  // Holds with ids as the Routes API gives them (UUIDs), in the route's order (as GET
  // /v1/routes/{id} lists them): the advice says "hold 3" for the third, in both languages and
  // in the hints' Markdown, and never the id.
  Fixture f;
  for (std::size_t i = 0; i < f.route.holds.size(); ++i) {
    const std::string n = std::to_string(i);
    f.route.holds[i].id = "f7ba1fbf-0000-4000-8000-" + std::string(12 - n.size(), '0') + n;
  }
  ClimbRecord climb = f.Climb();
  // The first hand move lands on the third hold (index 2) instead of the ghost's.
  const std::size_t k = f.MoveOf(true, 0);
  ASSERT_LT(k, f.ghost.moves.size());
  const std::size_t ghost_hold = f.ghost.moves[k].to.hold;
  ASSERT_NE(ghost_hold, 2u);
  RealPlacement* landing = f.LandingOf(&climb, k);
  ASSERT_NE(landing, nullptr);
  landing->hold_id = f.route.holds[2].id;
  const Comparison c = f.Compare(climb);
  ASSERT_EQ(c.other_hold, 1);
  const std::string ghost_number = std::to_string(ghost_hold + 1);
  for (const auto& [lang, hold, ghost] :
       {std::tuple{"en", "went to hold 3;", "the ghost takes hold " + ghost_number},
        std::tuple{"fr", "sur la prise 3 ;", "le fantôme prend la prise " + ghost_number}}) {
    const auto advice = GhostAdvice(f.route, f.ghost, c, lang);
    ASSERT_FALSE(advice.empty()) << lang;
    ASSERT_EQ(advice[0].id, "ghost_other_hold");
    const std::string& text = advice[0].points[0];
    EXPECT_NE(text.find(hold), std::string::npos) << text;
    EXPECT_NE(text.find(ghost), std::string::npos) << text;
    const std::string markdown = coaching::HintsMarkdown(advice);
    EXPECT_NE(markdown.find(hold), std::string::npos) << markdown;
    EXPECT_EQ(markdown.find("f7ba1fbf"), std::string::npos) << markdown;
  }
}

TEST(Comparison, FindsExactlyTheSkippedMove) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  const std::size_t k = f.MoveOf(false, 2);
  ASSERT_LT(k, f.ghost.moves.size());
  const GhostMove& m = f.ghost.moves[k];
  // The foot stays on its hold: its placement before the move runs on to the next move.
  RealPlacement* landing = f.LandingOf(&climb, k);
  ASSERT_NE(landing, nullptr);
  auto before = std::find_if(
      climb.placements.begin(), climb.placements.end(),
      [&](const RealPlacement& p) { return p.limb == m.limb && p.to_ms == m.start_ms; });
  ASSERT_NE(before, climb.placements.end());
  before->to_ms = landing->to_ms;
  climb.placements.erase(climb.placements.begin() + (landing - climb.placements.data()));
  const Comparison c = f.Compare(climb);
  const auto dev = Deviations(c);
  ASSERT_EQ(dev.size(), 1u);
  EXPECT_EQ(dev[0]->kind, AlignmentKind::kSkippedMove);
  EXPECT_EQ(dev[0]->ghost_move, k);
  EXPECT_EQ(c.skipped, 1);
}

TEST(Comparison, FindsExactlyTheExtraMove) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  const std::size_t k = f.MoveOf(true, 3);
  const GhostMove& m = f.ghost.moves[k];
  // On the way, the hand stops 400 ms on the rung below its target.
  RealPlacement* landing = f.LandingOf(&climb, k);
  ASSERT_NE(landing, nullptr);
  const std::int64_t mid = (m.start_ms + m.end_ms) / 2;
  climb.placements.push_back({f.route.holds[m.to.hold - 1].id, m.limb, mid - 200, mid + 200});
  const Comparison c = f.Compare(climb);
  const auto dev = Deviations(c);
  ASSERT_EQ(dev.size(), 1u);
  EXPECT_EQ(dev[0]->kind, AlignmentKind::kExtraMove);
  EXPECT_FALSE(dev[0]->ghost_move);
  EXPECT_EQ(c.extra, 1);
  EXPECT_EQ(c.same_hold, static_cast<int>(f.ghost.moves.size()));
  const auto advice = GhostAdvice(f.route, f.ghost, c, "fr");
  ASSERT_FALSE(advice.empty());
  EXPECT_EQ(advice[0].id, "ghost_extra_move");
  EXPECT_EQ(advice[0].language, coaching::Language::kFrench);
}

TEST(Comparison, ASlowMoveIsTimedAndTheGhostWaitsForIt) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  const std::size_t k = f.MoveOf(true, 3);
  const GhostMove& m = f.ghost.moves[k];
  constexpr std::int64_t kDelay = 3000;
  // The climber hesitates 3 s in this move: it lands 3 s later and everything after shifts.
  for (RealPlacement& p : climb.placements) {
    if (p.from_ms >= m.end_ms) p.from_ms += kDelay;
    if (p.to_ms > m.start_ms) p.to_ms += kDelay;
  }
  for (RealComSample& s : climb.com) {
    if (s.timestamp_ms >= m.end_ms) s.timestamp_ms += kDelay;
  }
  const Comparison c = f.Compare(climb);
  EXPECT_TRUE(Deviations(c).empty());
  for (const AlignedMove& a : c.moves) {
    ASSERT_TRUE(a.time_delta_ms);
    EXPECT_EQ(*a.time_delta_ms, a.ghost_move == k ? kDelay : 0);
  }
  // Before the move the ghost plays in step; after it, 3 s behind the video.
  EXPECT_NEAR(GhostTimeAt(c, m.start_ms - 500), m.start_ms - 500, 150);
  const std::int64_t after = m.end_ms + kDelay + 1500;
  EXPECT_NEAR(GhostTimeAt(c, after), after - kDelay, 150);
  const auto advice = GhostAdvice(f.route, f.ghost, c, "en");
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].id, "ghost_slow_move");
  EXPECT_EQ(advice[0].timestamp_ms, m.start_ms);
}

TEST(Comparison, CentreOfMassAwayFromTheGhost) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  const std::size_t k = f.MoveOf(true, 3);
  const GhostMove& m = f.ghost.moves[k];
  for (RealComSample& s : climb.com) {
    if (std::abs(s.timestamp_ms - m.end_ms) <= 300) s.com.x += 0.30;
  }
  const Comparison c = f.Compare(climb);
  EXPECT_TRUE(Deviations(c).empty());
  for (const AlignedMove& a : c.moves) {
    ASSERT_TRUE(a.com_distance);
    EXPECT_NEAR(*a.com_distance, a.ghost_move == k ? 0.30 : 0.0, 0.005);
  }
  const auto advice = GhostAdvice(f.route, f.ghost, c, "en");
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_EQ(advice[0].id, "ghost_com_far");
  EXPECT_NE(advice[0].points[0].find("30 cm"), std::string::npos) << advice[0].points[0];
}

TEST(Comparison, MovesDoneInAnotherOrderAreTheSameHolds) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  // Swap the timing of two successive moves of different limbs.
  std::size_t k = 2;
  while (k + 1 < f.ghost.moves.size() && f.ghost.moves[k].limb == f.ghost.moves[k + 1].limb) ++k;
  ASSERT_LT(k + 1, f.ghost.moves.size());
  const GhostMove& a = f.ghost.moves[k];
  const GhostMove& b = f.ghost.moves[k + 1];
  const std::int64_t shift = b.end_ms - a.end_ms + 100;
  for (RealPlacement& p : climb.placements) {
    if (p.limb == a.limb && p.from_ms == a.end_ms) p.from_ms += shift;
    if (p.limb == a.limb && p.to_ms == a.start_ms) p.to_ms += shift;
  }
  const Comparison c = f.Compare(climb);
  EXPECT_TRUE(Deviations(c).empty());
  EXPECT_EQ(std::count_if(c.moves.begin(), c.moves.end(),
                          [](const AlignedMove& m) { return m.reordered; }),
            1);
}

TEST(Comparison, HostilePlacementsAreErrors) {
  const Fixture f;
  ClimbRecord climb = f.Climb();
  climb.placements[0].hold_id = "nope";
  EXPECT_EQ(CompareClimb(f.route, f.ghost, f.body, climb).status().kind(),
            ErrorKind::kInvalidArgument);
  climb = f.Climb();
  climb.placements[0].to_ms = climb.placements[0].from_ms - 1;
  EXPECT_EQ(CompareClimb(f.route, f.ghost, f.body, climb).status().kind(),
            ErrorKind::kInvalidArgument);
  climb = f.Climb();
  climb.placements.clear();
  climb.com.clear();
  auto empty = CompareClimb(f.route, f.ghost, f.body, climb);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->skipped, static_cast<int>(f.ghost.moves.size()));
}

TEST(GhostAdviceText, BothLanguagesAreComplete) {
  const Fixture f;
  for (std::string_view lang : {"en", "fr"}) {
    // One climb with every kind of deviation: a changed hold, a skipped foot move, a slow move.
    ClimbRecord climb = f.Climb();
    const std::size_t k = f.MoveOf(true, 3);
    f.LandingOf(&climb, k)->hold_id = f.route.holds[f.ghost.moves[k].to.hold - 1].id;
    GhostAdviceOptions o;
    o.max_entries = 10;
    const auto advice = GhostAdvice(f.route, f.ghost, f.Compare(climb), lang, o);
    for (const coaching::Advice& a : advice) {
      EXPECT_FALSE(a.title.empty());
      ASSERT_EQ(a.points.size(), 3u);
      for (const std::string& p : a.points) {
        EXPECT_FALSE(p.empty());
        EXPECT_EQ(p.find('{'), std::string::npos) << p;
      }
    }
  }
  EXPECT_EQ(GhostAdviceIds().size(), 5u);
}

// Whether a French text says "tu" (the coaching switched to "vous"): the words tu, toi, te, ton,
// ta, tes and the elision t' ("t'a pris").
bool SaysTu(const std::string& text) {
  static const std::set<std::string> tu = {"tu", "toi", "te", "ton", "ta", "tes", "t'"};
  std::string word;
  auto is_tu = [&] {
    const bool found = tu.count(word) > 0;
    word.clear();
    return found;
  };
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || u >= 0x80) {
      word += static_cast<char>(std::tolower(u));
      continue;
    }
    if (c == '\'') word += c;
    if (!word.empty() && is_tu()) return true;
  }
  return !word.empty() && is_tu();
}

TEST(GhostAdvice, FrenchTextsSayVous) {
  ASSERT_TRUE(SaysTu("Tu as mis ta main gauche")) << "the check itself";
  ASSERT_TRUE(SaysTu("Amener le pied t'a pris 3 s"));
  ASSERT_TRUE(SaysTu("et pas toi"));
  ASSERT_FALSE(SaysTu("Vous avez mis votre main gauche sur la prise 12 ; tentez-la"));
  for (std::string_view id : GhostAdviceIds()) {
    const auto texts = GhostAdviceTexts(id, "fr");
    ASSERT_EQ(texts.size(), 16u) << id;  // title + 3 points, for each limb
    for (const std::string& t : texts) {
      EXPECT_FALSE(SaysTu(t)) << id << ": " << t;
      EXPECT_EQ(t.find('{'), std::string::npos) << t;
    }
    EXPECT_NE(texts[1].find("votre main gauche"), std::string::npos) << id << ": " << texts[1];
  }
  // The advice as produced, every kind at once, says "vous" too.
  const Fixture f;
  ClimbRecord climb = f.Climb();
  climb.placements.erase(climb.placements.begin() + 2);
  GhostAdviceOptions o;
  o.max_entries = 10;
  for (const coaching::Advice& a : GhostAdvice(f.route, f.ghost, f.Compare(climb), "fr", o)) {
    EXPECT_FALSE(SaysTu(a.title)) << a.title;
    for (const std::string& p : a.points) EXPECT_FALSE(SaysTu(p)) << p;
  }
  EXPECT_TRUE(GhostAdviceTexts("no_such_advice", "fr").empty());
}

}  // namespace
}  // namespace ascension::ghost
