"""credo.load_demos and credo.collect: demonstration files as numpy arrays, the same arrays h5py reads from credo's HDF5 files, in
every format credo reads; bad files raise ValueError with the command line's message, never end the interpreter."""
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

sys.path.insert(0, os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python")))
import credo  # noqa: E402

EXPERT = Path(__file__).resolve().parents[2] / "experts" / "sac-pendulum-v1.pt"


def cli(credo_bin, *args):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def collected(credo_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("demos") / "pendulum.h5"
    proc = cli(credo_bin, "collect", "--policy", EXPERT, "--env", "Pendulum-v1", "--episodes", 2, "--seed", 3,
               "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_arrays_are_the_files_arrays(collected):
    demos = credo.load_demos(collected, env="Pendulum-v1")
    assert len(demos) == 400 and demos.episodes == 2 and demos.env_id == "Pendulum-v1"
    with h5py.File(collected) as f:
        for key in ("observations", "actions", "rewards", "terminals", "timeouts", "next_observations",
                    "episode_starts"):
            ours = getattr(demos, key)
            assert ours.dtype == f[key].dtype and np.array_equal(ours, f[key][:]), key
        assert demos.collection_seed == f.attrs["collection_seed"] == 3
        assert demos.expert_return_mean == pytest.approx(f.attrs["expert_return_mean"])
    assert demos.observations.shape == (400, 3) and demos.actions.shape == (400, 1)
    returns = demos.episode_returns()
    assert returns.shape == (2,) and np.mean(returns) == pytest.approx(demos.expert_return_mean, abs=1e-3)


def test_npz_reads_the_same(credo_bin, collected, tmp_path):
    npz = tmp_path / "pendulum.npz"
    assert cli(credo_bin, "demos", "convert", collected, npz).returncode == 0
    a, b = credo.load_demos(collected), credo.load_demos(npz)
    for key in ("observations", "actions", "rewards", "terminals", "timeouts", "next_observations"):
        assert np.array_equal(getattr(a, key), getattr(b, key)), key


def test_bad_files_raise_value_error_with_the_command_lines_message(credo_bin, collected, tmp_path):
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_bytes(collected.read_bytes()[:3000])
    named = tmp_path / "named.h5"  # an array's name with a line break and a byte that is not UTF-8, quoted escaped
    with h5py.File(collected) as source, h5py.File(named, "w") as f:
        for key in source:
            f[b"obs\n\xdaervations" if key == "observations" else key] = source[key][()]
    for path, env in ((tmp_path / "missing.h5", None), (corrupt, None), (collected, "Hopper-v5"), (named, None)):
        with pytest.raises(ValueError) as error:
            credo.load_demos(path, env=env)
        proc = cli(credo_bin, "demos", "info", path, *(["--env", env] if env else []))
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines()[-1] == f"credo: error: {error.value}"
    with pytest.raises(ValueError, match="unknown environment id"):
        credo.load_demos(collected, env="Hopper-v9")


def test_collect_from_python_writes_the_cli_file(credo_bin, collected, tmp_path):
    demos = credo.collect(EXPERT, "Pendulum-v1", tmp_path / "again.h5", episodes=2, seed=3)
    reference = credo.load_demos(collected)
    for key in ("observations", "actions", "rewards", "terminals", "timeouts", "next_observations"):
        assert np.array_equal(getattr(demos, key), getattr(reference, key)), key
    cut = credo.collect(EXPERT, "Pendulum-v1", tmp_path / "cut.npz", transitions=250, seed=0, noise=0.1)
    assert len(cut) == 250 and cut.timeouts[-1] and cut.noise == pytest.approx(0.1)
    with pytest.raises(ValueError) as error:
        credo.collect(EXPERT, "Hopper-v5", tmp_path / "wrong.h5", episodes=1)
    proc = cli(credo_bin, "collect", "--policy", EXPERT, "--env", "Hopper-v5", "--episodes", 1, "--out",
               tmp_path / "wrong-cli.h5")
    assert proc.returncode == 2 and proc.stderr.strip() == f"credo: error: {error.value}"
    assert not (tmp_path / "wrong.h5").exists()
