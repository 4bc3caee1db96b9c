"""credo.load_reward: an imitation run's learning reward from Python, checked against a PyTorch reference built
from the run's checkpoint (the discriminator's weights read with torch.jit.load and the MLP evaluated by hand):
the airl and gail transforms, the reward scale, CREDO's clip (the run's, none, a given c), DAC's absorbing-state
value on true terminations; scoring changes nothing; bad input raises one clear error."""
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated")

BUILD_PYTHON = os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python"))
sys.path.insert(0, BUILD_PYTHON)
import credo  # noqa: E402

EXPERT = Path(__file__).resolve().parents[2] / "experts" / "sac-hopper-v5.pt"
TINY = ["hidden=[16,16]", "disc_hidden=[16,16]", "batch_size=32", "disc_batch_size=32", "start_steps=200",
        "disc_start=200", "eval_episodes=1", "eval_interval=600", "log_interval=300", "buffer_size=1000",
        "disc_buffer=1000"]
GAMMA = 0.99  # td3's discount, the absorbing state's value gamma r_abs / (1 - gamma)


@pytest.fixture(scope="module")
def demos(credo_bin, tmp_path_factory):
    path = tmp_path_factory.mktemp("demos") / "hopper.h5"
    subprocess.run([credo_bin, "collect", "--policy", EXPERT, "--env", "Hopper-v5", "--episodes", "2", "--seed", "0",
                    "--out", path], check=True, capture_output=True)
    return path


