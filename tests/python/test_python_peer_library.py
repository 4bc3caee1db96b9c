"""A peer library trains on credo's envs exactly as on Gymnasium's: Stable-Baselines3's TD3 on credo.make and on
gymnasium.make, same seed, one thread, 5k steps: the same critic and actor losses at every update, the same
episode returns, the same final weights, bit for bit."""
import os
import sys
import warnings
from pathlib import Path

import gymnasium
import numpy as np
import pytest
import torch

sys.path.insert(0, os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python")))
import credo  # noqa: E402

sb3 = pytest.importorskip("stable_baselines3")
from stable_baselines3.common.callbacks import BaseCallback  # noqa: E402


class LossRecorder(BaseCallback):
    def __init__(self):
        super().__init__()
        self.losses = []

    def _on_step(self) -> bool:
        values = self.model.logger.name_to_value
        self.losses.append((values.get("train/critic_loss"), values.get("train/actor_loss")))
        return True


def train(env: gymnasium.Env, steps: int):
    torch.set_num_threads(1)
    model = sb3.TD3("MlpPolicy", env, seed=3, learning_starts=500, device="cpu",
                    policy_kwargs={"net_arch": [64, 64]})
    recorder = LossRecorder()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.learn(total_timesteps=steps, callback=recorder)
    returns = [(info["r"], info["l"]) for info in model.ep_info_buffer]
    weights = [p.detach().clone() for p in model.policy.parameters()]
    return recorder.losses, returns, weights


def test_sb3_td3_trains_identically_on_credo_and_gymnasium():
    steps = 5000
    ours = train(credo.make("Hopper-v5"), steps)
    theirs = train(gymnasium.make("Hopper-v5"), steps)
    losses, returns, weights = ours
    assert len(losses) == steps and sum(critic is not None for critic, _ in losses) > 4000
    assert losses == theirs[0]
    assert len(returns) >= 10 and returns == theirs[1]
    assert all(torch.equal(a, b) for a, b in zip(weights, theirs[2]))
    assert np.isfinite([r for r, _ in returns]).all()
