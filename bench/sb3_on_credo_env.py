"""Stable-Baselines3's TD3 end to end on credo's Hopper-v5 (credo.make) and on Gymnasium's (gymnasium.make): same
seed, one thread, the same results (checked: identical episode returns and final weights), and the wall time of
each with the share spent inside env.step.

    scripts/setup.sh --no-run
    ~/.cache/credo/venv/bin/python bench/sb3_on_credo_env.py [--steps N] [--repeats R]

Prints a Markdown table; docs/benchmarks.md has the measured one. The expected saving is the Gymnasium run's env
time minus the credo run's: what is left of the difference is noise.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import gymnasium
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "python"))
import credo  # noqa: E402
import stable_baselines3 as sb3  # noqa: E402


class TimedStep(gymnasium.Wrapper):
    """Adds up the wall time spent in the wrapped env's step and reset."""

    def __init__(self, env):
        super().__init__(env)
        self.seconds = 0.0

    def step(self, action):
        start = time.perf_counter()
        result = self.env.step(action)
        self.seconds += time.perf_counter() - start
        return result

    def reset(self, **kwargs):
        start = time.perf_counter()
        result = self.env.reset(**kwargs)
        self.seconds += time.perf_counter() - start
        return result


def run(make_env, steps: int):
    torch.set_num_threads(1)
    env = TimedStep(make_env())
    model = sb3.TD3("MlpPolicy", env, seed=0, learning_starts=1000, device="cpu")
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.learn(total_timesteps=steps)
    total = time.perf_counter() - start
    returns = [info["r"] for info in model.ep_info_buffer]
    weights = [p.detach().clone() for p in model.policy.parameters()]
    return total, env.seconds, returns, weights


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.chdir(tempfile.mkdtemp(prefix="credo-bench-"))  # MUJOCO_LOG.TXT stays out of the clone
    sides = {"credo.make": lambda: credo.make("Hopper-v5"), "gymnasium.make": lambda: gymnasium.make("Hopper-v5")}
    samples = {name: [] for name in sides}
    for _ in range(args.repeats):  # the sides take turns
        for name, make in sides.items():
            samples[name].append(run(make, args.steps))
    ours, theirs = samples["credo.make"][0], samples["gymnasium.make"][0]
    same = ours[2] == theirs[2] and all(torch.equal(a, b) for a, b in zip(ours[3], theirs[3]))
    print(f"SB3 {sb3.__version__} TD3, Hopper-v5, {args.steps} steps (learning from step 1000), one torch thread, "
          f"median of {args.repeats}; same returns and weights on both: {same}\n")
    print("| env | total s | env.step + reset s | env share | steps/s |")
    print("|---|---|---|---|---|")
    medians = {}
    for name, runs in samples.items():
        total = statistics.median(r[0] for r in runs)
        env_s = statistics.median(r[1] for r in runs)
        medians[name] = (total, env_s)
        print(f"| {name} | {total:.1f} | {env_s:.2f} | {env_s / total:.1%} | {args.steps / total:,.0f} |")
    (t_c, e_c), (t_g, e_g) = medians["credo.make"], medians["gymnasium.make"]
    print(f"\nend to end: credo {t_g / t_c:.3f}x faster, saving {t_g - t_c:.1f} s; expected from the env time: "
          f"{e_g - e_c:.1f} s")


if __name__ == "__main__":
    main()
