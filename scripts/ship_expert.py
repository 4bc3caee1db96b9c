#!/usr/bin/env python3
"""Ships a trained policy as an expert: copies it into experts/, evaluates it with `credo eval` over 20 episodes
on seeds the run never used, and records it in experts/manifest.json (env, algo, seed, steps, resolved config,
evaluation, and the commands that reproduce it).

    scripts/ship_expert.py RUN_DIR [--policy best|final] [--name NAME] [--episodes 20] [--seed 2000000]

Run it with credo's venv Python (it reads the run's config.toml with tomllib).
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPERTS = ROOT / "experts"


def fail(message):
    print(f"ship_expert: error: {message}", file=sys.stderr)
    sys.exit(2)


def policy_step(run_dir: Path, which: str, summary: dict) -> int:
    """The training step the shipped policy comes from: the last step, or the step of the best evaluation."""
    if which == "final":
        return int(summary["steps"])
    with open(run_dir / "metrics.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["eval_return"]]
    best = max(rows, key=lambda r: float(r["eval_return"]))
    return int(best["step"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--policy", choices=["best", "final"], default="final")
    parser.add_argument("--name", help="file name under experts/ (default: ALGO-ENV.pt, lower case)")
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2_000_000,
                        help="first evaluation seed (training used seed..., its evaluations seed + 1e6 + k)")
    parser.add_argument("--credo", type=Path, default=ROOT / "build" / "credo")
    parser.add_argument("--note", default="", help="anything a reader must know (for example: resumed once)")
    args = parser.parse_args()

    run_dir = args.run_dir
    if not (run_dir / "summary.json").is_file():
        fail(f"'{run_dir}' is not a credo run folder (no summary.json)")
    summary = json.loads((run_dir / "summary.json").read_text())
    if summary["status"] != "finished" and args.policy == "final":
        fail(f"run '{run_dir}' has status '{summary['status']}'; finish it first (credo train --resume), or "
             "ship its --policy best")
    config = tomllib.loads((run_dir / "config.toml").read_text())
    source = run_dir / f"{args.policy}_policy.pt"
    if not source.is_file():
        fail(f"'{source}' does not exist")
    env_id, algo = config["env"], config["algo"]
    name = args.name or f"{algo}-{env_id}.pt".lower()

    with tempfile.TemporaryDirectory() as tmp:
        result_path = Path(tmp) / "eval.json"
        proc = subprocess.run([str(args.credo), "eval", "--policy", str(source), "--env", env_id, "--episodes",
                               str(args.episodes), "--seed", str(args.seed), "--json", str(result_path)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            fail(proc.stderr.strip())
        evaluation = json.loads(result_path.read_text())

    # The resolved config, less what the command line gives and stop_at_return = inf (off; not valid JSON).
    overrides = {k: v for k, v in config.items() if k not in ("algo", "env", "steps", "seed")
                 and not (isinstance(v, float) and v == float("inf"))}
    EXPERTS.mkdir(exist_ok=True)
    shutil.copyfile(source, EXPERTS / name)
    manifest_path = EXPERTS / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"experts": []}
    step = policy_step(run_dir, args.policy, summary)
    # SAC's updates do not depend on the step budget, so a run of `step` steps ends with the best policy's weights
    # (its final_policy.pt); for a finished run's final policy that is the run's own command.
    command_steps = step if args.policy == "best" else config["steps"]
    entry = {
        "env": env_id,
        "policy": name,
        "algo": algo,
        "seed": config["seed"],
        "steps": step,
        "run_steps": summary["steps"],
        "policy_kind": f"{args.policy}_policy.pt",
        "config": overrides,
        "evaluation": {"episodes": args.episodes, "seed": args.seed, "return_mean": evaluation["return_mean"],
                       "return_std": evaluation["return_std"], "returns": evaluation["returns"]},
        "train_command": (f"credo train --algo {algo} --env {env_id} --steps {command_steps} --seed "
                          f"{config['seed']} --out runs/{Path(name).stem}"
                          + (f" stop_at_return={config['stop_at_return']}"
                             if config.get("stop_at_return", float("inf")) != float("inf") else "")),
        "eval_command": (f"credo eval --policy experts/{name} --env {env_id} --episodes {args.episodes} "
                         f"--seed {args.seed}"),
        "wall_time_s": summary["wall_time_s"],
        "credo_version": summary.get("credo_version", ""),
    }
    if args.note:
        entry["note"] = args.note
    manifest["experts"] = [e for e in manifest["experts"] if e["env"] != env_id] + [entry]
    manifest["experts"].sort(key=lambda e: e["env"])
    tmp_manifest = manifest_path.with_suffix(".json.tmp")
    tmp_manifest.write_text(json.dumps(manifest, indent=2, allow_nan=False) + "\n")
    os.replace(tmp_manifest, manifest_path)
    print(f"shipped {source} as experts/{name}: {env_id} return {evaluation['return_mean']:.1f} +- "
          f"{evaluation['return_std']:.1f} over {args.episodes} episodes")


if __name__ == "__main__":
    main()
