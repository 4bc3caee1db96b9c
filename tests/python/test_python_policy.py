"""credo.load_policy: a policy file acts from Python exactly as `credo collect` acts (Pendulum's observations are
float32, so the stored ones are the ones it acted on: the actions must match bit for bit); batches act row by row;
the expert reaches its return in credo's env; bad files and observations raise with the command line's message."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python")))
import credo  # noqa: E402

EXPERT = Path(__file__).resolve().parents[2] / "experts" / "sac-pendulum-v1.pt"
torch.set_num_threads(1)


def cli(credo_bin, *args):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_acts_as_credo_collect_bit_for_bit(credo_bin, tmp_path):
    out = tmp_path / "pendulum.h5"
    assert cli(credo_bin, "collect", "--policy", EXPERT, "--env", "Pendulum-v1", "--episodes", 1, "--seed", 4,
               "--out", out).returncode == 0
    demos = credo.load_demos(out)
    policy = credo.load_policy(EXPERT)
    assert (policy.env_id, policy.algo, policy.obs_dim, policy.act_dim) == ("Pendulum-v1", "sac", 3, 1)
    batch = policy(demos.observations)
    assert batch.dtype == np.float32 and np.array_equal(batch, demos.actions)
    assert np.array_equal(policy(demos.observations[17]), demos.actions[17])


def test_the_expert_reaches_its_return_in_credos_env():
    policy, env = credo.load_policy(EXPERT), credo.make("Pendulum-v1")
    returns = []
    for seed in range(3):
        obs, _ = env.reset(seed=seed)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total, done = total + reward, terminated or truncated
        returns.append(total)
    assert np.mean(returns) > -250  # Pendulum's random policy gets about -1200


def test_bad_files_and_observations_raise(credo_bin, tmp_path):
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(EXPERT.read_bytes()[:2000])
    for path in (tmp_path / "missing.pt", corrupt):
        with pytest.raises(ValueError) as error:
            credo.load_policy(path)
        proc = cli(credo_bin, "export", "--policy", path, "--out", tmp_path / "out.pt")
        assert proc.returncode == 2 and proc.stderr.strip() == f"credo: error: {error.value}"
    policy = credo.load_policy(EXPERT)
    with pytest.raises(ValueError, match=r"expects observations of shape \(3,\) or \(B, 3\), got shape \(4,\)"):
        policy(np.zeros(4))
    with pytest.raises(TypeError, match="must be numeric"):
        policy(np.array(["a", "b", "c"]))
