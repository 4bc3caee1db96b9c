"""`make_vec("Hopper-v5", num_envs=16, threads=2)`: a `gymnasium.vector.VectorEnv` whose copies step in C++
threads, autoresetting in the same step (Gymnasium's `AutoresetMode.SAME_STEP`): what
`gymnasium.make_vec(id, num_envs, vectorization_mode="sync", vector_kwargs={"autoreset_mode": SAME_STEP})` gives,
step for step and bit for bit, observations, rewards, flags and infos (with "final_obs" and "final_info").

Each copy has its own numpy generator, seeded as Gymnasium seeds sub-environment i (seed + i), and every initial
state is drawn from it in Gymnasium's order; the C++ side resets a finishing copy to the state drawn for it ahead.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from credo import _core
from credo.envs import draw_initial_state, numeric_action, spaces_of


def make_vec(env_id: str, num_envs: int = 1, threads: int = 1, max_episode_steps: int | None = None,
             **kwargs: Any) -> CredoVectorEnv:
    """`num_envs` copies of credo's env `env_id` (options `kwargs` and `max_episode_steps`, as for `make`), stepped
    on `threads` threads."""
    return CredoVectorEnv(env_id, num_envs, threads, max_episode_steps=max_episode_steps, **kwargs)


class CredoVectorEnv(VectorEnv):
    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}

    def __init__(self, env_id: str, num_envs: int, threads: int = 1, max_episode_steps: int | None = None,
                 **kwargs: Any):
        for name, value in (("num_envs", num_envs), ("threads", threads)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self._id = env_id
        self._vec = _core.VectorEnv(env_id, num_envs, threads, json.dumps(kwargs))
        if max_episode_steps is not None:
            self._vec.set_max_episode_steps(max_episode_steps)
        spec = self._vec.spec
        self.num_envs = num_envs
        self.single_observation_space, self.single_action_space = spaces_of(spec)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._observation_dtype = self.single_observation_space.dtype
        self._info_keys = spec["info_keys"]
        self._reset_info_keys = spec["reset_info_keys"]
        self._noise = self._vec.reset_noise
        self._rngs: list[np.random.Generator | None] = [None] * num_envs
        self._next_states: list[tuple[np.ndarray, np.ndarray] | None] = [None] * num_envs
        self._needs_reset = True

    @property
    def np_random(self) -> tuple[np.random.Generator, ...]:
        return tuple(self._rngs)

    def reset(self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None):
        """Resets every copy: with `seed` an int, copy i with seed + i; with a list, copy i with seed[i]; copies
        without a seed continue their generator's stream."""
        self._check_open("reset")
        if options:
            raise ValueError(f"{self._id}: reset options are not supported (got {sorted(options)})")
        seeds = seed if isinstance(seed, list) else [None if seed is None else seed + i for i in range(self.num_envs)]
        if len(seeds) != self.num_envs:
            raise ValueError(f"a list of seeds needs one per env ({self.num_envs}), got {len(seeds)}")
        infos: dict[str, Any] = {}
        for i, s in enumerate(seeds):
            if s is not None or self._rngs[i] is None:
                self._rngs[i], _ = seeding.np_random(s)
                self._next_states[i] = None
            # The state drawn ahead for the next autoreset is the next one in this copy's stream.
            state = self._next_states[i] or draw_initial_state(self._noise, self._rngs[i])
            values = self._vec.reset_to(i, *state)
            self._draw_next_state(i)
            self._add_values(infos, self._reset_info_keys, values, i)
        self._needs_reset = False
        return self._observations(self._vec.observations()), infos

    def step(self, actions):
        self._check_open("step")
        if self._needs_reset:
            raise RuntimeError(f"{self._id}: step() called before reset()")
        array = np.asarray(actions)
        if array.dtype.kind in "biuf" and array.shape != self.action_space.shape:
            raise ValueError(f"{self._id} vector expects actions of shape {self.action_space.shape}, got shape "
                             f"{array.shape}")
        # The infos come built from C++ in Gymnasium's same-step form; only the finished copies' next initial
        # states are drawn here, with their own numpy generators (as Gymnasium's sub-environments draw them).
        observations, rewards, terminated, truncated, infos, finished = self._vec.step(numeric_action(array, self._id))
        for i in finished:
            self._draw_next_state(i)
        return self._observations(observations), rewards, terminated, truncated, infos

    def close_extras(self, **kwargs: Any):
        self._vec = None

    def _check_open(self, what: str) -> None:
        if self._vec is None:
            raise RuntimeError(f"{self._id}: {what}() called after close()")

    def _draw_next_state(self, i: int) -> None:
        self._next_states[i] = draw_initial_state(self._noise, self._rngs[i])
        self._vec.set_next_initial_state(i, *self._next_states[i])

    def _observations(self, values: np.ndarray) -> np.ndarray:
        return values if self._observation_dtype == np.float64 else values.astype(self._observation_dtype)

    def _add_values(self, infos: dict[str, Any], keys: list[str], values: np.ndarray, i: int) -> None:
        """Copy i's reset info values into `infos`, as Gymnasium's VectorEnv._add_info does for numeric entries (a
        float64 array per key, with its mask)."""
        for key, value in zip(keys, values):
            if key not in infos:
                infos[key], infos[f"_{key}"] = np.zeros(self.num_envs), np.zeros(self.num_envs, dtype=bool)
            infos[key][i], infos[f"_{key}"][i] = value, True
