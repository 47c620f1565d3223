#include "ghost/comparison.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ascension::ghost {
namespace {

constexpr std::size_t kMaxPlacements = 10000;
constexpr std::size_t kMaxSamples = 100000;
// Sequence alignment costs: the same limb on another hold costs less than a skipped plus an
// extra move, so a changed hold reads as one deviation, not two.
constexpr double kOtherHoldCost = 1.0;
constexpr double kGapCost = 0.8;
// A skipped ghost move and an extra real move of the same limb to the same hold at most this
// many alignment steps apart are one move done in another order.
constexpr std::size_t kReorderWindow = 3;
// Time alignment: samples per side at most, weight of one move of progress against one stature
// of centre-of-mass distance, and the real centre of mass read within this of a sample.
constexpr std::size_t kMaxDtwSamples = 600;
constexpr double kProgressWeight = 1.0;
constexpr std::int64_t kComGapMs = 250;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Step {
  Limb limb;
  std::size_t hold;
};

// Real moves from the placements: per limb, each placement on another hold than the limb's
// previous one.
Result<std::vector<RealMove>> RealMoves(const Route& route, const ClimbRecord& climb) {
  std::vector<RealPlacement> ps = climb.placements;
  std::stable_sort(ps.begin(), ps.end(), [](const RealPlacement& a, const RealPlacement& b) {
    return a.from_ms < b.from_ms;
  });
  struct Last {
    std::size_t hold;
    std::int64_t to_ms;
  };
  std::array<std::optional<Last>, kLimbCount> last;
  std::vector<RealMove> moves;
  for (const RealPlacement& p : ps) {
    const auto hold = FindHold(route, p.hold_id);
    if (!hold) {
      return InvalidArgument("holds_used names hold " + p.hold_id + ", which the route lacks");
    }
    if (p.from_ms < 0 || p.to_ms < p.from_ms) {
      return InvalidArgument("holds_used: a placement on hold " + p.hold_id +
                             " has from_ms < 0 or to_ms < from_ms");
    }
    auto& l = last[Index(p.limb)];
    if (l && l->hold != *hold) {
      moves.push_back({p.limb, l->hold, *hold, l->to_ms, p.from_ms});
    }
    if (l && l->hold == *hold) {
      l->to_ms = std::max(l->to_ms, p.to_ms);  // a readjustment on the same hold
    } else {
      l = Last{*hold, p.to_ms};
    }
  }
  std::stable_sort(moves.begin(), moves.end(),
                   [](const RealMove& a, const RealMove& b) { return a.end_ms < b.end_ms; });
  return moves;
}

// Needleman–Wunsch over the two move sequences; ties prefer a pair, then a skipped move.
std::vector<AlignedMove> Align(const std::vector<Step>& g, const std::vector<std::size_t>& g_index,
                               const std::vector<Step>& r) {
  const std::size_t n = g.size(), m = r.size();
  std::vector<double> d((n + 1) * (m + 1), kInf);
  const auto at = [&](std::size_t i, std::size_t j) -> double& { return d[i * (m + 1) + j]; };
  const auto pair_cost = [&](std::size_t i, std::size_t j) {
    if (g[i].limb != r[j].limb) return kInf;
    return g[i].hold == r[j].hold ? 0.0 : kOtherHoldCost;
  };
  at(0, 0) = 0;
  for (std::size_t i = 1; i <= n; ++i) at(i, 0) = at(i - 1, 0) + kGapCost;
  for (std::size_t j = 1; j <= m; ++j) at(0, j) = at(0, j - 1) + kGapCost;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      at(i, j) = std::min({at(i - 1, j - 1) + pair_cost(i - 1, j - 1), at(i - 1, j) + kGapCost,
                           at(i, j - 1) + kGapCost});
    }
  }
  std::vector<AlignedMove> out;
  std::size_t i = n, j = m;
  while (i > 0 || j > 0) {
    AlignedMove a;
    if (i > 0 && j > 0 && at(i, j) == at(i - 1, j - 1) + pair_cost(i - 1, j - 1)) {
      a.kind =
          g[i - 1].hold == r[j - 1].hold ? AlignmentKind::kSameHold : AlignmentKind::kOtherHold;
      a.limb = g[i - 1].limb;
      a.ghost_move = g_index[i - 1];
      a.real_move = j - 1;
      --i, --j;
    } else if (i > 0 && (j == 0 || at(i, j) == at(i - 1, j) + kGapCost)) {
      a.kind = AlignmentKind::kSkippedMove;
      a.limb = g[i - 1].limb;
      a.ghost_move = g_index[i - 1];
      --i;
    } else {
      a.kind = AlignmentKind::kExtraMove;
      a.limb = r[j - 1].limb;
      a.real_move = j - 1;
      --j;
    }
    out.push_back(a);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// Merges a skipped and an extra move of the same limb onto the same hold, close in the
// alignment, into one same-hold move done out of order.
void MergeReordered(std::vector<AlignedMove>* moves, const std::vector<Step>& ghost_steps_by_move,
                    const std::vector<RealMove>& real) {
  auto& v = *moves;
  for (std::size_t a = 0; a < v.size(); ++a) {
    const bool a_skip = v[a].kind == AlignmentKind::kSkippedMove;
    const bool a_extra = v[a].kind == AlignmentKind::kExtraMove;
    if (!a_skip && !a_extra) continue;
    for (std::size_t b = a + 1; b < v.size() && b <= a + kReorderWindow; ++b) {
      const bool complement = a_skip ? v[b].kind == AlignmentKind::kExtraMove
                                     : v[b].kind == AlignmentKind::kSkippedMove;
      if (!complement || v[b].limb != v[a].limb) continue;
      const AlignedMove& s = a_skip ? v[a] : v[b];
      const AlignedMove& e = a_skip ? v[b] : v[a];
      if (ghost_steps_by_move[*s.ghost_move].hold != real[*e.real_move].to_hold) continue;
      AlignedMove merged;
      merged.kind = AlignmentKind::kSameHold;
      merged.limb = v[a].limb;
      merged.ghost_move = s.ghost_move;
      merged.real_move = e.real_move;
      merged.reordered = true;
      v[a] = merged;
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(b));
      break;
    }
  }
}

