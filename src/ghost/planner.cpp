#include "ghost/planner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace ascension::ghost {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kNone = -1;
// The most holds a route may have: contact codes (holds, then smear cells) fit in 16 bits.
constexpr std::size_t kMaxHolds = 4000;
constexpr double kSmearCell = 0.25;  // metres
// Crossing limits: how far the left hand may be to the right of the right hand (fraction of the
// arm's reach), the left foot right of the right foot (fraction of the leg's reach).
constexpr double kMaxHandCross = 0.5;
constexpr double kMaxFootCross = 0.4;
// A second start hold lower than this (fraction of stature) below the highest is a foot start.
constexpr double kHandStartDrop = 0.35;
// Without foot start holds, the feet start at least this far (fraction of the leg's reach)
// below the lowest start hand: a climber gets on from the floor, not onto a high step.
constexpr double kStartFeetBelowHands = 0.9;

// A state: the contact code of each limb (kNone, a hold index, or n + a smear cell).
using State = std::array<int, kLimbCount>;

std::uint64_t Key(const State& s) {
  std::uint64_t k = 0;
  for (int i = 0; i < kLimbCount; ++i) {
    k |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(s[i] + 1)) << (16 * i);
  }
  return k;
}

State FromKey(std::uint64_t k) {
  State s;
  for (int i = 0; i < kLimbCount; ++i) s[i] = static_cast<int>((k >> (16 * i)) & 0xffff) - 1;
  return s;
}

struct StanceInfo {
  TorsoPose torso;
  double strain = 0;
  double balance = 0;
};

struct EdgeKey {
  std::uint64_t state;
  std::uint32_t move;  // limb << 16 | target code
  bool operator==(const EdgeKey&) const = default;
};
struct EdgeKeyHash {
  std::size_t operator()(const EdgeKey& k) const {
    return std::hash<std::uint64_t>()(k.state * 0x9e3779b97f4a7c15ULL ^ k.move);
  }
};

struct EdgeInfo {
  double balance = 0;
  double strain = 0;
};

// The route and body as the search sees them: contact geometry, costs, cached stance solves.
class Space {
 public:
  Space(const Route& route, const BodyModel& body, const CostWeights& w, PlanStats* stats)
      : route_(route), body_(body), w_(w), stats_(stats), n_(static_cast<int>(route.holds.size())) {
    double lo_x = 0, lo_y = 0, hi_x = 1, hi_y = 1;
    if (n_ > 0) {
      lo_x = hi_x = route.holds[0].centre.x;
      lo_y = hi_y = route.holds[0].centre.y;
    }
    for (const Hold& h : route.holds) {
      lo_x = std::min(lo_x, h.centre.x);
      hi_x = std::max(hi_x, h.centre.x);
      lo_y = std::min(lo_y, h.centre.y);
      hi_y = std::max(hi_y, h.centre.y);
    }
    smear_origin_ = {lo_x - 2, lo_y - 2};
    cell_ = kSmearCell;
    for (;;) {
      nx_ = static_cast<int>(std::ceil((hi_x - lo_x + 4) / cell_)) + 1;
      ny_ = static_cast<int>(std::ceil((hi_y - lo_y + 4) / cell_)) + 1;
      if (n_ + static_cast<long>(nx_) * ny_ < 65000) break;
      cell_ *= 2;
    }
    for (int i = 0; i < n_; ++i) {
      const Hold& h = route.holds[i];
      hand_ok_.push_back(h.selected && h.role != HoldRole::kFoot &&
                         (h.role == HoldRole::kStart || w.hand_hold[Size(i)] >= 0));
      foot_ok_.push_back(h.selected && h.role != HoldRole::kHand && h.role != HoldRole::kTop &&
                         w.foot_hold[Size(i)] >= 0);
      top_.push_back(h.selected && h.role == HoldRole::kTop);
      if (hand_ok_.back()) hand_holds_.push_back(i);
      if (foot_ok_.back()) foot_holds_.push_back(i);
    }
  }

  const std::vector<int>& hand_holds() const { return hand_holds_; }
  const std::vector<int>& foot_holds() const { return foot_holds_; }

  int holds() const { return n_; }
  const BodyModel& body() const { return body_; }
  const CostWeights& weights() const { return w_; }
  bool HandOk(int code) const { return code >= 0 && code < n_ && hand_ok_[code]; }
  bool FootOk(int code) const { return code >= 0 && code < n_ && foot_ok_[code]; }
  bool Top(int code) const { return code >= 0 && code < n_ && top_[code]; }
  bool IsSmear(int code) const { return code >= n_; }

  // Hold centre, or smear cell centre.
  Vec2 CodePoint(int code) const {
    if (code < n_) return route_.holds[code].centre;
    const int cell = code - n_;
    return smear_origin_ + Vec2{(cell % nx_ + 0.5) * cell_, (cell / nx_ + 0.5) * cell_};
  }

  // The smear cell holding `toe`, or kNone outside the grid.
  int SmearCode(Vec2 toe) const {
    const int ix = static_cast<int>(std::floor((toe.x - smear_origin_.x) / cell_));
    const int iy = static_cast<int>(std::floor((toe.y - smear_origin_.y) / cell_));
    if (ix < 0 || iy < 0 || ix >= nx_ || iy >= ny_) return kNone;
    return n_ + iy * nx_ + ix;
  }

  // The end point of a limb: the hold centre, moved sideways when two hands (or two feet) share
  // the hold so that each keeps its own place on it.
  Vec2 EndPoint(const State& s, Limb limb) const {
    const int code = s[Index(limb)];
    Vec2 p = CodePoint(code);
    if (code >= 0 && code < n_) {
      const int partner = PartnerIndex(limb);
      if (s[partner] == code) {
        const double d = std::min(0.35 * route_.holds[code].radius, 0.04);
        const bool left = limb == Limb::kLeftHand || limb == Limb::kLeftFoot;
        p.x += left ? -d : d;
      }
    }
    return p;
  }

