"""Every learner learns Pendulum-v1 within a small budget (CI-sized smoke tests).

Each run stops as soon as an evaluation (10 episodes of the deterministic policy) reaches the target, so a
passing test is also a fast one. Off-policy learners run their committed Pendulum defaults; SD3 uses 64-64
networks here because its softmax target evaluates 50 actions per next state (25x TD3's cost per step at 400-300);
PPO gets its own, larger budget (on-policy learning needs more samples).
"""
import json
import subprocess

import pytest

CASES = {
    "td3": (20_000, -300, []),
    "ddpg": (20_000, -300, []),
    "sac": (20_000, -300, []),
    "tssg": (20_000, -300, []),
    "sd3": (20_000, -300, ["hidden=64,64"]),
    "ppo": (150_000, -300, []),
}


@pytest.mark.parametrize("algo", list(CASES))
def test_learns_pendulum(credo_bin, tmp_path, algo):
    steps, target, overrides = CASES[algo]
    out = tmp_path / algo
    proc = subprocess.run([str(credo_bin), "train", "--algo", algo, "--env", "Pendulum-v1", "--steps", str(steps),
                           "--seed", "0", "--out", str(out), f"stop_at_return={target}", *overrides],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["best_eval_return_mean"] >= target, (
        f"{algo}: best evaluation {summary['best_eval_return_mean']:.1f} after {summary['steps']} steps")
    assert summary["steps"] <= steps