// The ghost's centre of mass at `ms` (nearest frame).
Vec2 GhostComAt(const Ghost& ghost, std::int64_t ms) {
  const auto it =
      std::lower_bound(ghost.frames.begin(), ghost.frames.end(), ms,
                       [](const GhostFrame& f, std::int64_t t) { return f.timestamp_ms < t; });
  if (it == ghost.frames.end()) return ghost.frames.back().skeleton.com;
  if (it != ghost.frames.begin() && ms - std::prev(it)->timestamp_ms < it->timestamp_ms - ms) {
    return std::prev(it)->skeleton.com;
  }
  return it->skeleton.com;
}

// The climber's centre of mass at `ms`, interpolated between samples no further than
// kComGapMs away.
std::optional<Vec2> RealComAt(const std::vector<RealComSample>& com, std::int64_t ms) {
  if (com.empty()) return std::nullopt;
  const auto it =
      std::lower_bound(com.begin(), com.end(), ms,
                       [](const RealComSample& s, std::int64_t t) { return s.timestamp_ms < t; });
  if (it == com.end()) {
    return ms - com.back().timestamp_ms <= kComGapMs ? std::optional(com.back().com) : std::nullopt;
  }
  if (it->timestamp_ms == ms || it == com.begin()) {
    return it->timestamp_ms - ms <= kComGapMs ? std::optional(it->com) : std::nullopt;
  }
  const RealComSample& a = *std::prev(it);
  const RealComSample& b = *it;
  if (b.timestamp_ms - a.timestamp_ms > 2 * kComGapMs) return std::nullopt;
  const double s = static_cast<double>(ms - a.timestamp_ms) / (b.timestamp_ms - a.timestamp_ms);
  return a.com + s * (b.com - a.com);
}

// Move progress at `ms` for one side: the alignment step of the last move landed + 1, or a
// fraction of the way through the move under way.
struct Interval {
  std::int64_t start, end;
  double column;
};
double Progress(const std::vector<Interval>& moves, std::int64_t ms) {
  double p = 0;
  for (const Interval& iv : moves) {
    if (ms >= iv.end) {
      p = std::max(p, iv.column + 1);
    } else if (ms >= iv.start && iv.end > iv.start) {
      p = std::max(p, iv.column + static_cast<double>(ms - iv.start) / (iv.end - iv.start));
    }
  }
  return p;
}

