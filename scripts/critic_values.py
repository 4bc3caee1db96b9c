#!/usr/bin/env python3
"""The numbers of docs/results/paper.md's "What ddpg's critic does in this regime", from the committed records:
per seed, ddpg with the clip off (docs/results/paper/runs, 100k env steps) against td3 with the clip off at the
same step (the imitation benchmark's runs of the same seeds): the critic's mean and largest Q over the row's
updates, the mean learning reward, the critic's gradient norm (that row's and the largest up to it), and the final
and best normalised evaluation returns up to that step.

    scripts/critic_values.py Hopper-v5 Walker2d-v5 HalfCheetah-v5
"""
import math
import sys

from clip_auto_stats import ROOT, evals, rows

STEP = 100_000
RUNS = {
    "ddpg": ROOT / "paper" / "runs" / "algo-ddpg_clip-off_env-{env}_seed-{seed}",
    "td3": ROOT / "imitation-benchmark" / "runs" / "algo-td3_demo_subsample-20_env-{env}_seed-{seed}",
}


def number(text):
    return float(text) if text else math.nan


def line(algo, env, seed):
    rs = [r for r in rows(type(ROOT)(str(RUNS[algo]).format(env=env, seed=seed))) if int(r["step"]) <= STEP]
    last = rs[-1]
    norms = [g for g in (number(r["grad_norm_critic"]) for r in rs) if not math.isnan(g)]
    ev = [v for _, v in evals(rs)]
    cells = [algo, seed, last["step"], f"{number(last['q_mean']):.0f}", f"{number(last['q_max']):.0f}",
             f"{number(last['reward_mean']):.2f}", f"{norms[-1]:,.0f}", f"{max(norms):,.0f}", f"{ev[-1]:.2f}",
             f"{max(ev):.2f}"]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(envs):
    for env in envs:
        print(f"\n{env}\n")
        print("| learner | seed | step | Q mean | Q max | learning reward mean | critic grad norm | largest so far"
              " | final | best |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for algo in RUNS:
            for seed in (1, 2, 3):
                print(line(algo, env, seed))


if __name__ == "__main__":
    main(sys.argv[1:] or ["Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"])