  LimbEnds Ends(const State& s) const {
    LimbEnds e;
    for (Limb limb : kLimbs) {
      if (s[Index(limb)] != kNone) e[Index(limb)] = EndPoint(s, limb);
    }
    return e;
  }

  // The hold (or smear) term of placing `limb` on `code`.
  double HoldTerm(Limb limb, int code) const {
    if (IsSmear(code)) return w_.smear;
    const int size = Size(code);
    return IsHand(limb) ? std::max(0.0, w_.hand_hold[size]) : w_.foot_hold[size];
  }

  bool OneArmed() const {
    return !body_.Available(Limb::kLeftHand) || !body_.Available(Limb::kRightHand);
  }

  // The part of a move's cost known without solving a stance.
  double BaseCost(Limb limb, int from, int to) const {
    const double reach = body_.MaxReach(limb);
    const double d = Length(CodePoint(to) - CodePoint(from)) / reach;
    double c = (IsHand(limb) ? w_.hand_factor : w_.foot_factor) *
               (w_.move + w_.distance * d + w_.distance2 * d * d + HoldTerm(limb, to));
    if (body_.Injured(limb)) c *= w_.injured_factor;
    if (IsHand(limb) && OneArmed()) c += w_.no_hands;
    return c;
  }

  // The match cost when `limb` has just joined its partner on one hold.
  double MatchOnArrival(const State& s, Limb limb) const {
    const int code = s[Index(limb)];
    return code != kNone && !IsSmear(code) && s[PartnerIndex(limb)] == code ? w_.match : 0.0;
  }

  // The match cost of a start state.
  double MatchCost(const State& s) const {
    double c = 0;
    if (s[0] != kNone && s[0] == s[1]) c += w_.match;
    if (s[2] != kNone && s[2] == s[3] && !IsSmear(s[2])) c += w_.match;
    return c;
  }

  // Necessary conditions checked before any stance is solved: every available limb placed,
  // pairwise distances within what the body spans, no impossible crossing, no hand and foot
  // on one hold.
  bool QuickFeasible(const State& s) const {
    const BodyModel& b = body_;
    std::array<Vec2, kLimbCount> p{};
    for (Limb limb : kLimbs) {
      const int i = Index(limb);
      if (b.Available(limb) != (s[i] != kNone)) return false;
      if (s[i] != kNone) p[i] = ReachPoint(b, limb, EndPoint(s, limb));
    }
    const double arm = b.MaxReach(Limb::kLeftHand);
    const double leg = b.MaxReach(Limb::kLeftFoot);
    if (s[0] != kNone && s[1] != kNone) {
      if (Length(p[0] - p[1]) > 2 * arm + b.shoulder_width) return false;
      if (p[0].x - p[1].x > kMaxHandCross * arm) return false;
    }
    if (s[2] != kNone && s[3] != kNone) {
      if (Length(p[2] - p[3]) > 2 * leg + b.hip_width) return false;
      if (p[2].x - p[3].x > kMaxFootCross * leg) return false;
    }
    const double limb_to_limb = arm + leg + b.trunk + (b.shoulder_width + b.hip_width) / 2;
    for (int h = 0; h < 2; ++h) {
      for (int f = 2; f < 4; ++f) {
        if (s[h] == kNone || s[f] == kNone) continue;
        if (s[h] == s[f]) return false;
        if (Length(p[h] - p[f]) > limb_to_limb) return false;
      }
    }
    return true;
  }

  // 0 uncrossed … 1 per pair crossed by half a shoulder (hands) or half the hips (feet).
  double Crossing(const State& s) const {
    double c = 0;
    if (s[0] != kNone && s[1] != kNone) {
      const double dx = EndPoint(s, Limb::kLeftHand).x - EndPoint(s, Limb::kRightHand).x;
      c += std::clamp(dx / (0.5 * body_.shoulder_width), 0.0, 1.0);
    }
    if (s[2] != kNone && s[3] != kNone) {
      const double dx = EndPoint(s, Limb::kLeftFoot).x - EndPoint(s, Limb::kRightFoot).x;
      c += std::clamp(dx / (0.5 * body_.hip_width), 0.0, 1.0);
    }
    return c;
  }

  // The state's own stance (all contacts, polygon rule), solved once.
  const std::optional<StanceInfo>& Stance(const State& s) {
    const std::uint64_t key = Key(s);
    auto it = stances_.find(key);
    if (it != stances_.end()) return it->second;
    ++stats_->stances_solved;
    StanceQuery q;
    q.contacts = Ends(s);
    q.rule = SupportRule::kPolygon;
    q.refine = false;
    std::optional<StanceInfo> info;
    if (auto sol = SolveStance(body_, q)) info = StanceInfo{sol->torso, sol->strain, sol->balance};
    return stances_.emplace(key, info).first->second;
  }

  // The stance during a move of `limb` from state `s` to contact `to`: the other limbs hold
  // (vertical rule) while the moving limb reaches its target.
  const std::optional<EdgeInfo>& Edge(const State& s, Limb limb, int to) {
    const EdgeKey key{
        Key(s), static_cast<std::uint32_t>(Index(limb)) << 16 | static_cast<std::uint32_t>(to)};
    auto it = edges_.find(key);
    if (it != edges_.end()) return it->second;
    ++stats_->edges_evaluated;
    State next = s;
    next[Index(limb)] = to;
    StanceQuery q;
    q.contacts = Ends(s);
    q.contacts[Index(limb)].reset();
    q.rule = SupportRule::kVertical;
    q.reach_limb = limb;
    q.reach_target = EndPoint(next, limb);
    std::optional<EdgeInfo> info;
    q.refine = false;
    if (auto sol = SolveStance(body_, q)) info = EdgeInfo{sol->balance, sol->strain};
    return edges_.emplace(key, info).first->second;
  }

