"""How much of a credo.make_vec step is Python's own work: the time inside the C++ extension's step (which also
builds the Gymnasium-style infos) against the whole `step()` call (the action check and the draw of finished copies'
next initial states with their numpy generators), 16 Hopper-v5 copies on 2 threads, uniform random float32 actions.

    ~/.cache/credo/venv/bin/python bench/python_step_overhead.py [--calls N] [--repeats R]

Each repeat runs in a fresh process; prints microseconds per step call (total, in C++, in Python)."""
import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE = """
import sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, credo
envs = credo.make_vec("Hopper-v5", num_envs=16, threads=2)
envs.reset(seed=0)
calls = int(sys.argv[2])
actions = np.random.default_rng(0).uniform(-1, 1, size=(calls, 16, 3)).astype(np.float32)
native = [0.0]

class Timed:  # the extension's VectorEnv, its step timed
    def __init__(self, vec):
        self.vec = vec
    def __getattr__(self, name):
        return getattr(self.vec, name)
    def step(self, a):
        t = time.perf_counter()
        out = self.vec.step(a)
        native[0] += time.perf_counter() - t
        return out

envs._vec = Timed(envs._vec)
start = time.perf_counter()
for i in range(calls):
    envs.step(actions[i])
total = time.perf_counter() - start
print(f"{total / calls * 1e6:.0f} {native[0] / calls * 1e6:.0f} {(total - native[0]) / calls * 1e6:.1f}")
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=4)
    args = parser.parse_args()
    print("us per step call (16 envs): total, in C++, Python's own")
    for _ in range(args.repeats):
        out = subprocess.run([sys.executable, "-c", ONE, str(ROOT / "build" / "python"), str(args.calls)],
                             capture_output=True, text=True, check=True).stdout.split()
        print(f"{out[0]:>8} {out[1]:>8} {out[2]:>8}")


if __name__ == "__main__":
    main()
