"""The online actor and the target actor of a td3/ddpg run's last checkpoint, side by side: returns of each
over the same episodes on Gymnasium's own env, deterministic and with Gaussian action noise (the exploration
noise training adds, in the normalised action space [-1, 1]).

TD3 keeps a target actor, the online actor's Polyak average (tau per actor update; Fujimoto et al. 2018), for
its critic targets. credo's imitation default evaluates and ships it (eval_actor = "target"); this measures why,
on runs that evaluated the online actor (docs/results/imitation.md).

    python bench/online_and_target_actor.py --credo build/credo RUN_DIR [RUN_DIR ...] [--noise 0 0.1]

For each run folder: exports final_policy.pt as TorchScript (`credo export`), checks that its weights are the
checkpoint's online actor (or its target actor), swaps in the other actor from checkpoint.pt, and runs
--episodes episodes (reset seeds 1000 + k) with each. Prints one line per run, actor and noise: mean, std and
the episode lengths.
"""
import argparse
import subprocess
import tempfile
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch


def export(credo, run_dir, out):
    subprocess.run([credo, "export", "--policy", str(run_dir / "final_policy.pt"), "--out", str(out)], check=True,
                   capture_output=True)
    return torch.jit.load(str(out))


def with_weights(policy, actor, path):
    """A copy of the exported policy whose network holds `actor`'s parameters (names net.fc0.weight, ...)."""
    policy.save(str(path))
    copy = torch.jit.load(str(path))
    buffers = dict(copy.named_buffers())
    with torch.no_grad():
        for name, value in actor.named_parameters():
            buffers[name.replace(".", "_")].copy_(value)
    return copy


def same_weights(policy, actor):
    buffers = dict(policy.named_buffers())
    return all(torch.equal(buffers[n.replace(".", "_")], v) for n, v in actor.named_parameters())


def rollouts(policy, env_id, episodes, noise, seed):
    env = gym.make(env_id)
    low, high = env.action_space.low, env.action_space.high
    rng = np.random.default_rng(seed)
    returns, lengths = [], []
    for k in range(episodes):
        obs, _ = env.reset(seed=1000 + k)
        total, length, done = 0.0, 0, False
        while not done:
            with torch.no_grad():
                action = policy(torch.as_tensor(obs, dtype=torch.float32)[None])[0].numpy()
            if noise > 0:
                action = np.clip(action + rng.normal(0.0, noise, action.shape) * (high - low) / 2, low, high)
            obs, reward, terminated, truncated, _ = env.step(action)
            total += reward
            length += 1
            done = terminated or truncated
        returns.append(total)
        lengths.append(length)
    return np.array(returns), lengths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--credo", default="build/credo")
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--noise", type=float, nargs="+", default=[0.0])
    args = parser.parse_args()
    torch.set_num_threads(1)
    for run_dir in args.runs:
        config = (run_dir / "config.toml").read_text()
        env_id = next(line.split("=", 1)[1].strip().strip("'\"") for line in config.splitlines()
                      if line.startswith("env ="))
        learner = torch.jit.load(str(run_dir / "checkpoint.pt")).learner
        with tempfile.TemporaryDirectory() as tmp:
            final = export(args.credo, run_dir, Path(tmp) / "final.pt")
            if not (same_weights(final, learner.actor) or same_weights(final, learner.actor_target)):
                raise SystemExit(f"{run_dir}: final_policy.pt is neither actor of checkpoint.pt")
            actors = {"online": with_weights(final, learner.actor, Path(tmp) / "online.pt"),
                      "target": with_weights(final, learner.actor_target, Path(tmp) / "target.pt")}
            for name, policy in actors.items():
                for noise in args.noise:
                    returns, lengths = rollouts(policy, env_id, args.episodes, noise, seed=0)
                    print(f"{run_dir.name}  {name:6s}  noise {noise:.2f}  return {returns.mean():7.1f} +- "
                          f"{returns.std():6.1f}  lengths {lengths}", flush=True)


if __name__ == "__main__":
    main()