  const Route& route() const { return route_; }

 private:
  int Size(int code) const { return static_cast<int>(route_.holds[code].size); }
  static int PartnerIndex(Limb limb) {
    switch (limb) {
      case Limb::kLeftHand:
        return 1;
      case Limb::kRightHand:
        return 0;
      case Limb::kLeftFoot:
        return 3;
      case Limb::kRightFoot:
        return 2;
    }
    return 0;
  }

  const Route& route_;
  const BodyModel& body_;
  const CostWeights& w_;
  PlanStats* stats_;
  int n_;
  Vec2 smear_origin_;
  double cell_ = kSmearCell;
  int nx_ = 1, ny_ = 1;
  std::vector<bool> hand_ok_, foot_ok_, top_;
  std::vector<int> hand_holds_, foot_holds_;
  std::unordered_map<std::uint64_t, std::optional<StanceInfo>> stances_;
  std::unordered_map<EdgeKey, std::optional<EdgeInfo>, EdgeKeyHash> edges_;
};

// Lower bound of the cost to finish (admissible and consistent), the sum of two independent
// parts. Hands: a relaxed problem without feet where a hand may go to any hand hold within two
// arms and a shoulder of the other hand, costed by Space::BaseCost (+ match), which every real
// hand move pays in full. Feet: the climb each foot still has to make (see Feet()).
class HandHeuristic {
 public:
  explicit HandHeuristic(const Space& space) : space_(space), n_(space.holds()) {
    const BodyModel& b = space.body();
    const bool left = b.Available(Limb::kLeftHand), right = b.Available(Limb::kRightHand);
    two_ = left && right;
    single_ = left ? Limb::kLeftHand : Limb::kRightHand;
    if (two_) ComputePairs();
    ComputeSingle();
    // The lowest a toe can be with both hands on the lowest top hold (QuickFeasible's
    // hand-to-ankle limit, then the ankle height), and the cheapest foot placement.
    double top_y = kInf;
    for (int i = 0; i < n_; ++i) {
      if (space_.Top(i)) top_y = std::min(top_y, space_.CodePoint(i).y);
    }
    const double arm = b.MaxReach(Limb::kLeftHand), leg = b.MaxReach(Limb::kLeftFoot);
    feet_floor_ =
        top_y - (arm + leg + b.trunk + (b.shoulder_width + b.hip_width) / 2) - b.ankle_height;
    min_foot_hold_ = space_.weights().smear;
    for (int i = 0; i < n_; ++i) {
      if (space_.FootOk(i)) {
        min_foot_hold_ = std::min(min_foot_hold_, space_.HoldTerm(Limb::kLeftFoot, i));
      }
    }
  }

  // Relaxed cost for one hand from hold `code` to a top hold, ignoring the other hand: how far
  // a hold is from the finish (the planner's measure of progress).
  double Remaining(int code) const { return code >= 0 && code < n_ ? single_h_[code] : kInf; }

  double operator()(const State& s) const { return Hands(s) + Feet(s); }

  double Hands(const State& s) const {
    if (two_) {
      if (s[0] < 0 || s[1] < 0 || s[0] >= n_ || s[1] >= n_) return kInf;
      return pairs_[static_cast<std::size_t>(s[0]) * n_ + s[1]];
    }
    const int c = s[Index(single_)];
    return c >= 0 && c < n_ ? single_h_[c] : kInf;
  }

  // Each foot lower than any toe can be while the hands are on the top holds must still travel
  // up at least the difference, at the cheapest hold, in as many moves as is cheapest.
  double Feet(const State& s) const {
    const BodyModel& b = space_.body();
    const CostWeights& w = space_.weights();
    double total = 0;
    for (Limb foot : {Limb::kLeftFoot, Limb::kRightFoot}) {
      const int c = s[Index(foot)];
      if (c == kNone) continue;
      const double gap = feet_floor_ - space_.CodePoint(c).y;
      if (gap <= 0) continue;
      const double d = gap / b.MaxReach(foot);
      double best = kInf;
      for (int n = 1; n <= 8; ++n) {
        best = std::min(best,
                        n * (w.move + min_foot_hold_) + w.distance * d + w.distance2 * d * d / n);
      }
      best *= w.foot_factor * (b.Injured(foot) ? w.injured_factor : 1.0);
      total += best;
    }
    return total;
  }

 private:
  bool PairOk(int l, int r) const {
    const BodyModel& b = space_.body();
    const Vec2 pl = space_.CodePoint(l), pr = space_.CodePoint(r);
    const double arm = b.MaxReach(Limb::kLeftHand);
    return Length(pl - pr) <= 2 * arm + b.shoulder_width + 0.09 &&
           pl.x - pr.x <= kMaxHandCross * arm + 0.09;
  }

