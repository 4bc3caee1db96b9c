#!/usr/bin/env python3
"""The numbers of docs/results/paper.md's "What ddpg's critic does in this regime", from the committed records:
per seed, ddpg with the clip off (docs/results/paper/runs, 100k env steps) against td3 with the clip off at the
same step (the imitation benchmark's runs of the same seeds): the critic's mean Q in that row and its largest Q up
to it, the row's mean learning reward, the critic's gradient norm (the row's mean over its updates, and the largest
such row up to it), the largest single update's norm and the explosion events over the whole run (summary.json:
100k steps for ddpg, 300k for td3), and the final and best normalised evaluation returns up to that step.
With --runs, the same row for each run folder given (the probes of docs/results/paper/ddpg-probe).

    scripts/critic_values.py Hopper-v5 Walker2d-v5 HalfCheetah-v5
    scripts/critic_values.py --runs docs/results/paper/ddpg-probe/*
"""
import json
import math
import re
import sys
from pathlib import Path

from clip_auto_stats import ROOT, evals, rows

STEP = 100_000
RUNS = {  # run folders under docs/results
    "ddpg": "paper/runs/algo-ddpg_clip-off_env-{env}_seed-{seed}",
    "td3": "imitation-benchmark/runs/algo-td3_demo_subsample-20_env-{env}_seed-{seed}",
}


def number(text):
    return float(text) if text else math.nan


def line(label, seed, run):
    rs = [r for r in rows(run) if int(r["step"]) <= STEP]
    summary = json.loads((run / "summary.json").read_text())
    last = rs[-1]
    norms = [g for g in (number(r["grad_norm_critic"]) for r in rs) if not math.isnan(g)]
    ev = [v for _, v in evals(rs)]
    q_max = max(number(r["q_max"]) for r in rs if r["q_max"])
    cells = [label, seed, last["step"], f"{number(last['q_mean']):.0f}", f"{q_max:,.0f}",
             f"{number(last['reward_mean']):.2f}", f"{norms[-1]:,.0f}", f"{max(norms):,.0f}",
             f"{summary['max_grad_norm_critic']:,.0f}", summary["explosion_count"], f"{ev[-1]:.2f}", f"{max(ev):.2f}"]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def header(first):
    print(f"| {first} | seed | step | Q mean | largest Q so far | learning reward mean | critic grad norm (row)"
          " | largest row so far | largest update (run) | explosion events (run) | final | best |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")


def main(envs):
    for env in envs:
        print(f"\n{env}\n")
        header("learner")
        for algo, folder in RUNS.items():
            for seed in (1, 2, 3):
                print(line(algo, seed, ROOT / folder.format(env=env, seed=seed)))


def main_runs(folders):
    header("run")
    for folder in map(Path, folders):
        config = (folder / "config.toml").read_text()
        print(line(folder.name, re.search(r"^seed = (\d+)", config, re.M).group(1), folder))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--runs"]:
        main_runs(sys.argv[2:])
    else:
        main(sys.argv[1:] or ["Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"])
