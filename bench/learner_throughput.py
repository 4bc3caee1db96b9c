#!/usr/bin/env python3
"""Training speed of credo's td3, sac and ppo on Hopper-v5 next to Stable-Baselines3 and a CleanRL-style loop.

    python bench/learner_throughput.py [--learn-steps 3000] [--repeats 2] [--out results.json]

Same hyperparameters everywhere (256-256 networks, batch 256, one update per env step, policy delay 2 for TD3;
PPO: 2048-step rollouts, 10 epochs of minibatch 64, 64-64 tanh, observation and reward normalisation). Off-policy
rates are env steps per second after a 1000-step random start (so every step includes an update); PPO's include
its updates over whole rollouts. LibTorch threads: 1 and 2 for all; credo also with critic_threads=2 (twin
critics on two threads, one intra-op thread each). Needs a quiet machine. Requires the bench venv:
`scripts/bench_venv.sh` (Stable-Baselines3 and matplotlib on top of credo's venv).
Also measures the matrix-multiply peak of one and two threads and the GFLOP/s credo's TD3 update reaches.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CREDO = Path(os.environ.get("CREDO_BIN", ROOT / "build" / "credo"))
START = 1000


def credo_sps(algo, learn_steps, threads, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        if algo == "ppo":
            steps, interval = 2048 * (2 + learn_steps // 2048), 2048
            keys = [f"log_interval={interval}", f"eval_interval={interval * 1000}"]
        else:
            interval = 500
            steps = START + learn_steps + interval
            keys = [f"start_steps={START}", f"log_interval={interval}", f"eval_interval={interval * 1000}"]
        subprocess.run([str(CREDO), "train", "--algo", algo, "--env", "Hopper-v5", "--steps", str(steps), "--seed",
                        "1", "--out", str(out), f"threads={threads}", "checkpoint_interval=10000000", *keys,
                        *extra], check=True, capture_output=True, cwd=tmp)
        rows = list(csv.DictReader(open(out / "metrics.csv")))
        # Rows strictly after the random start and before the last (which includes the final evaluation).
        first = 0 if algo == "ppo" else next(i for i, r in enumerate(rows) if int(r["step"]) == START)
        a, b = rows[first], rows[-2]
        return (int(b["step"]) - int(a["step"])) / (float(b["wall_time_s"]) - float(a["wall_time_s"]))


def sb3_sps(algo, learn_steps, threads):
    code = f"""
import json, time, torch, numpy as np, gymnasium as gym
from stable_baselines3 import TD3, SAC, PPO
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.noise import NormalActionNoise
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.vec_env import VecNormalize
torch.set_num_threads({threads})
class Clock(BaseCallback):
    def __init__(self): super().__init__(); self.t = {{}}
    def _on_step(self):
        self.t[self.num_timesteps] = time.perf_counter(); return True
