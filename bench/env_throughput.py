"""Environment throughput: credo vs the raw MuJoCo physics vs Gymnasium's Python step, in one run.

    ~/.cache/credo/venv/bin/python bench/env_throughput.py [--steps N] [--repeats R] [--threads T]

Runs build/bench/env_throughput (credo and raw physics, vector env on 1 and T threads) and times Gymnasium's
`gym.make(id).step` the same way (step calls only, resets excluded, random actions in the bounds), then prints a
Markdown table of steps per second with the ratios the project's goals are stated in.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import gymnasium as gym
import mujoco
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def gym_steps_per_second(env_id: str, steps: int, seed: int) -> float:
    env = gym.make(env_id)
    env.reset(seed=seed)
    env.action_space.seed(seed)
    spent = 0.0
    for _ in range(steps):
        action = env.action_space.sample()
        start = time.perf_counter()
        _, _, terminated, truncated, _ = env.step(action)
        spent += time.perf_counter() - start
        if terminated or truncated:
            env.reset()
    return steps / spent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--vector-envs", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    if args.json:
        args.json = args.json.resolve()
    # Python MuJoCo appends its warnings to MUJOCO_LOG.TXT in the working folder: keep that out of the checkout.
    os.chdir(tempfile.mkdtemp(prefix="credo-bench-"))
    ids = ["Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"]

    binary = ROOT / "build" / "bench" / "env_throughput"
    cpp = json.loads(subprocess.run(
        [str(binary), "--steps", str(args.steps), "--repeats", str(args.repeats), "--threads", str(args.threads),
         "--vector-envs", str(args.vector_envs), *ids], check=True, capture_output=True, text=True).stdout)
    rows = []
    for env_id in ids:
        gym_sps = statistics.median(gym_steps_per_second(env_id, args.steps, r) for r in range(args.repeats))
        c = cpp["results"][env_id]
        rows.append({"env": env_id, "gymnasium_step_per_s": gym_sps, **c,
                     "raw_over_credo_time": c["raw_physics_step_per_s"] / c["credo_step_per_s"],
                     "credo_over_gym_speed": c["credo_step_per_s"] / gym_sps,
                     "vector_speedup": c["vector_n_threads_step_per_s"] / c["vector_1_thread_step_per_s"]})

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {cpu}, {os.cpu_count()} cores; {platform.platform()}; mujoco {mujoco.__version__}, "
          f"gymnasium {gym.__version__}, numpy {np.__version__}")
    print(f"steps per measurement {args.steps}, median of {args.repeats}; vector: {args.vector_envs} envs, "
          f"1 vs {args.threads} threads\n")
    print("| env | raw physics steps/s | credo steps/s | credo step time / raw | Gymnasium steps/s | "
          "credo / Gymnasium | vector 1 thread | vector %d threads | vector speed-up |" % args.threads)
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['env']} | {r['raw_physics_step_per_s']:,.0f} | {r['credo_step_per_s']:,.0f} | "
              f"{r['raw_over_credo_time']:.3f}x | {r['gymnasium_step_per_s']:,.0f} | {r['credo_over_gym_speed']:.2f}x | "
              f"{r['vector_1_thread_step_per_s']:,.0f} | {r['vector_n_threads_step_per_s']:,.0f} | "
              f"{r['vector_speedup']:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps({"cpp": cpp, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