  void ComputePairs() {
    const double match = space_.weights().match;
    pairs_.assign(static_cast<std::size_t>(n_) * n_, kInf);
    std::vector<int> hands;
    for (int i = 0; i < n_; ++i) {
      if (space_.HandOk(i)) hands.push_back(i);
    }
    using Item = std::pair<double, std::size_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
    for (int a : hands) {
      for (int c : hands) {
        if (space_.Top(a) && space_.Top(c) && PairOk(a, c)) {
          pairs_[static_cast<std::size_t>(a) * n_ + c] = 0;
          open.push({0, static_cast<std::size_t>(a) * n_ + c});
        }
      }
    }
    while (!open.empty()) {
      const auto [d, idx] = open.top();
      open.pop();
      if (d > pairs_[idx]) continue;
      const int k = static_cast<int>(idx / n_), j = static_cast<int>(idx % n_);
      const double m = k == j ? match : 0;
      // (i, j) → (k, j): the left hand moved from i to k.
      for (int i : hands) {
        if (i == k || !PairOk(i, j)) continue;
        const double nd = d + space_.BaseCost(Limb::kLeftHand, i, k) + m;
        std::size_t p = static_cast<std::size_t>(i) * n_ + j;
        if (nd < pairs_[p]) pairs_[p] = nd, open.push({nd, p});
      }
      // (k, i) → (k, j): the right hand moved from i to j.
      for (int i : hands) {
        if (i == j || !PairOk(k, i)) continue;
        const double nd = d + space_.BaseCost(Limb::kRightHand, i, j) + m;
        std::size_t p = static_cast<std::size_t>(k) * n_ + i;
        if (nd < pairs_[p]) pairs_[p] = nd, open.push({nd, p});
      }
    }
  }

  void ComputeSingle() {
    single_h_.assign(n_, kInf);
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
    for (int i = 0; i < n_; ++i) {
      if (space_.HandOk(i) && space_.Top(i)) single_h_[i] = 0, open.push({0, i});
    }
    while (!open.empty()) {
      const auto [d, k] = open.top();
      open.pop();
      if (d > single_h_[k]) continue;
      for (int i = 0; i < n_; ++i) {
        if (i == k || !space_.HandOk(i)) continue;
        const double nd = d + space_.BaseCost(two_ ? Limb::kRightHand : single_, i, k);
        if (nd < single_h_[i]) single_h_[i] = nd, open.push({nd, i});
      }
    }
  }

  const Space& space_;
  int n_;
  bool two_ = true;
  Limb single_ = Limb::kLeftHand;
  std::vector<double> pairs_;
  std::vector<double> single_h_;
  double feet_floor_ = -kInf;
  double min_foot_hold_ = 0;
};

struct Node {
  std::uint64_t key = 0;
  int parent = -1;
  int limb = -1;
  double g = 0;       // with search penalties
  double g_real = 0;  // without
};

struct OpenEntry {
  double f = 0;
  double g = 0;
  double g_real = 0;
  std::uint64_t key = 0;
  int parent = -1;  // node index; -1 for a start state
  int limb = -1;
  int to = kNone;
  bool evaluated = false;
};
struct OpenOrder {
  bool operator()(const OpenEntry& a, const OpenEntry& b) const {
    if (a.f != b.f) return a.f > b.f;
    return a.g < b.g;  // ties: deeper first
  }
};

struct StartState {
  State state;
  double cost = 0;
};

struct SearchOutcome {
  int goal = -1;         // node index
  bool limit = false;    // max_expansions reached
  bool aborted = false;  // the solve budget ran out
};

// Weights of the anytime search, in order, and the weight of the alternatives' searches.
constexpr double kWeightSchedule[] = {2.0, 1.6, 1.35, 1.2, 1.1, 1.0};
constexpr double kAlternativeWeight = 2.0;
// Share of the solve budget the best beta may use; the alternatives get the rest. The first
// search (weight 2) may go on to kFirstSearchShare × the budget, to find a beta or prove there is
// none; past that it gives up with NoBeta "search_limit".
constexpr double kBestShare = 0.6;
constexpr double kFirstSearchShare = 1.5;
constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

class Planner {
 public:
  Planner(const Route& route, const BodyModel& body, const PlanOptions& options, PlanStats* stats)
      : options_(options),
        space_(route, body, options.weights, stats),
        heuristic_(space_),
        stats_(stats),
        eps_(kWeightSchedule[0]) {}

  Plan Run() {
    Plan plan;
    std::vector<int> starts_hands, starts_feet;
    if (auto nb = StartHolds(&starts_hands, &starts_feet)) {
      plan.no_beta = nb;
      return plan;
    }
    bool any_top = false;
    for (int i = 0; i < space_.holds(); ++i) any_top = any_top || space_.Top(i);
    if (!any_top) {
      plan.no_beta = NoBeta{"no_top_hold", "no selected hold has the role top", {}, {}, {}, 0};
      return plan;
    }
    starts_ = StartStates(starts_hands, starts_feet);
    if (starts_.empty()) {
      plan.no_beta = StartBlocked(starts_hands);
      return plan;
    }
    // The best beta: weighted A* with a decreasing weight while the solve budget lasts
    // (anytime); each completed search bounds the cost found by its weight × the optimum.
    // Stance and move solves are cached across searches, so later searches mostly re-read.
    const std::set<std::pair<int, int>> none;
    std::optional<Beta> best;
    for (std::size_t i = 0; i < std::size(kWeightSchedule); ++i) {
      eps_ = kWeightSchedule[i];
      const bool first = i == 0;
      solve_limit_ = static_cast<std::size_t>(options_.solve_budget *
                                              (first ? kFirstSearchShare : kBestShare));
      if (!first && Solves() >= solve_limit_) break;
      const SearchOutcome out = Search(none);
      if (out.goal < 0 && (first || !out.aborted)) {
        // Only the first search can end without a goal (the others would find the same one):
        // no beta exists, or none was found within the budget.
        plan.no_beta = out.limit || out.aborted ? SearchLimit() : Blocked();
        return plan;
      }
      if (out.aborted) break;
      Beta beta = Reconstruct(out.goal);
      if (!best || beta.cost < best->cost - 1e-9) best = std::move(beta);
      plan.stats.suboptimality_bound = eps_;
      if (eps_ <= 1.0) break;
    }
    plan.betas.push_back(std::move(*best));
    // Alternatives: the same search with a penalty on every hand placement of the betas found,
    // kept when their hands go differently.
    const auto hand_sequence = [](const Beta& beta) {
      std::vector<std::pair<int, int>> hands;
      for (const BetaMove& m : beta.moves) {
        if (IsHand(m.limb)) hands.push_back({Index(m.limb), static_cast<int>(m.to.hold)});
      }
      return hands;
    };
    std::set<std::pair<int, int>> penalised;
    std::vector<std::vector<std::pair<int, int>>> sequences = {hand_sequence(plan.betas[0])};
    for (const auto& h : sequences[0]) penalised.insert(h);
    const int wanted = std::clamp(options_.alternatives, 0, 2);
    eps_ = kAlternativeWeight;
    solve_limit_ = options_.solve_budget;
    for (int attempt = 0; attempt < 2 * wanted && static_cast<int>(plan.betas.size()) <= wanted;
         ++attempt) {
      const SearchOutcome out = Search(penalised);
      if (out.goal < 0) break;
      Beta beta = Reconstruct(out.goal);
      auto hands = hand_sequence(beta);
      for (const auto& h : hands) penalised.insert(h);
      if (std::find(sequences.begin(), sequences.end(), hands) != sequences.end()) continue;
      sequences.push_back(std::move(hands));
      plan.betas.push_back(std::move(beta));
    }
    // The cheapest first: a penalised search can find a cheaper beta than a weighted one.
    std::stable_sort(plan.betas.begin(), plan.betas.end(),
                     [](const Beta& a, const Beta& b) { return a.cost < b.cost; });
    return plan;
  }

