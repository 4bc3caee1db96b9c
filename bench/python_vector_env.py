"""Vector env throughput from Python: credo.make_vec against Gymnasium's SyncVectorEnv, EnvPool and credo's own
C++ VectorEnv, 16 copies on 2 threads, in one run.

    scripts/bench_venv.sh          # once: the bench venv (EnvPool, Stable-Baselines3) layered on credo's venv
    ~/.cache/credo/bench-venv/bin/python bench/python_vector_env.py [--steps N] [--repeats R]

Every side steps `--steps` env steps (steps / num_envs calls) with uniform random float32 actions drawn before the
clock starts, autoresets included (SAME_STEP for credo and Gymnasium; EnvPool resets in its own way); the C++
rate is build/bench/env_throughput's VectorEnv number (`--vector-only`: float64 actions drawn inside the loop).
Each measurement runs in a fresh process, and the sides take turns within each repeat (C++, then each Python side),
so that a slow spell of a shared machine hits them alike; medians of --repeats. A fresh process matters: importing
the mujoco package (which Gymnasium's MuJoCo envs do) installs MuJoCo's profiling timer for every model in the
process; the column "credo.make_vec, mujoco imported" measures what that costs credo. Prints a Markdown table; docs/benchmarks.md has the measured one.
"""
import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "python"))
import credo  # noqa: E402


def steps_per_second(envs, num_envs: int, calls: int, seed: int) -> float:
    envs.reset(seed=seed)
    rng = np.random.default_rng(seed)
    low, high = envs.single_action_space.low, envs.single_action_space.high
    actions = rng.uniform(low, high, size=(calls, num_envs, low.size)).astype(np.float32)
    start = time.perf_counter()
    for t in range(calls):
        envs.step(actions[t])
    return calls * num_envs / (time.perf_counter() - start)


def cpp_vector_steps_per_second(env_id: str, args) -> float:
    out = subprocess.run(
        [str(ROOT / "build" / "bench" / "env_throughput"), "--vector-only", "--steps", str(args.steps), "--repeats",
         "1", "--threads", str(args.threads), "--vector-envs", str(args.num_envs), env_id],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)["results"][env_id]["vector_n_threads_step_per_s"]


def makers(env_id: str, num_envs: int, threads: int) -> dict:
    def credo_after_mujoco():
        import mujoco  # noqa: F401

        return credo.make_vec(env_id, num_envs=num_envs, threads=threads)

    out = {
        "credo.make_vec": lambda: credo.make_vec(env_id, num_envs=num_envs, threads=threads),
        "credo.make_vec, mujoco imported": credo_after_mujoco,
        "gymnasium SyncVectorEnv": lambda: gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="sync",
                                                        vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP}),
    }
    if importlib.util.find_spec("envpool"):
        out["EnvPool"] = lambda: __import__("envpool").make_gymnasium(env_id, num_envs=num_envs, batch_size=num_envs,
                                                                      num_threads=threads)
    return out


def measure_in_fresh_process(side: str, env_id: str, args) -> float:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "python_vector_env.py"), "--measure", side, env_id, "--steps", str(args.steps),
                          "--num-envs", str(args.num_envs), "--threads", str(args.threads)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=64000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--num-envs", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--measure", nargs=2, metavar=("SIDE", "ENV"), help=argparse.SUPPRESS)  # one measurement
    args = parser.parse_args()
    calls = args.steps // args.num_envs
    if args.measure:
        side, env_id = args.measure
        envs = makers(env_id, args.num_envs, args.threads)[side]()
        print(steps_per_second(envs, args.num_envs, calls, seed=0))
        return
    os.chdir(tempfile.mkdtemp(prefix="credo-bench-"))  # Python MuJoCo's MUJOCO_LOG.TXT stays out of the clone
    warnings.simplefilter("ignore")  # EnvPool: "reset(seed=...) is ignored"
    ids = ["Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"]
    rows = {}
    if not importlib.util.find_spec("envpool"):
        print("EnvPool is not installed here (scripts/bench_venv.sh installs it); its column is left out")
    for env_id in ids:
        sides = makers(env_id, args.num_envs, args.threads)
        samples = {name: [] for name in ["C++ VectorEnv", *sides]}
        for _ in range(args.repeats):
            samples["C++ VectorEnv"].append(cpp_vector_steps_per_second(env_id, args))
            for name in sides:
                samples[name].append(measure_in_fresh_process(name, env_id, args))
        rows[env_id] = {name: statistics.median(values) for name, values in samples.items()}
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {cpu}, {os.cpu_count()} cores; {platform.platform()}; Python {platform.python_version()}, "
          f"gymnasium {gym.__version__}, numpy {np.__version__}")
    print(f"{args.num_envs} envs on {args.threads} threads, {args.steps} env steps per measurement, median of "
          f"{args.repeats}\n")
    columns = list(next(iter(rows.values())))
    print("| env | " + " | ".join(f"{c} steps/s" for c in columns) + " | credo.make_vec / SyncVectorEnv | "
          "credo.make_vec / C++ VectorEnv |")
    print("|---|" + "---|" * (len(columns) + 2))
    for env_id, r in rows.items():
        print(f"| {env_id} | " + " | ".join(f"{r[c]:,.0f}" for c in columns) +
              f" | {r['credo.make_vec'] / r['gymnasium SyncVectorEnv']:.2f}x | "
              f"{r['credo.make_vec'] / r['C++ VectorEnv']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
