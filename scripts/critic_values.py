#!/usr/bin/env python3
"""The numbers of docs/results/paper.md's "What ddpg's critic does in this regime", from the committed records:
per seed, ddpg with the clip off (docs/results/paper/runs, 100k env steps) against td3 with the clip off at the
same step (the imitation benchmark's runs of the same seeds): the critic's mean Q in that row and its largest Q up
to it, the row's mean learning reward, the critic's gradient norm (the row's mean over its updates, and the largest
such row up to it), the largest single update's norm and the explosion events over the whole run (summary.json:
100k steps for ddpg, 300k for td3), and the final and best normalised evaluation returns up to that step.

    scripts/critic_values.py Hopper-v5 Walker2d-v5 HalfCheetah-v5
"""
import json
import math
import sys

from clip_auto_stats import ROOT, evals, rows

STEP = 100_000
RUNS = {  # run folders under docs/results
    "ddpg": "paper/runs/algo-ddpg_clip-off_env-{env}_seed-{seed}",
    "td3": "imitation-benchmark/runs/algo-td3_demo_subsample-20_env-{env}_seed-{seed}",
}


def number(text):
    return float(text) if text else math.nan


def line(algo, env, seed):
    run = ROOT / RUNS[algo].format(env=env, seed=seed)
    rs = [r for r in rows(run) if int(r["step"]) <= STEP]
    summary = json.loads((run / "summary.json").read_text())
    last = rs[-1]
    norms = [g for g in (number(r["grad_norm_critic"]) for r in rs) if not math.isnan(g)]
    ev = [v for _, v in evals(rs)]
    q_max = max(number(r["q_max"]) for r in rs if r["q_max"])
    cells = [algo, seed, last["step"], f"{number(last['q_mean']):.0f}", f"{q_max:,.0f}",
             f"{number(last['reward_mean']):.2f}", f"{norms[-1]:,.0f}", f"{max(norms):,.0f}",
             f"{summary['max_grad_norm_critic']:,.0f}", summary["explosion_count"], f"{ev[-1]:.2f}", f"{max(ev):.2f}"]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(envs):
    for env in envs:
        print(f"\n{env}\n")
        print("| learner | seed | step | Q mean | largest Q so far | learning reward mean | critic grad norm (row)"
              " | largest row so far | largest update (run) | explosion events (run) | final | best |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for algo in RUNS:
            for seed in (1, 2, 3):
                print(line(algo, env, seed))


if __name__ == "__main__":
    main(sys.argv[1:] or ["Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"])
