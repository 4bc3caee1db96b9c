"""credo's Python package, imported from the build tree (build/python): its environments behind Gymnasium's API
give what Gymnasium's own give, bit for bit; Gymnasium's env checker passes; bad input raises the right exception
with the command line's message. The installed package is tested in test_python_package.py."""
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

sys.path.insert(0, os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python")))
import credo  # noqa: E402

IDS = ["Pendulum-v1", "Hopper-v4", "Hopper-v5", "Walker2d-v4", "Walker2d-v5", "HalfCheetah-v4", "HalfCheetah-v5"]


def reference(env_id: str) -> gymnasium.Env:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the v4 ids are marked out of date
        return gymnasium.make(env_id)


def test_every_env_is_provided():
    assert credo.env_ids() == IDS


def assert_same_step(ours, theirs, where):
    for name, a, b in zip(("observation", "reward", "terminated", "truncated"), ours, theirs):
        assert np.asarray(a).dtype == np.asarray(b).dtype or name == "reward", (where, name)
        assert np.array_equal(a, b), (where, name, a, b)
    assert ours[4].keys() == theirs[4].keys(), where
    for key in theirs[4]:
        assert ours[4][key] == theirs[4][key], (where, key)
        assert np.asarray(ours[4][key]).dtype == np.asarray(theirs[4][key]).dtype, (where, key)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("env_id", IDS)
def test_steps_match_gymnasium_bit_for_bit(env_id, dtype):
    """400 steps of random actions with a reset (unseeded: the generator's stream continues) every 100 steps and
    at every episode end. float32 actions compute the control cost in float32, float64 in float64, as Gymnasium."""
    ours, theirs = credo.make(env_id), reference(env_id)
    assert ours.observation_space == theirs.observation_space
    assert ours.action_space == theirs.action_space
    assert ours.spec.max_episode_steps == theirs.spec.max_episode_steps
    assert ours.spec.reward_threshold == theirs.spec.reward_threshold
    obs, info = ours.reset(seed=11)
    ref_obs, ref_info = theirs.reset(seed=11)
    assert np.array_equal(obs, ref_obs) and obs.dtype == ref_obs.dtype and info == ref_info
    actions = np.random.default_rng(5)
    resets = 0
    for t in range(400):
        low, high = theirs.action_space.low, theirs.action_space.high
        action = actions.uniform(low * 1.2, high * 1.2).astype(dtype)  # beyond the bounds too: clipping
        step, ref_step = ours.step(action), theirs.step(action)
        assert_same_step(step, ref_step, (env_id, t))
        if ref_step[2] or ref_step[3] or t % 100 == 99:
            (obs, info), (ref_obs, ref_info) = ours.reset(), theirs.reset()
            assert np.array_equal(obs, ref_obs) and info == ref_info, (env_id, t)
            resets += 1
    assert resets >= 4
    np.testing.assert_array_equal(ours.state()[0], theirs.unwrapped.data.qpos if env_id != "Pendulum-v1"
                                  else [theirs.unwrapped.state[0]])


def checker_warnings(env: gymnasium.Env) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env, skip_render_check=True)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("env_id", IDS)
def test_gymnasiums_env_checker_passes(env_id):
    """No error, and no warning that Gymnasium's own env does not get too (Pendulum's action range [-2, 2] draws
    a recommendation to normalise it, on both)."""
    assert checker_warnings(credo.make(env_id)) == checker_warnings(reference(env_id).unwrapped)


def test_options_reach_the_env_as_in_gymnasium():
    ours = credo.make("Hopper-v5", healthy_reward=2.5, reset_noise_scale=0.1)
    theirs = gymnasium.make("Hopper-v5", healthy_reward=2.5, reset_noise_scale=0.1)
    assert np.array_equal(ours.reset(seed=3)[0], theirs.reset(seed=3)[0])
    action = np.zeros(3, dtype=np.float32)
    assert_same_step(ours.step(action), theirs.step(action), "options")


def test_registered_with_gymnasium_under_the_credo_namespace():
    env = gymnasium.make("credo/Walker2d-v5")
    assert isinstance(env.unwrapped, credo.CredoEnv)
    assert np.array_equal(env.reset(seed=1)[0], reference("Walker2d-v5").reset(seed=1)[0])
    vec = gymnasium.make_vec("credo/Pendulum-v1", num_envs=2, vectorization_mode="sync")
    assert vec.reset(seed=0)[0].shape == (2, 3)


def test_an_episode_truncates_at_the_time_limit():
    env = credo.make("Pendulum-v1")
    env.reset(seed=0)
    flags = [env.step(np.zeros(1, dtype=np.float32))[3] for _ in range(200)]
    assert flags == [False] * 199 + [True]


def cli_error(*args: str) -> str:
    binary = os.environ.get("CREDO_BIN", str(Path(__file__).resolve().parents[2] / "build" / "credo"))
    proc = subprocess.run([binary, *args], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    return proc.stderr.strip().removeprefix("credo: error: ")


def test_unknown_id_and_option_raise_value_error_with_the_command_lines_message(tmp_path):
    with pytest.raises(ValueError) as error:
        credo.make("Hopper-v9")
    assert str(error.value) == cli_error("env", "info", "Hopper-v9")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"env": "Hopper-v5", "seed": 0, "actions": [], "options": {"healthy_rewrd": 1}}))
    with pytest.raises(ValueError) as error:
        credo.make("Hopper-v5", healthy_rewrd=1)
    # The command line says where the option came from (the spec file) before the same message.
    assert cli_error("env", "rollout", "--in", str(spec), "--out", str(tmp_path / "t.json")) == \
        f"{spec}: {error.value}"
    with pytest.raises(ValueError, match="'frame_skip' must be at least 1"):
        credo.make("Hopper-v5", frame_skip=0)
    with pytest.raises(TypeError):
        credo.make(5)


def test_bad_actions_raise_and_leave_the_env_usable():
    env = credo.make("Hopper-v5")
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step(np.zeros(3))
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"expects an action of shape \(3,\), got shape \(2,\)"):
        env.step(np.zeros(2))
    with pytest.raises(TypeError, match="must be numeric"):
        env.step(np.array(["a", "b", "c"]))
    with pytest.raises(ValueError, match="action value 1 is not finite"):
        env.step(np.array([0.0, np.nan, 0.0]))
    with pytest.raises(ValueError, match="reset options are not supported"):
        env.reset(options={"x_init": 1.0})
    # float64, integer and list actions are accepted, as by Gymnasium.
    for action in (np.zeros(3), np.zeros(3, dtype=np.int64), [0.0, 0.0, 0.0]):
        assert env.step(action)[0].shape == (11,)
    env.close()
    with pytest.raises(RuntimeError, match="step\\(\\) called after close\\(\\)"):
        env.step(np.zeros(3))
    with pytest.raises(RuntimeError, match="after close"):
        env.reset()


def test_reset_to_sets_the_exact_state_and_checks_it():
    env, ref = credo.make("Hopper-v5"), reference("Hopper-v5")
    ref.reset(seed=0)
    qpos, qvel = np.linspace(0, 0.1, 6) + [0, 1.25, 0, 0, 0, 0], np.linspace(-0.2, 0.2, 6)
    ref.unwrapped.set_state(qpos, qvel)
    obs, info = env.reset_to(qpos, qvel)
    assert np.array_equal(obs, ref.unwrapped._get_obs())
    with pytest.raises(ValueError, match="needs qpos of 6 values and qvel of 6, got 5 and 6"):
        env.reset_to(qpos[:5], qvel)
