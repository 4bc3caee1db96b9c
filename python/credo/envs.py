"""credo's environments with Gymnasium's API.

`make("Hopper-v5")` returns a `gymnasium.Env` whose reset and step give what `gymnasium.make("Hopper-v5")` gives:
the same spaces, observations, rewards, flags and info values, bit for bit. The physics runs in credo's C++ core;
the initial-state noise is drawn here with the env's numpy generator, in Gymnasium's order, so `reset(seed=s)`
starts where Gymnasium's env starts for the same seed (credo's C++ generator is a different one). Importing
credo also registers every env as `credo/<id>` with Gymnasium, so `gymnasium.make("credo/Hopper-v5")` and
`gymnasium.make_vec` work too.
"""
from __future__ import annotations

import json
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces
from gymnasium.error import ResetNeeded

from credo._compat import load_libmujoco

load_libmujoco()
from credo import _core  # noqa: E402  (links the libmujoco just loaded)

NAMESPACE = "credo"


def env_ids() -> list[str]:
    """Every environment id credo provides (Gymnasium's ids), in `credo env list` order."""
    return _core.env_ids()


def make(env_id: str, max_episode_steps: int | None = None, **kwargs: Any) -> CredoEnv:
    """credo's env `env_id` with the options `kwargs`, as `gymnasium.make(env_id, **kwargs)` makes Gymnasium's
    (ValueError for an unknown id or option, with the valid ones); `max_episode_steps` replaces the registered
    time limit, as in gymnasium.make."""
    return CredoEnv(env_id, max_episode_steps=max_episode_steps, **kwargs)


class CredoEnv(gymnasium.Env):
    """One credo environment behind the Gymnasium API; its time limit is built in (as `gymnasium.make` adds one)."""

    metadata = {"render_modes": []}

    def __init__(self, env_id: str, max_episode_steps: int | None = None, **kwargs: Any):
        if not isinstance(env_id, str):
            raise TypeError(f"env_id must be a string such as 'Hopper-v5', got {type(env_id).__name__}")
        self._id = env_id
        self._env = _core.Env(env_id, json.dumps(kwargs))
        if max_episode_steps is not None:
            self._env.set_max_episode_steps(max_episode_steps)
        spec = self._env.spec
        self.observation_space, self.action_space = spaces_of(spec)
        self._observation_dtype = self.observation_space.dtype
        self._info_keys = spec["info_keys"]
        self._reset_info_keys = spec["reset_info_keys"]
        self._info_dtypes = {dtype: info_dtypes(spec, dtype) for dtype in (np.float32, np.float64)}
        self._reset_noise = self._env.reset_noise
        self.spec = gymnasium.envs.registration.EnvSpec(
            id=f"{NAMESPACE}/{env_id}", entry_point="credo.envs:CredoEnv", reward_threshold=spec["reward_threshold"],
            max_episode_steps=spec["max_episode_steps"], kwargs={"env_id": env_id, **kwargs})
        self._needs_reset = True

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        """Gymnasium's reset: reseeds the env's generator with `seed` (if given) and draws the initial state from
        it exactly as Gymnasium's env does."""
        self._check_open("reset")
        if options:
            raise ValueError(f"{self._id}: reset options are not supported (got {sorted(options)})")
        super().reset(seed=seed)
        return self.reset_to(*draw_initial_state(self._reset_noise, self.np_random))

    def reset_to(self, qpos, qvel):
        """Starts an episode from this exact state (MuJoCo's qpos and qvel; Pendulum's [theta] and [theta_dot]),
        as Gymnasium's reset does after drawing its noise. Returns (observation, info)."""
        self._check_open("reset_to")
        observation, values = self._env.reset_to(np.ascontiguousarray(qpos, dtype=np.float64),
                                                 np.ascontiguousarray(qvel, dtype=np.float64))
        self._needs_reset = False
        return self._observation(observation), dict(zip(self._reset_info_keys, values))

    def step(self, action):
        """Gymnasium's step. A float32 action computes reward terms in float32, as Gymnasium's env does."""
        self._check_open("step")
        if self._needs_reset:
            raise ResetNeeded("Cannot call env.step() before calling env.reset()")
        action = self._action(action)
        observation, reward, terminated, truncated, values = self._env.step(action)
        info = {key: dtype(value) for key, dtype, value in zip(self._info_keys, self._info_dtypes[action.dtype.type],
                                                                values)}
        return self._observation(observation), reward, terminated, truncated, info

    def state(self) -> tuple[np.ndarray, np.ndarray]:
        """The current (qpos, qvel), in the layout reset_to takes."""
        self._check_open("state")
        return self._env.qpos(), self._env.qvel()

    def close(self):
        self._env = None

    def _check_open(self, what: str) -> None:
        if self._env is None:
            raise RuntimeError(f"{self._id}: {what}() called after close()")

    def _observation(self, values: np.ndarray) -> np.ndarray:
        return values if self._observation_dtype == np.float64 else values.astype(self._observation_dtype)

    def _action(self, action) -> np.ndarray:
        array = np.asarray(action)
        if array.dtype.kind in "biuf" and array.shape != self.action_space.shape:
            raise ValueError(f"{self._id} expects an action of shape {self.action_space.shape}, got shape "
                             f"{array.shape}")
        return numeric_action(array, self._id)