 private:
  const Route& route() const { return space_.route(); }
  const BodyModel& body() const { return space_.body(); }
  const CostWeights& w() const { return options_.weights; }

  std::string HoldName(std::size_t i) const { return "hold " + route().holds[i].id; }

  // The hand start holds (left first) and the foot start holds; a NoBeta when there is none.
  std::optional<NoBeta> StartHolds(std::vector<int>* hands, std::vector<int>* feet) const {
    std::vector<int> starts;
    for (int i = 0; i < space_.holds(); ++i) {
      const Hold& h = route().holds[i];
      if (h.selected && h.role == HoldRole::kStart) starts.push_back(i);
    }
    if (starts.empty()) {
      return NoBeta{"no_start_hold", "no selected hold has the role start", {}, {}, {}, 0};
    }
    std::stable_sort(starts.begin(), starts.end(), [&](int a, int b) {
      return route().holds[a].centre.y > route().holds[b].centre.y;
    });
    // The highest start hold takes a hand; the next one the other hand when it is less than
    // kHandStartDrop lower; lower start holds are for the feet.
    hands->push_back(starts[0]);
    std::size_t next = 1;
    if (!space_.OneArmed() && starts.size() > 1 &&
        route().holds[starts[0]].centre.y - route().holds[starts[1]].centre.y <
            kHandStartDrop * body().height) {
      hands->push_back(starts[1]);
      next = 2;
    }
    for (std::size_t i = next; i < starts.size() && feet->size() < 2; ++i) {
      feet->push_back(starts[i]);
    }
    const auto by_x = [&](int a, int b) {
      return route().holds[a].centre.x < route().holds[b].centre.x;
    };
    std::sort(hands->begin(), hands->end(), by_x);
    std::sort(feet->begin(), feet->end(), by_x);
    return std::nullopt;
  }

  // Every feasible start: hands on the start holds, feet on any foothold or smear in reach.
  std::vector<StartState> StartStates(const std::vector<int>& hands, const std::vector<int>& feet) {
    const BodyModel& b = body();
    State base{kNone, kNone, kNone, kNone};
    if (space_.OneArmed()) {
      const Limb hand = b.Available(Limb::kLeftHand) ? Limb::kLeftHand : Limb::kRightHand;
      base[Index(hand)] = hands[0];
    } else {
      base[0] = hands[0];
      base[1] = hands.size() > 1 ? hands[1] : hands[0];
    }
    // Candidate toes: footholds within the body's span of the start hands, and two smears
    // under the hips of a body hanging from them.
    std::vector<int> candidates;
    const Vec2 hand_mid = 0.5 * (space_.CodePoint(hands.front()) + space_.CodePoint(hands.back()));
    const double span = b.MaxReach(Limb::kLeftHand) + b.trunk + b.MaxReach(Limb::kLeftFoot) +
                        b.ankle_height + (b.shoulder_width + b.hip_width) / 2;
    double lowest_hand = kInf;
    for (int h : hands) lowest_hand = std::min(lowest_hand, space_.CodePoint(h).y);
    const double feet_top = lowest_hand - kStartFeetBelowHands * b.MaxReach(Limb::kLeftFoot);
    for (int i = 0; i < space_.holds(); ++i) {
      if (space_.FootOk(i) && Length(space_.CodePoint(i) - hand_mid) <= span &&
          space_.CodePoint(i).y <= feet_top) {
        candidates.push_back(i);
      }
    }
    for (int f : feet) {
      if (std::find(candidates.begin(), candidates.end(), f) == candidates.end()) {
        candidates.push_back(f);
      }
    }
    const Vec2 pelvis = hand_mid - Vec2{0, 0.8 * b.MaxReach(Limb::kLeftHand) + b.trunk};
    for (double lift : {0.85, 0.6}) {
      for (double side : {-1.0, 1.0}) {
        const Vec2 toe = pelvis + Vec2{side * (b.hip_width / 2 + 0.04 * b.height),
                                       -lift * b.MaxReach(Limb::kLeftFoot) - b.ankle_height};
        const int code = space_.SmearCode(toe);
        if (code != kNone) candidates.push_back(code);
      }
    }
    std::vector<StartState> out;
    const bool left_leg = b.Available(Limb::kLeftFoot), right_leg = b.Available(Limb::kRightFoot);
    std::vector<int> lefts = left_leg ? candidates : std::vector<int>{kNone};
    std::vector<int> rights = right_leg ? candidates : std::vector<int>{kNone};
    if (feet.size() == 2) {
      if (left_leg) lefts = {feet[0]};
      if (right_leg) rights = {feet[1]};
    }
    for (int lf : lefts) {
      for (int rf : rights) {
        if (feet.size() == 1 && lf != feet[0] && rf != feet[0]) continue;
        State s = base;
        s[2] = lf;
        s[3] = rf;
        if (lf != kNone && lf == rf && space_.IsSmear(lf)) continue;
        if (!space_.QuickFeasible(s)) continue;
        const auto& st = space_.Stance(s);
        if (!st) continue;
        double cost = w().strain * st->strain + w().stability * st->balance +
                      w().crossing * space_.Crossing(s) + space_.MatchCost(s);
        for (int f = 2; f < 4; ++f) {
          if (s[f] != kNone) cost += w().foot_factor * space_.HoldTerm(kLimbs[f], s[f]);
        }
        out.push_back({s, cost});
      }
    }
    return out;
  }

