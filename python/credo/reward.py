"""`load_reward(run_dir)`: the learning reward of a credo imitation run, to plug into a learner of your own.

The reward is the run's discriminator at its last checkpoint, through the run's transform (`gail`, `airl` or
`logd`), scale, running normalisation and clip, plus DAC's absorbing-state value on true terminations, exactly as
the run's learner was relabelling its batches then. Scoring changes nothing (no discriminator step, no update of
the normaliser or of the adaptive clip's window)."""
from __future__ import annotations

import math
import os

import numpy as np


class Reward:
    """`reward(obs, act, next_obs, terminated)` gives float32 learning rewards [B] for a batch (or a scalar for one
    transition), actions in the env's units. The discriminator judges (obs, act); `next_obs` is accepted for the
    (s, a, s', done) signature reward functions share in imitation libraries and checked for shape only.
    `terminated` (true terminations, not time limits) adds the absorbing state's value gamma r_abs / (1 - gamma)
    when the run used absorbing states.

    `clip`: "run" (default) clips as the run did (its fixed c, none, or its adaptive threshold now); None or
    "off" gives the unclipped reward; a positive number c clips at c (CREDO, arXiv 2312.11214)."""

    def __init__(self, native):
        self._native = native
        self.env_id: str = native.env_id
        self.transform: str = native.transform
        self.obs_dim: int = native.obs_dim
        self.act_dim: int = native.act_dim

    @property
    def run_clip(self) -> float:
        """The run's upper clip now: its fixed c, inf when off, or its adaptive threshold at the checkpoint."""
        return self._native.run_clip

    def _upper_clip(self, clip) -> float:
        if clip is None or clip == "off":
            return math.inf
        if isinstance(clip, str):
            if clip == "run":
                return self.run_clip
            raise ValueError(f"clip must be 'run', 'off', None or a positive number, got {clip!r}")
        if isinstance(clip, bool) or not isinstance(clip, (int, float, np.integer, np.floating)) or not clip > 0:
            raise ValueError(f"clip must be 'run', 'off', None or a positive number, got {clip!r}")
        return float(clip)

    def _rows(self, name: str, value, width: int, dtype) -> np.ndarray:
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{self.env_id} reward: {name} must be numeric, got dtype {array.dtype}")
        if array.ndim not in (1, 2) or array.shape[-1] != width:
            raise ValueError(f"{self.env_id} reward: {name} must have shape ({width},) or (B, {width}), "
                             f"got shape {array.shape}")
        rows = np.ascontiguousarray(array.reshape(-1, width), dtype=dtype)
        if not np.isfinite(rows).all():
            raise ValueError(f"{self.env_id} reward: {name} holds NaN or infinite values")
        return rows

    def __call__(self, obs, act, next_obs=None, terminated=None, *, clip="run"):
        single = np.ndim(obs) == 1
        o = self._rows("obs", obs, self.obs_dim, np.float32)
        a = self._rows("act", act, self.act_dim, np.float64)
        if len(a) != len(o):
            raise ValueError(f"{self.env_id} reward: {len(o)} observations but {len(a)} actions")
        if next_obs is not None and self._rows("next_obs", next_obs, self.obs_dim, np.float32).shape != o.shape:
            raise ValueError(f"{self.env_id} reward: next_obs must have the shape of obs, {o.shape}")
        if terminated is None:
            t = np.zeros(len(o), dtype=np.float32)
        else:
            t = np.ascontiguousarray(np.asarray(terminated).reshape(-1), dtype=np.float32)
            if len(t) != len(o):
                raise ValueError(f"{self.env_id} reward: {len(o)} observations but {len(t)} terminated flags")
        rewards = self._native.score(o, a, t, self._upper_clip(clip))
        return rewards[0] if single else rewards

    def __repr__(self) -> str:
        return f"<credo Reward {self.transform} for {self.env_id}, run clip {self.run_clip}>"


def load_reward(run_dir: str | os.PathLike, demos: str | os.PathLike | None = None) -> Reward:
    """The learning reward of the imitation run in `run_dir` (a folder `credo train --demos` or credo.train
    wrote), at its last checkpoint. `demos` replaces the run's demonstration file (when the run folder moved):
    the discriminator's inputs are set up from it as the run set them up. A folder that is not an imitation run, a
    missing or corrupt checkpoint raise ValueError with one line. Loads LibTorch (through torch) on first use."""
    import torch  # noqa: F401  (loads the LibTorch credo._learn links)

    from credo import _learn

    return Reward(_learn.RunReward(os.fspath(run_dir), "" if demos is None else os.fspath(demos)))