algo, learn = "{algo}", {learn_steps}
if algo == "ppo":
    env = VecNormalize(make_vec_env("Hopper-v5", n_envs=1, seed=1), gamma=0.99)
    model = PPO("MlpPolicy", env, n_steps=2048, batch_size=64, n_epochs=10, seed=1, device="cpu")
    steps = 2048 * (1 + learn // 2048); start = 0
else:
    env = gym.make("Hopper-v5")
    kw = dict(learning_starts={START}, batch_size=256, buffer_size=1_000_000, train_freq=1, gradient_steps=1,
              policy_kwargs=dict(net_arch=[256, 256]), seed=1, device="cpu")
    if algo == "td3":
        model = TD3("MlpPolicy", env, action_noise=NormalActionNoise(np.zeros(3), 0.1 * np.ones(3)), **kw)
    else:
        model = SAC("MlpPolicy", env, **kw)
    start = {START}; steps = start + learn
clock = Clock()
t0 = time.perf_counter()
model.learn(total_timesteps=steps, callback=clock)
t_end = time.perf_counter()
t_start = clock.t[start] if start else t0
print(json.dumps({{"sps": (steps - start) / (t_end - t_start)}}))
"""
    bench_python = Path(os.environ.get("CREDO_BENCH_PYTHON", Path.home() / ".cache/credo/bench-venv/bin/python"))
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([str(bench_python), "-c", code], check=True, capture_output=True, text=True, cwd=tmp)
    return json.loads(out.stdout.strip().splitlines()[-1])["sps"]


def cleanrl_sps(algo, learn_steps, threads):
    bench_python = Path(os.environ.get("CREDO_BENCH_PYTHON", Path.home() / ".cache/credo/bench-venv/bin/python"))
    steps = 2048 * (1 + learn_steps // 2048) if algo == "ppo" else START + learn_steps
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([str(bench_python), "-W", "ignore", str(ROOT / "bench" / "cleanrl_style.py"), algo,
                              str(steps), str(START), str(threads)], check=True, capture_output=True, text=True,
                             cwd=tmp)
    return json.loads(out.stdout.strip().splitlines()[-1])["sps"]


def matmul_peak(threads):
    bench_python = Path(os.environ.get("CREDO_BENCH_PYTHON", Path.home() / ".cache/credo/bench-venv/bin/python"))
    code = f"""
import time, torch
torch.set_num_threads({threads})
best = 0.0
for n in (256, 512, 1024):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(20): a @ b
    reps = max(20, int(2e10 / (2 * n ** 3)))
    t = time.perf_counter()
    for _ in range(reps): a @ b
    best = max(best, 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9)
print(best)
"""
    return float(subprocess.run([str(bench_python), "-c", code], check=True, capture_output=True,
                                text=True).stdout.strip())


def td3_update_gflop(obs=11, act=3, hidden=256, batch=256):
    """FLOPs of one TD3 update, counting 2*m*n*k per matmul; backward counted as 2x forward for the layers that
    need input and weight gradients (the first layer's input gradient is skipped)."""
    def forward(i, o):
        dims = [i, hidden, hidden, o]
        return sum(2 * batch * a * b for a, b in zip(dims, dims[1:]))
    critic = forward(obs + act, 1)
    actor = forward(obs, act)
    target = actor + 2 * critic                    # target actor and both target critics, forward only
    critics = 2 * 3 * critic                       # both critics, forward + backward
    actor_update = 0.5 * (3 * actor + 3 * critic)  # every second step: actor through critic 1
    return (target + critics + actor_update) / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learn-steps", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--reuse", type=Path, help="results JSON of an earlier run: take the Stable-Baselines3 and "
                        "CleanRL-style rates from it and measure credo only (same machine and session)")
    args = parser.parse_args()
    results = []
    configs = []
    for algo in ("td3", "sac", "ppo"):
        for threads in (1, 2):
            configs.append(("credo", algo, threads, ()))
            configs.append(("sb3", algo, threads, ()))
            configs.append(("cleanrl-style", algo, threads, ()))
        if algo != "ppo":
            configs.append(("credo critic_threads=2", algo, 1, ("critic_threads=2",)))
    reused = {}
    if args.reuse:
        reused = {(r["framework"], r["algo"], r["threads"]): r for r in json.loads(args.reuse.read_text())["results"]
                  if not r["framework"].startswith("credo")}
    for name, algo, threads, extra in configs:
        if (name, algo, threads) in reused:
            results.append(reused[(name, algo, threads)])
            continue
        rates = []
        for _ in range(args.repeats):
            if name.startswith("credo"):
                rates.append(credo_sps(algo, args.learn_steps, threads, extra))
            elif name == "sb3":
                rates.append(sb3_sps(algo, args.learn_steps, threads))
            else:
                rates.append(cleanrl_sps(algo, args.learn_steps, threads))
        results.append({"framework": name, "algo": algo, "threads": threads, "sps": max(rates), "all": rates})
        print(f"{name:24s} {algo} threads={threads}: {max(rates):8.1f} steps/s  {[round(r, 1) for r in rates]}",
              file=sys.stderr)
    peaks = {t: matmul_peak(t) for t in (1, 2)}
    print("\n| algo | LibTorch threads | credo | credo, critic_threads=2 | Stable-Baselines3 | CleanRL-style | "
          "credo / SB3 | credo / CleanRL |")
    print("|---|---|---|---|---|---|---|---|")
    table = {(r["framework"], r["algo"], r["threads"]): r["sps"] for r in results}
    for algo in ("td3", "sac", "ppo"):
        for threads in (1, 2):
            c = table[("credo", algo, threads)]
            ct = table.get(("credo critic_threads=2", algo, 1)) if threads == 1 else None
            best = max(c, ct or 0)
            s, l = table[("sb3", algo, threads)], table[("cleanrl-style", algo, threads)]
            ct_text = f"{ct:.0f}" if ct else "-"
            print(f"| {algo} | {threads} | {c:.0f} | {ct_text} | {s:.0f} | {l:.0f} | {best / s:.2f}x | "
                  f"{best / l:.2f}x |")
    # SD3 (credo only: neither library ships it): its softmax target evaluates K = 50 actions per next state.
    for threads in (1, 2):
        sps = credo_sps("sd3", max(500, args.learn_steps // 6), threads)
        results.append({"framework": "credo", "algo": "sd3", "threads": threads, "sps": sps, "all": [sps]})
        print(f"\ncredo sd3 (400-300, batch 100, K=50), {threads} thread(s): {sps:.1f} steps/s")
    gflop = td3_update_gflop()
    print(f"\nTD3 update: {gflop:.3f} GFLOP; matrix-multiply peak {peaks[1]:.0f} GFLOP/s (1 thread), "
          f"{peaks[2]:.0f} GFLOP/s (2 threads).")
    for threads in (1, 2):
        sps = table[("credo", "td3", threads)]
        print(f"credo td3, {threads} thread(s): {sps:.0f} updates/s = {sps * gflop:.0f} GFLOP/s "
              f"({100 * sps * gflop / peaks[threads]:.0f}% of the {threads}-thread peak; env steps included)")
    ct = table[("credo critic_threads=2", "td3", 1)]
    print(f"credo td3, critic_threads=2: {ct * gflop:.0f} GFLOP/s ({100 * ct * gflop / peaks[2]:.0f}% of the "
          f"2-thread peak)")
    if args.out:
        args.out.write_text(json.dumps({"results": results, "matmul_peak_gflops": peaks,
                                        "td3_update_gflop": gflop}, indent=2))


if __name__ == "__main__":
    main()