  std::size_t Solves() const { return stats_->edges_evaluated + stats_->stances_solved; }

  bool Goal(const State& s) const {
    for (Limb hand : {Limb::kLeftHand, Limb::kRightHand}) {
      if (body().Available(hand) && !space_.Top(s[Index(hand)])) return false;
    }
    return true;
  }

  SearchOutcome Search(const std::set<std::pair<int, int>>& penalised) {
    std::priority_queue<OpenEntry, std::vector<OpenEntry>, OpenOrder> open;
    for (const StartState& st : starts_) {
      const double h = heuristic_(st.state);
      if (h == kInf) continue;
      open.push({st.cost + eps_ * h, st.cost, st.cost, Key(st.state), -1, -1, kNone, true});
    }
    SearchOutcome out;
    std::size_t expanded = 0;
    nodes_.clear();
    closed_.clear();
    while (!open.empty()) {
      OpenEntry e = open.top();
      open.pop();
      if (closed_.count(e.key)) continue;
      if (Solves() > solve_limit_) {
        out.aborted = true;
        break;
      }
      const State s = FromKey(e.key);
      if (!e.evaluated) {
        const State parent = FromKey(nodes_[e.parent].key);
        const Limb limb = kLimbs[e.limb];
        const auto& edge = space_.Edge(parent, limb, e.to);
        if (!edge) continue;
        const auto& st = space_.Stance(s);
        if (!st) continue;
        const double extra = w().stability * edge->balance + w().strain * edge->strain +
                             w().crossing * space_.Crossing(s);
        e.g += extra;
        e.g_real += extra;
        e.f = e.g + eps_ * heuristic_(s);
        e.evaluated = true;
        open.push(e);
        continue;
      }
      const int id = static_cast<int>(nodes_.size());
      nodes_.push_back({e.key, e.parent, e.limb, e.g, e.g_real});
      closed_.emplace(e.key, id);
      if (Goal(s)) {
        out.goal = id;
        break;
      }
      if (++expanded > options_.max_expansions) {
        out.limit = true;
        break;
      }
      ++stats_->expanded;
      Expand(id, s, penalised, &open);
    }
    return out;
  }

  void Expand(int id, const State& s, const std::set<std::pair<int, int>>& penalised,
              std::priority_queue<OpenEntry, std::vector<OpenEntry>, OpenOrder>* open) {
    const Node node = nodes_[id];
    const auto& stance = space_.Stance(s);
    for (Limb limb : kLimbs) {
      const int li = Index(limb);
      if (!body().Available(limb)) continue;
      targets_ = IsHand(limb) ? space_.hand_holds() : space_.foot_holds();
      std::vector<int>& targets = targets_;
      if (!IsHand(limb) && stance) {
        // A smear where the foot would hang naturally from this stance.
        const Vec2 hip = LimbRoot(body(), stance->torso, limb);
        const double side = limb == Limb::kLeftFoot ? -1 : 1;
        const Vec2 toe = hip + Vec2{side * 0.04 * body().height,
                                    -0.8 * body().MaxReach(limb) - body().ankle_height};
        const int code = space_.SmearCode(toe);
        if (code != kNone) targets.push_back(code);
      }
      for (int to : targets) {
        if (to == s[li]) continue;
        State next = s;
        next[li] = to;
        const std::uint64_t key = Key(next);
        if (closed_.count(key)) continue;
        if (!space_.QuickFeasible(next)) continue;
        const double h = heuristic_(next);
        if (h == kInf) continue;
        const double base = space_.BaseCost(limb, s[li], to) + space_.MatchOnArrival(next, limb);
        const double penalty = IsHand(limb) && penalised.count({li, to}) ? w().alternative : 0.0;
        const double g = node.g + base + penalty;
        open->push({g + eps_ * h, g, node.g_real + base, key, id, li, to, false});
      }
    }
  }

  Contact MakeContact(const State& s, Limb limb) const {
    Contact c;
    const int code = s[Index(limb)];
    if (code == kNone) return c;
    c.point = space_.EndPoint(s, limb);
    if (space_.IsSmear(code)) {
      c.kind = Contact::Kind::kSmear;
    } else {
      c.kind = Contact::Kind::kHold;
      c.hold = static_cast<std::size_t>(code);
    }
    return c;
  }

