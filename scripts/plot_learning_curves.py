#!/usr/bin/env python3
"""Learning curves of credo run folders: evaluation return against environment steps, one line per run.

    scripts/plot_learning_curves.py RUN_DIR... --out curves.png [--title TEXT]

Reads each run's metrics.csv (rows with an eval_return) and summary.json (algo, env, seed). Used for the figures
in docs/results/; `credo report` (a later issue) will produce full reports with confidence bands.
"""
import argparse
import csv
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_run(folder: Path):
    summary = json.loads((folder / "summary.json").read_text())
    steps, returns = [], []
    with open(folder / "metrics.csv") as f:
        for row in csv.DictReader(f):
            if row["eval_return"]:
                steps.append(int(row["step"]))
                returns.append(float(row["eval_return"]))
    return summary, steps, returns


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for folder in args.runs:
        if not (folder / "metrics.csv").exists():
            sys.exit(f"plot_learning_curves: {folder} is not a credo run folder (no metrics.csv)")
        summary, steps, returns = read_run(folder)
        ax.plot([s / 1000 for s in steps], returns, label=f"{summary['algo']} seed {summary['seed']}")
    ax.set_xlabel("environment steps (thousands)")
    ax.set_ylabel("evaluation return (10 episodes, deterministic policy)")
    ax.set_title(args.title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=110)


if __name__ == "__main__":
    main()