std::vector<std::int64_t> Thin(std::vector<std::int64_t> times) {
  if (times.size() <= kMaxDtwSamples) return times;
  std::vector<std::int64_t> out;
  const double step = static_cast<double>(times.size() - 1) / (kMaxDtwSamples - 1);
  for (std::size_t k = 0; k < kMaxDtwSamples; ++k) {
    out.push_back(times[static_cast<std::size_t>(std::llround(k * step))]);
  }
  return out;
}

}  // namespace

const char* AlignmentKindName(AlignmentKind kind) {
  switch (kind) {
    case AlignmentKind::kSameHold:
      return "same_hold";
    case AlignmentKind::kOtherHold:
      return "other_hold";
    case AlignmentKind::kExtraMove:
      return "extra_move";
    case AlignmentKind::kSkippedMove:
      return "skipped_move";
  }
  return "same_hold";
}

std::int64_t GhostTimeAt(const Comparison& c, std::int64_t video_ms) {
  if (c.sync.empty()) return 0;
  if (video_ms <= c.sync.front().first) return c.sync.front().second;
  if (video_ms >= c.sync.back().first) return c.sync.back().second;
  const auto it = std::lower_bound(
      c.sync.begin(), c.sync.end(), video_ms,
      [](const std::pair<std::int64_t, std::int64_t>& p, std::int64_t t) { return p.first < t; });
  const auto& b = *it;
  const auto& a = *std::prev(it);
  if (b.first == a.first) return b.second;
  const double s = static_cast<double>(video_ms - a.first) / (b.first - a.first);
  return a.second + std::llround(s * (b.second - a.second));
}