  BetaState MakeState(const State& s) const {
    BetaState bs;
    for (Limb limb : kLimbs) bs.contacts[Index(limb)] = MakeContact(s, limb);
    return bs;
  }

  Beta Reconstruct(int goal) {
    std::vector<int> chain;
    for (int id = goal; id >= 0; id = nodes_[id].parent) chain.push_back(id);
    std::reverse(chain.begin(), chain.end());
    Beta beta;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      const Node& n = nodes_[chain[i]];
      const State s = FromKey(n.key);
      beta.states.push_back(MakeState(s));
      if (i == 0) continue;
      const Node& p = nodes_[chain[i - 1]];
      const State ps = FromKey(p.key);
      BetaMove m;
      m.limb = kLimbs[n.limb];
      m.from = MakeContact(ps, m.limb);
      m.to = MakeContact(s, m.limb);
      m.distance = Length(space_.CodePoint(s[n.limb]) - space_.CodePoint(ps[n.limb]));
      m.cost = n.g_real - p.g_real;
      if (const auto& edge = space_.Edge(ps, m.limb, s[n.limb])) {
        m.strain = edge->strain;
        m.balance = edge->balance;
      }
      beta.moves.push_back(m);
    }
    beta.cost = nodes_[goal].g_real;
    return beta;
  }

  // No beta found within the work limits: says so, with the closest miss among the positions
  // explored (not proven to be the block).
  NoBeta SearchLimit() {
    NoBeta nb = Blocked();
    nb.message = "no beta found within the search's work limit; the closest miss: " + nb.message;
    nb.code = "search_limit";
    return nb;
  }

  // Why the start cannot be held: start holds too far apart, or no foothold in reach.
  NoBeta StartBlocked(const std::vector<int>& hands) {
    const BodyModel& b = body();
    if (hands.size() == 2) {
      const double apart = Length(space_.CodePoint(hands[0]) - space_.CodePoint(hands[1]));
      const double limit = 2 * b.MaxReach(Limb::kLeftHand) + b.shoulder_width;
      if (apart > limit) {
        NoBeta nb{"start_out_of_reach", "", Limb::kRightHand, hands[0], hands[1], apart - limit};
        nb.message = "the start holds " + route().holds[hands[0]].id + " and " +
                     route().holds[hands[1]].id + " are " + Cm(apart - limit) +
                     " further apart than the arms reach";
        return nb;
      }
    }
    // The nearest foothold for either foot while the hands hang on the start holds.
    State hang{kNone, kNone, kNone, kNone};
    if (space_.OneArmed()) {
      hang[b.Available(Limb::kLeftHand) ? 0 : 1] = hands[0];
    } else {
      hang[0] = hands[0];
      hang[1] = hands.back();
    }
    NoBeta nb{"start_out_of_reach", "", {}, hands[0], {}, kInf};
    for (Limb foot : {Limb::kLeftFoot, Limb::kRightFoot}) {
      if (!b.Available(foot)) continue;
      for (int i = 0; i < space_.holds(); ++i) {
        if (!space_.FootOk(i)) continue;
        const auto gap =
            ReachShortfall(b, space_.Ends(hang), SupportRule::kVertical, foot, space_.CodePoint(i));
        if (gap && *gap < nb.beyond_reach) {
          nb.beyond_reach = *gap;
          nb.limb = foot;
          nb.to_hold = i;
        }
      }
    }
    if (!nb.to_hold) {
      nb.beyond_reach = 0;
      nb.message = "the body cannot hang from the start holds";
      return nb;
    }
    nb.beyond_reach = std::max(0.0, nb.beyond_reach);
    nb.message = "from the start holds, the nearest foothold (" + HoldName(*nb.to_hold) + ") is " +
                 Cm(nb.beyond_reach) + " beyond the " + LimbWords(*nb.limb) + "'s reach";
    if (nb.beyond_reach <= 0) {
      nb.code = "no_balance";
      nb.message = "the body cannot stay balanced on the start holds";
    }
    return nb;
  }

  // After a failed search: the hand move towards the top that misses by the least, over the
  // positions reached that are nearest the top (by the relaxed cost to go).
  NoBeta Blocked() {
    const BodyModel& b = body();
    std::vector<State> frontier;
    for (const Node& n : nodes_) frontier.push_back(FromKey(n.key));
    if (frontier.empty()) {
      for (const StartState& s : starts_) frontier.push_back(s.state);
    }
    // Progress of a state: the relaxed cost to the top of its hand nearest to it.
    const auto remaining = [&](const State& s) {
      double r = kInf;
      for (int h = 0; h < 2; ++h) {
        if (s[h] != kNone) r = std::min(r, heuristic_.Remaining(s[h]));
      }
      return r;
    };
    std::unordered_set<int> reached;
    for (const State& s : frontier) {
      for (int h = 0; h < 2; ++h) {
        if (s[h] != kNone) reached.insert(s[h]);
      }
    }
    std::stable_sort(frontier.begin(), frontier.end(),
                     [&](const State& a, const State& c) { return remaining(a) < remaining(c); });
    if (frontier.size() > 40) frontier.resize(40);
    NoBeta best{"gap_beyond_reach", "", {}, {}, {}, kInf};
    for (const State& s : frontier) {
      const double r = remaining(s);
      for (Limb hand : {Limb::kLeftHand, Limb::kRightHand}) {
        if (!b.Available(hand)) continue;
        const int from = s[Index(hand)];
        std::vector<int> targets;
        for (int i = 0; i < space_.holds(); ++i) {
          if (!space_.HandOk(i) || i == from) continue;
          const bool closer = heuristic_.Remaining(i) < r - 1e-9 && !reached.count(i);
          if (closer || space_.Top(i)) targets.push_back(i);
        }
        std::sort(targets.begin(), targets.end(), [&](int a, int c) {
          return Length(space_.CodePoint(a) - space_.CodePoint(from)) <
                 Length(space_.CodePoint(c) - space_.CodePoint(from));
        });
        if (targets.size() > 8) targets.resize(8);
        for (int t : targets) {
          State next = s;
          next[Index(hand)] = t;
          const auto gap = ReachShortfall(b, space_.Ends(s), SupportRule::kVertical, hand,
                                          space_.EndPoint(next, hand));
          if (gap && *gap < best.beyond_reach) {
            best.beyond_reach = *gap;
            best.limb = hand;
            best.from_hold = from;
            best.to_hold = t;
          }
        }
      }
    }
    if (!best.to_hold) {
      best.code = "no_balance";
      best.beyond_reach = 0;
      best.message = "no position reached lets a hand move towards the top";
      return best;
    }
    if (best.beyond_reach <= 0) {
      best.code = "no_balance";
      best.beyond_reach = 0;
      best.message = "the " + LimbWords(*best.limb) + " reaches from " + HoldName(*best.from_hold) +
                     " to " + HoldName(*best.to_hold) + " but the body cannot stay supported there";
      return best;
    }
    best.message = "the gap from " + HoldName(*best.from_hold) + " to " + HoldName(*best.to_hold) +
                   " is " + Cm(best.beyond_reach) + " beyond the " + LimbWords(*best.limb) +
                   "'s reach";
    return best;
  }

  static std::string Cm(double metres) {
    return std::to_string(static_cast<long>(std::lround(metres * 100))) + " cm";
  }
  static std::string LimbWords(Limb limb) {
    std::string s = LimbName(limb);
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
  }

  const PlanOptions& options_;
  Space space_;
  HandHeuristic heuristic_;
  PlanStats* stats_;
  double eps_;
  std::size_t solve_limit_ = kUnlimited;
  std::vector<int> targets_;  // scratch for Expand
  std::vector<StartState> starts_;
  std::vector<Node> nodes_;
  std::unordered_map<std::uint64_t, int> closed_;
};

}  // namespace

