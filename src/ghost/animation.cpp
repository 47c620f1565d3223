#include "ghost/animation.hpp"

#include <algorithm>
#include <cmath>

namespace ascension::ghost {
namespace {

// Minimum-jerk time profile on [0, 1] (Flash & Hogan): zero speed and acceleration at both ends.
double MinJerk(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * t * (10 + t * (-15 + 6 * t));
}

TorsoPose Lerp(const TorsoPose& a, const TorsoPose& b, double s) {
  return {a.pelvis + s * (b.pelvis - a.pelvis), a.lean + s * (b.lean - a.lean)};
}

LimbEnds EndsOf(const BetaState& state) {
  LimbEnds ends;
  for (Limb limb : kLimbs) {
    const Contact& c = state.contacts[Index(limb)];
    if (c.kind != Contact::Kind::kNone) ends[Index(limb)] = c.point;
  }
  return ends;
}

// The pose of a state: the most comfortable one near the previous pose, else the planner's own.
std::optional<TorsoPose> StatePose(const BodyModel& body, const LimbEnds& ends,
                                   const std::optional<TorsoPose>& near) {
  StanceQuery q;
  q.contacts = ends;
  q.rule = SupportRule::kPolygon;
  q.near = near;
  if (auto sol = SolveStance(body, q)) return sol->torso;
  q.near.reset();
  q.refine = false;
  if (auto sol = SolveStance(body, q)) return sol->torso;
  return std::nullopt;
}

// The pose while `limb` travels: the other limbs hold it, the limb reaches its target and, if it
// can, the hold it leaves.
std::optional<TorsoPose> MovePose(const BodyModel& body, const LimbEnds& before, Limb limb,
                                  Vec2 target, const TorsoPose& near) {
  StanceQuery q;
  q.contacts = before;
  q.contacts[Index(limb)].reset();
  q.rule = SupportRule::kVertical;
  q.reach_limb = limb;
  q.reach_target = target;
  q.prefer_reach = before[Index(limb)];
  q.near = near;
  if (auto sol = SolveStance(body, q)) return sol->torso;
  q.near.reset();
  q.prefer_reach.reset();
  q.refine = false;
  if (auto sol = SolveStance(body, q)) return sol->torso;
  return std::nullopt;
}

bool Reaches(const BodyModel& body, const TorsoPose& torso, Limb limb, Vec2 end) {
  return Length(ReachPoint(body, limb, end) - LimbRoot(body, torso, limb)) <=
         body.MaxReach(limb) * (1 + 1e-9);
}

// The timing and poses of one move.
struct Block {
  double t0 = 0, leave = 0, land = 0, end = 0;  // seconds
  TorsoPose mid;
  bool stays = false;  // the limb stays on its hold during the weight shift
};

}  // namespace

Result<Ghost> AnimateBeta(const BodyModel& body, const Beta& beta, const Pace& pace) {
  if (beta.states.empty()) return InvalidArgument("the beta has no states");
  if (beta.moves.size() + 1 != beta.states.size()) {
    return InvalidArgument("the beta's moves do not join its states");
  }
  if (!(pace.fps > 0) || !std::isfinite(pace.fps) || pace.fps > 240) {
    return InvalidArgument("the ghost's frame rate must be in (0, 240]");
  }
  Ghost ghost;
  std::vector<LimbEnds> ends;
  std::optional<TorsoPose> previous;
  for (const BetaState& st : beta.states) {
    ends.push_back(EndsOf(st));
    auto pose = StatePose(body, ends.back(), previous);
    if (!pose) return Internal("a state of the beta has no pose");
    ghost.state_poses.push_back(*pose);
    previous = pose;
  }

  std::vector<Block> blocks;
  double t = pace.start_still_s;
  ghost.state_ms.push_back(0);
  for (std::size_t i = 0; i < beta.moves.size(); ++i) {
    const BetaMove& m = beta.moves[i];
    Block b;
    b.t0 = t;
    auto mid = MovePose(body, ends[i], m.limb, m.to.point, ghost.state_poses[i]);
    if (!mid) return Internal("a move of the beta has no pose");
    b.mid = *mid;
    double travel = IsHand(m.limb) ? pace.hand_travel_s + pace.hand_per_metre_s * m.distance
                                   : pace.foot_travel_s + pace.foot_per_metre_s * m.distance;
    if (body.Injured(m.limb)) travel *= pace.injured_factor;
    // The limb keeps its hold while the weight shifts if it reaches it all along the shift.
    b.stays = true;
    for (int k = 0; k <= 8 && b.stays; ++k) {
      const TorsoPose tp = Lerp(ghost.state_poses[i], b.mid, MinJerk(k / 8.0));
      b.stays = Reaches(body, tp, m.limb, m.from.point);
    }
    b.leave = b.stays ? b.t0 + pace.shift_s : b.t0;
    b.land = b.t0 + pace.shift_s + travel;
    b.end = b.land + pace.settle_s;
    t = b.end + pace.pause_s;
    blocks.push_back(b);

    GhostMove gm;
    gm.limb = m.limb;
    gm.from = m.from;
    gm.to = m.to;
    gm.start_ms = std::llround(b.leave * 1000);
    gm.end_ms = std::llround(b.land * 1000);
    gm.distance = m.distance;
    gm.cost = m.cost;
    ghost.moves.push_back(gm);
    ghost.state_ms.push_back(std::llround(b.end * 1000));
  }
  const double total = t + pace.end_still_s;
  ghost.duration_ms = std::llround(total * 1000);

  const long frame_count = static_cast<long>(std::floor(total * pace.fps)) + 1;
  std::size_t bi = 0;
  for (long k = 0; k < frame_count; ++k) {
    const double time = k / pace.fps;
    GhostFrame f;
    f.timestamp_ms = std::llround(time * 1000);
    while (bi < blocks.size() && time >= blocks[bi].end) ++bi;
    TorsoPose torso;
    LimbEnds e;
    std::optional<Limb> flying;
    if (bi >= blocks.size()) {
      torso = ghost.state_poses.back();
      e = ends.back();
    } else if (time < blocks[bi].t0) {
      torso = ghost.state_poses[bi];
      e = ends[bi];
    } else {
      const Block& b = blocks[bi];
      const BetaMove& m = beta.moves[bi];
      f.move = bi;
      if (time < b.t0 + pace.shift_s) {
        torso = Lerp(ghost.state_poses[bi], b.mid, MinJerk((time - b.t0) / pace.shift_s));
      } else if (time < b.land) {
        torso = b.mid;
      } else {
        torso = Lerp(b.mid, ghost.state_poses[bi + 1], MinJerk((time - b.land) / pace.settle_s));
      }
      if (time < b.land) {
        e = ends[bi];
        if (time >= b.leave) {
          flying = m.limb;
          const double s = MinJerk((time - b.leave) / (b.land - b.leave));
          e[Index(m.limb)] = m.from.point + s * (m.to.point - m.from.point);
        }
      } else {
        e = ends[bi + 1];
      }
    }
    f.skeleton = PoseBody(body, torso, e);
    for (Limb limb : kLimbs) {
      f.placed[Index(limb)] = body.Available(limb) && flying != limb;
    }
    ghost.frames.push_back(std::move(f));
  }
  return ghost;
}

}  // namespace ascension::ghost
