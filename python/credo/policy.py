"""`load_policy(path)`: a policy file written by `credo train` (final_policy.pt, best_policy.pt) or shipped in
experts/, as a callable that acts on numpy observations exactly as `credo collect` and `credo eval` act."""
from __future__ import annotations

import os

import numpy as np


class Policy:
    """The deterministic policy of a credo policy file: `policy(obs)` gives float32 actions in the env's units for
    one observation [obs_dim] or a batch [B, obs_dim]."""

    def __init__(self, native):
        self._native = native
        self.env_id: str = native.env_id
        self.algo: str = native.algo
        self.obs_dim: int = native.obs_dim
        self.act_dim: int = native.act_dim

    def __call__(self, observation) -> np.ndarray:
        array = np.asarray(observation)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{self.env_id} policy: observations must be numeric, got dtype {array.dtype}")
        if array.shape[-1:] != (self.obs_dim,) or array.ndim not in (1, 2):
            raise ValueError(f"{self.env_id} policy expects observations of shape ({self.obs_dim},) or "
                             f"(B, {self.obs_dim}), got shape {array.shape}")
        rows = np.ascontiguousarray(array.reshape(-1, self.obs_dim), dtype=np.float64)
        actions = self._native.act(rows)
        return actions[0] if array.ndim == 1 else actions

    def __repr__(self) -> str:
        return f"<credo Policy {self.algo} for {self.env_id}: {self.obs_dim} -> {self.act_dim}>"


def load_policy(path: str | os.PathLike) -> Policy:
    """Loads a credo policy file; a missing, foreign or corrupt file raises ValueError with the command line's
    message. Loads LibTorch (through torch) on first use."""
    import torch  # noqa: F401  (loads the LibTorch credo._learn links)

    from credo import _learn

    return Policy(_learn.Policy(os.fspath(path)))
