"""credo.make_vec against Gymnasium's SyncVectorEnv in the same autoreset mode (SAME_STEP): observations,
rewards, flags and infos (with final_obs / final_info) step for step, bit for bit, over episode ends; any number
of threads gives the same; bad input raises."""
import os
import sys
import warnings
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

sys.path.insert(0, os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python")))
import credo  # noqa: E402


def reference(env_id: str, num_envs: int, **kwargs) -> gymnasium.vector.VectorEnv:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return gymnasium.make_vec(env_id, num_envs=num_envs, vectorization_mode="sync",
                                  vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP}, **kwargs)


def assert_same_infos(ours: dict, theirs: dict, where) -> None:
    assert ours.keys() == theirs.keys(), (where, sorted(ours), sorted(theirs))
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert_same_infos(ours[key], value, (where, key))
        elif key == "final_obs":
            for a, b in zip(ours[key], value):
                assert (a is None and b is None) or (np.array_equal(a, b) and a.dtype == b.dtype), (where, key)
        else:
            assert ours[key].dtype == value.dtype and np.array_equal(ours[key], value), (where, key, ours[key], value)


@pytest.mark.parametrize("env_id", ["Hopper-v5", "Walker2d-v4", "HalfCheetah-v5", "Pendulum-v1"])
def test_steps_match_sync_vector_env_bit_for_bit(env_id):
    """Hopper-v5 with healthy_z_range narrowed so that episodes end often; HalfCheetah and Pendulum with short
    time limits (gymnasium's max_episode_steps): every step, then a reseeded reset and an unseeded one."""
    kwargs = {"Hopper-v5": {"healthy_z_range": [1.1, 100.0]}, "Walker2d-v4": {}}.get(env_id, {})
    limit = {"HalfCheetah-v5": 30, "Pendulum-v1": 25}.get(env_id)
    if limit:
        kwargs["max_episode_steps"] = limit
    ours, theirs = credo.make_vec(env_id, num_envs=5, threads=2, **kwargs), reference(env_id, 5, **kwargs)
    assert ours.single_observation_space == theirs.single_observation_space
    assert ours.action_space == theirs.action_space and ours.observation_space == theirs.observation_space
    assert ours.metadata["autoreset_mode"] == theirs.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    obs, infos = ours.reset(seed=7)
    ref_obs, ref_infos = theirs.reset(seed=7)
    assert np.array_equal(obs, ref_obs) and obs.dtype == ref_obs.dtype
    assert_same_infos(infos, ref_infos, "reset")
    rng = np.random.default_rng(0)
    ended = 0
    for t in range(120):
        actions = rng.uniform(-1.2, 1.2, size=theirs.action_space.shape).astype(np.float32)
        step, ref = ours.step(actions), theirs.step(actions)
        for name, a, b in zip(("obs", "reward", "terminated", "truncated"), step[:4], ref[:4]):
            assert a.dtype == b.dtype and np.array_equal(a, b), (env_id, t, name)
        assert_same_infos(step[4], ref[4], (env_id, t))
        ended += int(ref[2].sum() + ref[3].sum())
        if t == 60:
            assert_same_reset(ours.reset(seed=[1, None, 3, None, None]), theirs.reset(seed=[1, None, 3, None, None]))
    assert ended >= 3, f"{env_id}: only {ended} episodes ended; the test would not check autoreset"
    assert_same_reset(ours.reset(), theirs.reset())


def assert_same_reset(ours, theirs):
    assert np.array_equal(ours[0], theirs[0])
    assert_same_infos(ours[1], theirs[1], "reset")
