"""Memory over a long run: does a credo run's resident memory stay flat from 100k to 1M steps, and does the replay
buffer take what its capacity says?

Runs `credo train` (td3, Hopper-v5, small 32-32 networks so a million steps take minutes, not hours) and samples
the process's VmRSS from /proc every second against the step of the last metrics.csv row. Then two 5k-step runs
that differ only in buffer_size (1M and 1k) give the buffer's share of the resident memory: the ring is allocated
and zeroed up front (src/credo/rl/replay_buffer.cpp), so the difference should be capacity * (2 * obs_dim +
act_dim + 3) * 4 bytes (float32 observations, next observations, actions, reward, terminated, truncated).

    python bench/memory_over_a_long_run.py --credo build/credo --out runs/memory-bench [--steps 1000000]

Prints a table for docs/benchmarks.md and writes OUT/memory.csv (step, rss_mib).
"""
import argparse
import csv
import os
import subprocess
import time
from pathlib import Path

SMALL = ["hidden=32,32", "batch_size=64", "eval_interval=100000", "eval_episodes=2", "log_interval=10000",
         "checkpoint_interval=100000", "threads=1"]
OBS, ACT = 11, 3  # Hopper-v5


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024
    except (FileNotFoundError, KeyError, ProcessLookupError):
        return None


def last_step(metrics):
    try:
        lines = metrics.read_text().splitlines()
        return int(lines[-1].split(",")[0]) if len(lines) > 1 else 0
    except (FileNotFoundError, ValueError):
        return 0


def sampled_run(credo, out, steps, extra):
    """Samples (step, VmRSS) every second; the peak is the kernel's ru_maxrss for the finished process."""
    proc = subprocess.Popen([credo, "train", "--algo", "td3", "--env", "Hopper-v5", "--steps", str(steps),
                             "--seed", "1", "--out", str(out), "--force", *SMALL, *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            assert os.waitstatus_to_exitcode(status) == 0, f"credo train exited {status}"
            return samples, usage.ru_maxrss / 1024
        now = rss_mib(proc.pid)
        if now:
            samples.append((last_step(out / "metrics.csv"), now))
        time.sleep(1.0)


def at(samples, step):
    """The resident memory of the first sample at or after `step`."""
    return next((rss for s, rss in samples if s >= step), samples[-1][1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--credo", default="build/credo")
    parser.add_argument("--out", default="runs/memory-bench", type=Path)
    parser.add_argument("--steps", default=1_000_000, type=int)
    a = parser.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    samples, peak = sampled_run(a.credo, a.out / "long", a.steps, [])
    minutes = (time.time() - started) / 60
    with open(a.out / "memory.csv", "w", newline="") as f:
        csv.writer(f).writerows([("step", "rss_mib"), *samples])
    short = ["start_steps=1000", "eval_interval=5000", "checkpoint_interval=5000", "log_interval=1000"]
    small = sampled_run(a.credo, a.out / "buffer-1k", 5000, [*short, "buffer_size=1000"])[1]
    large = sampled_run(a.credo, a.out / "buffer-1m", 5000, [*short, "buffer_size=1000000"])[1]
    expected = 999_000 * (2 * OBS + ACT + 3) * 4 / 2**20
    first = at(samples, 100_000)
    print(f"| steps | RSS at 100k (MiB) | RSS at {a.steps // 1000}k (MiB) | growth | peak (MiB) | run time |")
    print("|---|---|---|---|---|---|")
    print(f"| {a.steps} | {first:.1f} | {samples[-1][1]:.1f} | {samples[-1][1] - first:+.1f} MiB | {peak:.1f} | "
          f"{minutes:.1f} min |")
    print()
    print("| buffer_size 1k, peak | buffer_size 1M, peak | difference | capacity * 112 B (expected) |")
    print("|---|---|---|---|")
    print(f"| {small:.1f} MiB | {large:.1f} MiB | {large - small:.1f} MiB | {expected:.1f} MiB |")


if __name__ == "__main__":
    main()
