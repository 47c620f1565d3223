// Timing of the beta planner and the ghost on synthetic walls (ghost/synthetic_routes.hpp):
// per route size, the planner's thread CPU time and wall time (median of interleaved runs over
// several walls), the work counted by the planner, the cost found and its bound; then the cost
// found against the solve budget on the 60-hold wall.
//   usage: ghost_bench [RUNS]
// Prints Markdown tables (docs/benchmarks.md). Thread CPU time is the planner's own work even
// when other processes share the cores; for a load-independent figure run it under
// valgrind --tool=callgrind and read the instruction count.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ghost/animation.hpp"
#include "ghost/planner.hpp"
#include "ghost/synthetic_routes.hpp"

namespace {

using namespace ascension::ghost;

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double WallMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Max(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  ClimberProfile profile;
  profile.height_cm = 175;
  const BodyModel body = *MakeBodyModel(profile);
  constexpr unsigned kSeeds[] = {1, 2, 3, 4, 5};
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf(
      "load average at start: %.2f; %d runs per wall, walls of seeds 1-5, climber 175 cm\n\n",
      load[0], runs);
  std::printf(
      "| holds | plan CPU median | plan CPU max | wall median | ghost CPU median | "
      "expanded | solves | betas | bound | no beta |\n|---|---|---|---|---|---|---|---|---|---|\n");
  for (int holds : {20, 40, 60, 80}) {
    std::vector<double> cpu, wall, ghost_cpu, expanded, solves, betas, bound;
    int none = 0;
    for (int run = 0; run < runs; ++run) {
      for (unsigned seed : kSeeds) {  // interleaved: each run visits every wall once
        const Route route = testing::RandomWall(holds, seed);
        const double c0 = ThreadCpuMs(), w0 = WallMs();
        auto plan = PlanBeta(route, body);
        cpu.push_back(ThreadCpuMs() - c0);
        wall.push_back(WallMs() - w0);
        if (!plan.ok() || plan->no_beta) {
          ++none;
          continue;
        }
        const double g0 = ThreadCpuMs();
        auto ghost = AnimateBeta(body, plan->betas.front());
        ghost_cpu.push_back(ThreadCpuMs() - g0);
        if (!ghost.ok()) return 1;
        expanded.push_back(static_cast<double>(plan->stats.expanded));
        solves.push_back(
            static_cast<double>(plan->stats.edges_evaluated + plan->stats.stances_solved));
        betas.push_back(static_cast<double>(plan->betas.size()));
        bound.push_back(plan->stats.suboptimality_bound);
      }
    }
    std::printf(
        "| %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f | %.0f | %.0f | %.2f | %d/%zu |\n",
        holds, Median(cpu), Max(cpu), Median(wall), Median(ghost_cpu), Median(expanded),
        Median(solves), Median(betas), Median(bound), none, cpu.size());
  }
  std::printf(
      "\n| solve budget | plan CPU median (60 holds) | best cost median | bound median |\n"
      "|---|---|---|---|\n");
  for (std::size_t budget : {10000u, 20000u, 40000u, 80000u, 160000u}) {
    std::vector<double> cpu, cost, bound;
    for (unsigned seed : kSeeds) {
      const Route route = testing::RandomWall(60, seed);
      PlanOptions options;
      options.solve_budget = budget;
      const double c0 = ThreadCpuMs();
      auto plan = PlanBeta(route, body, options);
      cpu.push_back(ThreadCpuMs() - c0);
      if (plan.ok() && !plan->no_beta) {
        cost.push_back(plan->betas.front().cost);
        bound.push_back(plan->stats.suboptimality_bound);
      }
    }
    std::printf("| %zu | %.0f ms | %.2f | %.2f |\n", budget, Median(cpu), Median(cost),
                Median(bound));
  }
  return 0;
}
