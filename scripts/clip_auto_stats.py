#!/usr/bin/env python3
"""The per-seed numbers of docs/results/paper.md's "What the adaptive clip does in this regime", from the
committed records: td3 with `--clip auto` (docs/results/paper/runs) against td3 with the clip off (the imitation
benchmark's runs of the same seeds); final and last-five normalised returns, the threshold at the end, the median
per row (from step 20k) of the largest raw reward above the threshold, steps to half the expert's return, and exact
one-sided permutation tests (difference of means, over every split of the pooled seeds) that the clip-off seeds
are higher (returns) or the adaptive-clip seeds slower (steps). Then the clip-off test's table: each seed continued
from 300k to 400k steps with the clip kept and switched off (docs/results/paper/clip-auto-intervention), final,
last-five and best return after 300k, and the mean learning reward after 300k.

    scripts/clip_auto_stats.py Hopper-v5 Walker2d-v5 HalfCheetah-v5
"""
import csv
import itertools
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "docs" / "results"


def rows(run):
    with open(run / "metrics.csv") as f:
        return list(csv.DictReader(f))


def evals(rs):
    return [(int(r["step"]), float(r["eval_return_normalized"])) for r in rs if r["eval_return_normalized"]]


def first_step(ev, share):
    return next((step for step, v in ev if v >= share), None)


def p_greater(x, y):
    """Exact one-sided p that mean(x) - mean(y) is this large by chance."""
    pooled, k = x + y, len(x)
    observed = statistics.mean(x) - statistics.mean(y)
    splits = list(itertools.combinations(range(len(pooled)), k))
    hits = 0
    for s in splits:
        a = [pooled[i] for i in s]
        b = [pooled[i] for i in range(len(pooled)) if i not in s]
        hits += statistics.mean(a) - statistics.mean(b) >= observed - 1e-12
    return hits / len(splits)


def main(envs):
    for env in envs:
        final, last5, reach = {"auto": [], "off": []}, {"auto": [], "off": []}, {"auto": [], "off": []}
        for seed in range(1, 6):
            auto = ROOT / "paper" / "runs" / f"algo-td3_clip-auto_env-{env}_seed-{seed}"
            off = ROOT / "imitation-benchmark" / "runs" / f"algo-td3_demo_subsample-20_env-{env}_seed-{seed}"
            if not (auto / "metrics.csv").exists():
                continue
            ra, ro = rows(auto), rows(off)
            line = [f"{env}, {seed}"]
            for name, rs in (("auto", ra), ("off", ro)):
                ev = evals(rs)
                final[name].append(ev[-1][1])
                last5[name].append(statistics.mean(v for _, v in ev[-5:]))
                reach[name].append(first_step(ev, 0.5))
                line.append(f"{ev[-1][1]:.3f} ({last5[name][-1]:.3f})")
            late = [r for r in ra if int(r["step"]) >= 20000 and r["clip_threshold"]]
            gap = statistics.median(float(r["reward_raw_max"]) - float(r["clip_threshold"]) for r in late)
            line += [f"{float(ra[-1]['clip_threshold']):.2f}", f"{gap:.2f}"]
            print("| " + " | ".join(line) + " |")
        n = len(final["auto"])
        mean = {k: (statistics.mean(final[k]), statistics.mean(last5[k])) for k in final}
        print(f"{env}, {n} seeds: final {mean['auto'][0]:.3f} against {mean['off'][0]:.3f}"
              f" (p = {p_greater(final['off'], final['auto']):.3f}); last five {mean['auto'][1]:.3f}"
              f" against {mean['off'][1]:.3f} (p = {p_greater(last5['off'], last5['auto']):.3f})")
        if None not in reach["auto"] + reach["off"]:
            print(f"  steps to 50%: {reach['auto']} against {reach['off']}; mean {statistics.mean(reach['auto']):.0f}"
                  f" against {statistics.mean(reach['off']):.0f} (p = {p_greater(reach['auto'], reach['off']):.3f})")


def intervention(start=300000):
    for folder in sorted((ROOT / "paper" / "clip-auto-intervention").glob("*_seed-*")):
        at_start = next(v for s, v in evals(rows(folder / "then-clip")) if s == start)  # both copies share it
        line = [folder.name.split("_seed-")[1], f"{at_start:.3f}"]
        means = []
        for copy in ("then-clip", "then-off"):
            rs = rows(folder / copy)
            ev = evals(rs)
            after = [v for s, v in ev if s > start]
            line.append(f"{ev[-1][1]:.3f} ({statistics.mean(after[-5:]):.3f}; {max(after):.3f})")
            means.append(statistics.mean(float(r["reward_mean"]) for r in rs if int(r["step"]) > start))
        reward = f"mean learning reward after {start}: kept {means[0]:.2f}, off {means[1]:.2f}"
        print("| " + " | ".join(line) + " |  " + reward)


if __name__ == "__main__":
    main(sys.argv[1:] or ["Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"])
    intervention()