Result<Beta> ScoreBeta(const Route& route, const BodyModel& body,
                       const std::vector<std::array<int, kLimbCount>>& states,
                       const CostWeights& weights) {
  if (Status st = ValidateRoute(route); !st.ok()) return st;
  if (states.empty()) return InvalidArgument("no states");
  PlanStats stats;
  Space space(route, body, weights, &stats);
  const int n = static_cast<int>(route.holds.size());
  Beta beta;
  for (std::size_t k = 0; k < states.size(); ++k) {
    const State& s = states[k];
    for (int code : s) {
      if (code < kNone || code >= n) return InvalidArgument("a hold index is out of range");
    }
    const std::string where = "state " + std::to_string(k);
    if (!space.QuickFeasible(s)) return FailedPrecondition(where + " breaks a reach limit");
    const auto& st = space.Stance(s);
    if (!st) return FailedPrecondition(where + " cannot be held");
    BetaState bs;
    for (Limb limb : kLimbs) {
      Contact c;
      if (s[Index(limb)] != kNone) {
        c.kind = Contact::Kind::kHold;
        c.hold = static_cast<std::size_t>(s[Index(limb)]);
        c.point = space.EndPoint(s, limb);
      }
      bs.contacts[Index(limb)] = c;
    }
    if (k == 0) {
      beta.cost = weights.strain * st->strain + weights.stability * st->balance +
                  weights.crossing * space.Crossing(s) + space.MatchCost(s);
      for (int f = 2; f < 4; ++f) {
        if (s[f] != kNone) beta.cost += weights.foot_factor * space.HoldTerm(kLimbs[f], s[f]);
      }
      beta.states.push_back(bs);
      continue;
    }
    const State& p = states[k - 1];
    int changed = -1;
    for (int i = 0; i < kLimbCount; ++i) {
      if (p[i] != s[i]) changed = changed == -1 ? i : -2;
    }
    if (changed < 0) return InvalidArgument(where + " does not move exactly one limb");
    const Limb limb = kLimbs[changed];
    const auto& edge = space.Edge(p, limb, s[changed]);
    if (!edge) return FailedPrecondition("the move into " + where + " cannot be made");
    BetaMove m;
    m.limb = limb;
    m.from = beta.states.back().contacts[changed];
    m.to = bs.contacts[changed];
    m.distance = Length(space.CodePoint(s[changed]) - space.CodePoint(p[changed]));
    m.strain = edge->strain;
    m.balance = edge->balance;
    m.cost = space.BaseCost(limb, p[changed], s[changed]) + space.MatchOnArrival(s, limb) +
             weights.stability * edge->balance + weights.strain * edge->strain +
             weights.crossing * space.Crossing(s);
    beta.cost += m.cost;
    beta.moves.push_back(m);
    beta.states.push_back(bs);
  }
  return beta;
}

Result<Plan> PlanBeta(const Route& route, const BodyModel& body, const PlanOptions& options) {
  if (Status st = ValidateRoute(route); !st.ok()) return st;
  if (route.holds.size() > kMaxHolds) {
    return InvalidArgument("a route may have at most " + std::to_string(kMaxHolds) + " holds");
  }
  PlanStats stats;
  Planner planner(route, body, options, &stats);
  Plan plan = planner.Run();
  const double bound = plan.stats.suboptimality_bound;
  plan.stats = stats;
  plan.stats.suboptimality_bound = bound;
  return plan;
}

}  // namespace ascension::ghost