def train(credo_bin, out, *args):
    proc = subprocess.run([credo_bin, "train", "--algo", "td3", "--env", "Hopper-v5", "--steps", "600", "--seed", "1",
                           "--out", out, *TINY, *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


def reference_logits(run_dir, obs, act):
    """The discriminator's logit z for [obs, absorbing indicator, act] rows, from the checkpoint's weights."""
    net = torch.jit.load(str(run_dir / "checkpoint.pt")).imitation.discriminator.net
    x = torch.as_tensor(np.concatenate([obs, act], axis=1), dtype=torch.float32)
    layers = sorted((name for name, _ in net.named_children()), key=lambda n: int(n[2:]))
    for i, name in enumerate(layers):
        layer = getattr(net, name)
        x = x @ layer.weight.T + layer.bias
        if i < len(layers) - 1:
            x = torch.tanh(x)  # disc_activation = "tanh", credo's imitation default
    return x[:, 0].detach().double().numpy()


def batch(rng, rows=64):
    obs = rng.normal(size=(rows, 11)) * 0.5
    obs[:, 0] += 1.25
    return obs, rng.uniform(-1, 1, size=(rows, 3))


def with_indicator(obs, value):
    return np.concatenate([obs, np.full((len(obs), 1), value)], axis=1)


def test_airl_reward_with_absorbing_value_matches_the_reference(credo_bin, demos, tmp_path):
    run = train(credo_bin, tmp_path / "run", "--demos", demos)
    reward = credo.load_reward(run)
    assert (reward.env_id, reward.transform, reward.run_clip) == ("Hopper-v5", "airl", math.inf)
    obs, act = batch(np.random.default_rng(0))
    terminated = np.arange(len(obs)) % 7 == 0
    z = reference_logits(run, with_indicator(obs, 0.0), act)
    z_absorbing = reference_logits(run, with_indicator(np.zeros((1, 11)), 1.0), np.zeros((1, 3)))[0]
    expected = z + terminated * GAMMA / (1 - GAMMA) * z_absorbing
    got = reward(obs, act, obs + 0.01, terminated)
    assert got.dtype == np.float32 and got.shape == (len(obs),)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(reward(obs, act), z, rtol=1e-5, atol=1e-5)  # terminated defaults to none
    assert reward(obs[3], act[3]) == pytest.approx(z[3], rel=1e-5, abs=1e-5)  # one transition: a scalar
    # Scoring changes nothing: the same batch scores the same again.
    np.testing.assert_array_equal(reward(obs, act, obs, terminated), got)


def test_gail_reward_scaled_and_clipped_as_the_run_or_as_asked(credo_bin, demos, tmp_path):
    run = train(credo_bin, tmp_path / "run", "--demos", demos, "--reward", "gail", "--clip", "5", "reward_scale=20")
    reward = credo.load_reward(run)
    assert (reward.transform, reward.run_clip) == ("gail", 5.0)
    obs, act = batch(np.random.default_rng(1), rows=256)
    unclipped = 20 * np.logaddexp(0.0, reference_logits(run, with_indicator(obs, 0.0), act))  # 20 softplus(z)
    assert (unclipped > 5).any() and (unclipped < 5).any(), "the batch should straddle the clip"
    np.testing.assert_allclose(reward(obs, act, clip=None), unclipped, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(reward(obs, act, clip="off"), unclipped, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(reward(obs, act), np.minimum(unclipped, 5), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(reward(obs, act, clip=2.5), np.minimum(unclipped, 2.5), rtol=1e-5, atol=1e-4)


def test_the_adaptive_clip_scores_at_its_threshold_from_the_checkpoint(credo_bin, demos, tmp_path):
    run = train(credo_bin, tmp_path / "run", "--demos", demos, "--clip", "auto", "clip_window=2000")
    reward = credo.load_reward(run)
    assert math.isfinite(reward.run_clip)
    obs, act = batch(np.random.default_rng(2), rows=256)
    unclipped = reward(obs, act, clip=None)
    np.testing.assert_array_equal(reward(obs, act), np.minimum(unclipped, np.float32(reward.run_clip)))


def test_loading_leaves_torchs_random_stream_alone(credo_bin, demos, tmp_path):
    run = train(credo_bin, tmp_path / "run", "--demos", demos)
    torch.manual_seed(3)
    expected = torch.rand(4)
    torch.manual_seed(3)
    credo.load_reward(run)
    assert torch.equal(torch.rand(4), expected)


def test_bad_runs_and_bad_batches_raise_one_clear_error(credo_bin, demos, tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        credo.load_reward(tmp_path / "nowhere")
    plain = train(credo_bin, tmp_path / "plain")
    with pytest.raises(ValueError, match="no demos"):
        credo.load_reward(plain)
    run = train(credo_bin, tmp_path / "run", "--demos", demos)
    moved = tmp_path / "moved.h5"
    (run / "checkpoint.pt").rename(tmp_path / "checkpoint.pt")
    with pytest.raises(ValueError, match="checkpoint"):
        credo.load_reward(run)
    (tmp_path / "checkpoint.pt").rename(run / "checkpoint.pt")
    # The run folder on a machine without its demonstration file: named, and replaceable with demos=.
    text = (run / "config.toml").read_text().replace(str(demos), str(tmp_path / "gone.h5"))
    (run / "config.toml").write_text(text)
    with pytest.raises(ValueError, match="gone.h5"):
        credo.load_reward(run)
    moved.write_bytes(Path(demos).read_bytes())
    reward = credo.load_reward(run, demos=moved)
    obs, act = batch(np.random.default_rng(3), rows=4)
    with pytest.raises(ValueError, match=r"obs must have shape \(11,\) or \(B, 11\)"):
        reward(obs[:, :5], act)
    with pytest.raises(ValueError, match="4 observations but 3 actions"):
        reward(obs, act[:3])
    with pytest.raises(ValueError, match="next_obs must have the shape of obs"):
        reward(obs, act, obs[:2])
    with pytest.raises(ValueError, match="NaN"):
        reward(np.full((4, 11), np.nan), act)
    with pytest.raises(TypeError, match="numeric"):
        reward(obs.astype(str), act)
    for bad in (0, -1, "sometimes", True):
        with pytest.raises(ValueError, match="clip must be"):
            reward(obs, act, clip=bad)