Result<Comparison> CompareClimb(const Route& route, const Ghost& ghost, const BodyModel& body,
                                const ClimbRecord& climb_in) {
  if (climb_in.placements.size() > kMaxPlacements) {
    return InvalidArgument("holds_used has more than 10000 placements");
  }
  if (climb_in.com.size() > kMaxSamples) {
    return InvalidArgument("more than 100000 centre-of-mass samples");
  }
  if (ghost.frames.empty()) return InvalidArgument("the ghost has no frames");
  ClimbRecord climb = climb_in;
  std::stable_sort(climb.com.begin(), climb.com.end(),
                   [](const RealComSample& a, const RealComSample& b) {
                     return a.timestamp_ms < b.timestamp_ms;
                   });
  auto real = RealMoves(route, climb);
  if (!real.ok()) return real.status();
  Comparison c;
  c.real_moves = std::move(*real);

  // The ghost's moves onto holds (a smear cannot appear in holds_used).
  std::vector<Step> g;
  std::vector<std::size_t> g_index;
  std::vector<Step> g_by_move(ghost.moves.size(), Step{Limb::kLeftHand, 0});
  for (std::size_t i = 0; i < ghost.moves.size(); ++i) {
    const GhostMove& m = ghost.moves[i];
    if (m.to.kind != Contact::Kind::kHold) continue;
    g.push_back({m.limb, m.to.hold});
    g_index.push_back(i);
    g_by_move[i] = g.back();
  }
  std::vector<Step> r;
  for (const RealMove& m : c.real_moves) r.push_back({m.limb, m.to_hold});
  c.moves = Align(g, g_index, r);
  MergeReordered(&c.moves, g_by_move, c.real_moves);

  for (AlignedMove& a : c.moves) {
    switch (a.kind) {
      case AlignmentKind::kSameHold:
        ++c.same_hold;
        break;
      case AlignmentKind::kOtherHold:
        ++c.other_hold;
        break;
      case AlignmentKind::kExtraMove:
        ++c.extra;
        break;
      case AlignmentKind::kSkippedMove:
        ++c.skipped;
        break;
    }
    if (!a.ghost_move || !a.real_move) continue;
    const GhostMove& gm = ghost.moves[*a.ghost_move];
    const RealMove& rm = c.real_moves[*a.real_move];
    a.hold_distance = Length(route.holds[gm.to.hold].centre - route.holds[rm.to_hold].centre);
    a.time_delta_ms = (rm.end_ms - rm.start_ms) - (gm.end_ms - gm.start_ms);
    if (auto rc = RealComAt(climb.com, rm.end_ms)) {
      a.com_distance = Length(*rc - GhostComAt(ghost, gm.end_ms));
    }
  }

  // Time alignment: DTW between the video's samples and the ghost's frames on move progress
  // (alignment steps) and the centre of mass.
  std::vector<Interval> g_iv, r_iv;
  for (std::size_t k = 0; k < c.moves.size(); ++k) {
    const AlignedMove& a = c.moves[k];
    if (a.ghost_move) {
      const GhostMove& gm = ghost.moves[*a.ghost_move];
      g_iv.push_back({gm.start_ms, gm.end_ms, static_cast<double>(k)});
    }
    if (a.real_move) {
      const RealMove& rm = c.real_moves[*a.real_move];
      r_iv.push_back({rm.start_ms, rm.end_ms, static_cast<double>(k)});
    }
  }
  std::vector<std::int64_t> rt;
  if (!climb.com.empty()) {
    for (const RealComSample& s : climb.com) rt.push_back(s.timestamp_ms);
  } else {
    std::int64_t lo = 0, hi = 0;
    for (const RealPlacement& p : climb.placements) hi = std::max(hi, p.to_ms);
    for (std::int64_t t = lo; t <= hi; t += 100) rt.push_back(t);
  }
  rt.erase(std::unique(rt.begin(), rt.end()), rt.end());
  rt = Thin(std::move(rt));
  std::vector<std::int64_t> gt;
  for (const GhostFrame& f : ghost.frames) gt.push_back(f.timestamp_ms);
  gt = Thin(std::move(gt));
  if (rt.empty()) return c;

  const std::size_t n = rt.size(), m = gt.size();
  std::vector<double> rp(n), gp(m);
  std::vector<std::optional<Vec2>> rc(n);
  std::vector<Vec2> gc(m);
  for (std::size_t i = 0; i < n; ++i) {
    rp[i] = Progress(r_iv, rt[i]);
    rc[i] = RealComAt(climb.com, rt[i]);
  }
  for (std::size_t j = 0; j < m; ++j) {
    gp[j] = Progress(g_iv, gt[j]);
    gc[j] = GhostComAt(ghost, gt[j]);
  }
  const auto cost = [&](std::size_t i, std::size_t j) {
    double v = kProgressWeight * std::abs(rp[i] - gp[j]);
    if (rc[i]) v += Length(*rc[i] - gc[j]) / body.height;
    return v;
  };
  std::vector<double> d(n * m, kInf);
  const auto at = [&](std::size_t i, std::size_t j) -> double& { return d[i * m + j]; };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      double best = i == 0 && j == 0 ? 0 : kInf;
      if (i > 0) best = std::min(best, at(i - 1, j));
      if (j > 0) best = std::min(best, at(i, j - 1));
      if (i > 0 && j > 0) best = std::min(best, at(i - 1, j - 1));
      at(i, j) = best + cost(i, j);
    }
  }
  // Back through the warping path: each video sample gets the mean time of its ghost frames.
  std::vector<double> sum(n, 0);
  std::vector<int> count(n, 0);
  std::size_t i = n - 1, j = m - 1;
  for (;;) {
    sum[i] += static_cast<double>(gt[j]);
    ++count[i];
    if (i == 0 && j == 0) break;
    if (i == 0) {
      --j;
    } else if (j == 0) {
      --i;
    } else {
      const double diag = at(i - 1, j - 1), up = at(i - 1, j), left = at(i, j - 1);
      if (diag <= up && diag <= left) {
        --i, --j;
      } else if (up <= left) {
        --i;
      } else {
        --j;
      }
    }
  }
  std::int64_t previous = 0;
  for (std::size_t k = 0; k < n; ++k) {
    std::int64_t ghost_ms = std::llround(sum[k] / count[k]);
    ghost_ms = std::max(ghost_ms, previous);
    previous = ghost_ms;
    c.sync.push_back({rt[k], ghost_ms});
  }
  return c;
}

}  // namespace ascension::ghost