def spaces_of(spec: dict) -> tuple[spaces.Box, spaces.Box]:
    """Gymnasium's observation and action spaces from credo's spec (the action space is float32 for every task,
    as Gymnasium's MuJoCo and Pendulum envs have it)."""
    dtype = np.dtype(spec["observation_dtype"])
    observation = spaces.Box(spec["observation_low"].astype(dtype), spec["observation_high"].astype(dtype),
                             dtype=dtype)
    action = spaces.Box(spec["action_low"].astype(np.float32), spec["action_high"].astype(np.float32),
                        dtype=np.float32)
    return observation, action


def draw_initial_state(noise: dict, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """An initial (qpos, qvel) drawn from `rng` as Gymnasium's env draws it: qpos = center + U(-s, s) for every
    entry, then qvel = center + U(-s, s) or center + s * N(0, 1) (HalfCheetah), in one call each (e.g.
    gymnasium/envs/mujoco/hopper_v5.py, reset_model; Pendulum draws theta and theta_dot the same way)."""
    scale = noise["qpos_scale"]
    qpos = noise["qpos_center"] + rng.uniform(low=-scale, high=scale, size=noise["qpos_center"].size)
    scale, size = noise["qvel_scale"], noise["qvel_center"].size
    if noise["gaussian_qvel"]:
        qvel = noise["qvel_center"] + scale * rng.standard_normal(size)
    else:
        qvel = noise["qvel_center"] + rng.uniform(low=-scale, high=scale, size=size)
    return qpos, qvel


def info_dtypes(spec: dict, action_dtype) -> list:
    """The numpy type of each step info value: Gymnasium computes the control cost in the action's dtype (a float32
    action gives a float32 "reward_ctrl"), every other value in float64."""
    return [action_dtype if key in spec["action_dtype_info_keys"] else np.float64 for key in spec["info_keys"]]


def numeric_action(array: np.ndarray, env_id: str) -> np.ndarray:
    """`array` as credo's step takes it: float32 stays float32 (Gymnasium computes the control cost in the
    action's dtype), other numeric dtypes become float64; a non-numeric dtype is a TypeError."""
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{env_id}: an action must be numeric, got dtype {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.float32 if array.dtype == np.float32 else np.float64)


def register_envs() -> None:
    """Registers every credo env with Gymnasium as `credo/<id>` (the time limit is credo's own; TimeLimit, which
    gymnasium.make adds from max_episode_steps, ends episodes at the same step)."""
    for env_id in env_ids():
        name = f"{NAMESPACE}/{env_id}"
        if name in gymnasium.registry:
            continue
        probe = _core.Env(env_id).spec
        gymnasium.register(name, entry_point="credo.envs:CredoEnv", kwargs={"env_id": env_id},
                           max_episode_steps=probe["max_episode_steps"], reward_threshold=probe["reward_threshold"])


register_envs()
