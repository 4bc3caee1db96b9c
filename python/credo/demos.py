"""`load_demos(path)`: demonstrations (credo's HDF5 or npz files, Minari datasets) as numpy arrays, read and
checked exactly as `credo train --demos` reads them (docs/demonstrations.md has the layout)."""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from credo import _core
from credo._binary import run


@dataclass(frozen=True)
class Demonstrations:
    """Expert transitions in the flat layout offline-RL tools read (D4RL's keys), with episode boundaries."""

    observations: np.ndarray       # [N, obs_dim] float32
    actions: np.ndarray            # [N, act_dim] float32, in the env's units
    rewards: np.ndarray            # [N] float32, the true env reward
    terminals: np.ndarray          # [N] bool: the episode ended in a terminal state
    timeouts: np.ndarray           # [N] bool: the episode was cut here (time limit, end of a collection)
    next_observations: np.ndarray  # [N, obs_dim] float32
    episode_starts: np.ndarray     # [episodes] int64: index of each episode's first transition
    env_id: str                    # "" when the source did not record one
    expert_return_mean: float      # NaN when unknown
    expert_return_std: float
    collection_seed: int           # -1 when unknown
    noise: float                   # std of the Gaussian noise on normalised actions during collection
    policy: str                    # the policy file it was collected with, when known
    algo: str                      # the learner that trained that policy, when known
    credo_version: str             # of the credo that wrote the file; "" for files from elsewhere

    def __len__(self) -> int:
        return len(self.rewards)

    @property
    def episodes(self) -> int:
        return len(self.episode_starts)

    def episode_returns(self) -> np.ndarray:
        """The sum of each episode's rewards (float64), in order."""
        return np.add.reduceat(self.rewards.astype(np.float64), self.episode_starts)


def load_demos(path: str | os.PathLike, env: str | None = None) -> Demonstrations:
    """Reads and validates demonstrations: a .h5/.hdf5 or .npz file, a Minari dataset folder, or "minari:ID". With
    `env` (an id such as "Hopper-v5"), also checks them against that env as `credo train` does. A missing,
    corrupt or inconsistent file raises ValueError with the message the command line prints."""
    return Demonstrations(**_core.load_demos(os.fspath(path), env))


def collect(policy: str | os.PathLike, env: str, out: str | os.PathLike, *, episodes: int | None = None,
            transitions: int | None = None, seed: int | None = None, noise: float | None = None,
            force: bool = False) -> Demonstrations:
    """Rolls the policy file `policy` out on `env` into the demonstration file `out` (.h5, .hdf5 or .npz), as
    `credo collect` does (it runs the packaged binary: the same file, bit for bit), and returns it loaded. Give
    `episodes` (whole episodes) or `transitions` (the last episode cut as a timeout); episode k starts from
    reset(seed + k); `noise` is the std of Gaussian noise on normalised actions. Bad input raises ValueError with
    the command line's message."""
    args = ["collect", "--policy", os.fspath(policy), "--env", env, "--out", os.fspath(out)]
    for flag, value in (("--episodes", episodes), ("--transitions", transitions), ("--seed", seed),
                        ("--noise", noise)):
        if value is not None:
            args += [flag, str(value)]
    if force:
        args.append("--force")
    run(args)
    return load_demos(out)
