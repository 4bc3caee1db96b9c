"""Demonstrations and Python interoperability as a user meets them: `credo collect` files read with h5py and
numpy, files written by Python and Minari read by credo, TorchScript export loaded with torch alone, and broken
files refused with one clear line."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import gymnasium as gym
import h5py
import numpy as np
import pytest
import torch

EXPERTS = Path(__file__).resolve().parents[2] / "experts"
PENDULUM_EXPERT = EXPERTS / "sac-pendulum-v1.pt"
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated:FutureWarning")
ARRAYS = ["observations", "actions", "rewards", "terminals", "timeouts", "next_observations", "episode_starts"]


def run(credo_bin, *args, timeout=300, env=None):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env)


def manifest_entry(env_id):
    manifest = json.loads((EXPERTS / "manifest.json").read_text())
    return next(e for e in manifest["experts"] if e["env"] == env_id)


@pytest.fixture(scope="module")
def pendulum_demos(credo_bin, tmp_path_factory):
    """Three expert episodes on Pendulum-v1, seeds 5, 6, 7."""
    out = tmp_path_factory.mktemp("demos") / "pendulum.h5"
    proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", "Pendulum-v1", "--episodes", 3,
               "--seed", 5, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "collected 600 transitions in 3 episodes" in proc.stdout
    return out


def test_collect_writes_the_documented_hdf5_layout(pendulum_demos):
    with h5py.File(pendulum_demos) as f:
        assert sorted(f.keys()) == sorted(ARRAYS)
        assert f["observations"].shape == (600, 3) and f["observations"].dtype == np.float32
        assert f["next_observations"].shape == (600, 3) and f["next_observations"].dtype == np.float32
        assert f["actions"].shape == (600, 1) and f["actions"].dtype == np.float32
        assert f["rewards"].shape == (600,) and f["rewards"].dtype == np.float32
        assert f["terminals"].dtype == np.bool_ and f["timeouts"].dtype == np.bool_
        assert f["episode_starts"].dtype == np.int64
        assert list(f["episode_starts"][:]) == [0, 200, 400]
        assert not f["terminals"][:].any()  # Pendulum never terminates
        assert list(np.flatnonzero(f["timeouts"][:])) == [199, 399, 599]
        obs, nxt = f["observations"][:], f["next_observations"][:]
        # Within an episode the next observation is the following row's observation.
        for start in (0, 200, 400):
            np.testing.assert_array_equal(nxt[start:start + 199], obs[start + 1:start + 200])
        attrs = dict(f.attrs)
        assert attrs["format"] == "credo-demos-1" and attrs["env_id"] == "Pendulum-v1"
        assert attrs["obs_dim"] == 3 and attrs["act_dim"] == 1 and attrs["collection_seed"] == 5
        assert attrs["transitions"] == 600 and attrs["episodes"] == 3 and attrs["noise"] == 0.0
        assert attrs["credo_version"] and attrs["algo"] == "sac"
        returns = [f["rewards"][s:s + 200].sum(dtype=np.float64) for s in (0, 200, 400)]
        assert attrs["expert_return_mean"] == pytest.approx(np.mean(returns), abs=1e-3)
        assert attrs["expert_return_std"] == pytest.approx(np.std(returns), abs=1e-3)


def test_collected_episodes_replay_in_gymnasium(pendulum_demos):
    """The stored actions, stepped in Gymnasium from each episode's first state, give the stored observations and
    rewards (credo's reset noise comes from its own generator, so the start state is set, not seeded). Replayed
    open loop, the balanced pendulum amplifies the float32 rounding of the start state, so 50 steps are compared."""
    with h5py.File(pendulum_demos) as f:
        obs, actions, rewards = f["observations"][:], f["actions"][:], f["rewards"][:]
    env = gym.make("Pendulum-v1")
    for start in (0, 200, 400):
        env.reset(seed=0)
        cos, sin, theta_dot = obs[start].astype(np.float64)
        env.unwrapped.state = np.array([np.arctan2(sin, cos), theta_dot])
        for t in range(start, start + 50):
            o, r, *_ = env.step(actions[t])
            np.testing.assert_allclose(obs[t + 1], o, rtol=0, atol=1e-5)
            assert rewards[t] == pytest.approx(r, abs=1e-4)


def test_collect_by_transitions_cuts_the_last_episode_as_a_timeout(credo_bin, tmp_path):
    out = tmp_path / "cut.h5"
    proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", "Pendulum-v1", "--transitions", 250,
               "--seed", 0, "--out", out)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out) as f:
        assert f["observations"].shape[0] == 250
        assert list(f["episode_starts"][:]) == [0, 200]
        assert list(np.flatnonzero(f["timeouts"][:])) == [199, 249]
        # The expert return is that of the one episode that ended by itself.
        assert f.attrs["expert_return_mean"] == pytest.approx(f["rewards"][:200].sum(dtype=np.float64), abs=1e-3)


def test_noise_changes_actions_and_is_seeded(credo_bin, tmp_path):
    files = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        out = tmp_path / f"{name}.h5"
        proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", "Pendulum-v1", "--episodes", 1,
                   "--seed", seed, "--noise", 0.3, "--out", out)
        assert proc.returncode == 0, proc.stderr
        with h5py.File(out) as f:
            files.append(f["actions"][:])
            assert f.attrs["noise"] == pytest.approx(0.3)
    np.testing.assert_array_equal(files[0], files[1])
    assert not np.array_equal(files[0], files[2])
    assert np.all(np.abs(files[0]) <= 2.0)


def test_npz_holds_the_same_arrays_and_converts_both_ways(credo_bin, pendulum_demos, tmp_path):
    npz = tmp_path / "pendulum.npz"
    proc = run(credo_bin, "demos", "convert", pendulum_demos, npz)
    assert proc.returncode == 0, proc.stderr
    data = np.load(npz)
    with h5py.File(pendulum_demos) as f:
        for key in ARRAYS:
            np.testing.assert_array_equal(data[key], f[key][:])
            assert data[key].dtype == f[key].dtype
        assert str(data["env_id"]) == "Pendulum-v1" and int(data["obs_dim"]) == 3
        assert float(data["expert_return_mean"]) == pytest.approx(f.attrs["expert_return_mean"])
    back = tmp_path / "back.h5"
    assert run(credo_bin, "demos", "convert", npz, back).returncode == 0
    with h5py.File(back) as f, h5py.File(pendulum_demos) as g:
        for key in ARRAYS:
            np.testing.assert_array_equal(f[key][:], g[key][:])


def info(credo_bin, path, *extra, env=None):
    out = Path(str(path) + ".info.json")
    proc = run(credo_bin, "demos", "info", path, "--json", out, *extra, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, json.loads(out.read_text())


def test_demos_info_summarises_a_file(credo_bin, pendulum_demos):
    text, summary = info(credo_bin, pendulum_demos, "--env", "Pendulum-v1")
    assert "transitions     600" in text and "episodes        3 (terminal 0, timeout 3)" in text
    with h5py.File(pendulum_demos) as f:
        returns = [f["rewards"][s:s + 200].sum(dtype=np.float64) for s in (0, 200, 400)]
    assert summary["episodes"] == 3 and summary["transitions"] == 600 and summary["env_id"] == "Pendulum-v1"
    assert summary["episode_returns"] == pytest.approx(returns, abs=1e-3)
    assert summary["return_min"] == pytest.approx(min(returns), abs=1e-3)


def python_episodes(policy, env_id, episodes, seed):
    """Episodes of an exported policy in Gymnasium: lists of (obs, action, reward, next_obs, term, trunc)."""
    env = gym.make(env_id)
    out = []
    for k in range(episodes):
        o, _ = env.reset(seed=seed + k)
        steps = []
        while True:
            with torch.no_grad():
                a = policy(torch.as_tensor(o)).numpy()
            n, r, term, trunc, _ = env.step(a)
            steps.append((o, a, r, n, term, trunc))
            o = n
            if term or trunc:
                break
        out.append(steps)
    return out


def test_a_numpy_file_written_by_python_is_read(credo_bin, tmp_path):
    """D4RL's keys written with np.savez, float64 and integer flags, no episode_starts: credo finds the
    episodes from the flags."""
    rng = np.random.default_rng(0)
    n = 30
    terminals = np.zeros(n, dtype=np.int64)
    terminals[9] = 1
    timeouts = np.zeros(n, dtype=bool)
    timeouts[29] = True
    rewards = rng.normal(size=n)
    path = tmp_path / "python.npz"
    np.savez(path, observations=rng.normal(size=(n, 11)), actions=rng.uniform(-1, 1, size=(n, 3)),
             rewards=rewards, terminals=terminals, timeouts=timeouts, next_observations=rng.normal(size=(n, 11)))
    _, summary = info(credo_bin, path, "--env", "Hopper-v5")
    assert summary["episodes"] == 2 and summary["transitions"] == 30 and summary["env_id"] == ""
    assert summary["episode_returns"] == pytest.approx([rewards[:10].sum(), rewards[10:].sum()], abs=1e-5)
    # Compressed npz reads the same.
    np.savez_compressed(tmp_path / "z.npz", **dict(np.load(path)))
    _, compressed = info(credo_bin, tmp_path / "z.npz")
    assert compressed["episode_returns"] == summary["episode_returns"]
    # And an imitation run trains on it.
    assert_trains_on(credo_bin, tmp_path / "run", path, "Hopper-v5")


def assert_trains_on(credo_bin, out, demos, env_id, env=None):
    proc = run(credo_bin, "train", "--algo", "td3", "--env", env_id, "--steps", 600, "--out", out, "--demos", demos,
               "hidden=16,16", "disc_hidden=16,16", "batch_size=16", "start_steps=100", "eval_episodes=1",
               "eval_interval=300", "log_interval=300", "disc_interval=100", "disc_updates=5", "disc_start=100",
               env=env)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["expert_transitions"] > 0


def test_a_minari_dataset_made_with_minaris_tools_is_imported(credo_bin, tmp_path):
    minari = pytest.importorskip("minari")
    from minari.data_collector.episode_buffer import EpisodeBuffer

    exported = tmp_path / "policy.pt"
    assert run(credo_bin, "export", "--policy", PENDULUM_EXPERT, "--out", exported).returncode == 0
    policy = torch.jit.load(str(exported))
    episodes = python_episodes(policy, "Pendulum-v1", 2, seed=40)
    buffers = []
    for k, steps in enumerate(episodes):
        buffers.append(EpisodeBuffer(
            id=k, seed=40 + k, observations=np.array([s[0] for s in steps] + [steps[-1][3]]),
            actions=np.array([s[1] for s in steps]), rewards=[s[2] for s in steps],
            terminations=[s[4] for s in steps], truncations=[s[5] for s in steps], infos={}))
    datasets = tmp_path / "minari"
    env = dict(os.environ, MINARI_DATASETS_PATH=str(datasets))
    os.environ["MINARI_DATASETS_PATH"] = str(datasets)
    try:
        with pytest.warns(UserWarning):  # Minari asks for author and description metadata
            minari.create_dataset_from_buffers("credo/pendulum/expert-v0", buffers, env=gym.make("Pendulum-v1"),
                                               algorithm_name="credo-sac")
    finally:
        del os.environ["MINARI_DATASETS_PATH"]
    out = tmp_path / "from_minari.h5"
    proc = run(credo_bin, "demos", "convert", "minari:credo/pendulum/expert-v0", out, env=env)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out) as f:
        assert f.attrs["env_id"] == "Pendulum-v1" and f.attrs["algo"] == "credo-sac"
        assert list(f["episode_starts"][:]) == [0, 200]
        steps = episodes[0] + episodes[1]
        np.testing.assert_allclose(f["observations"][:], np.array([s[0] for s in steps]), atol=1e-6)
        np.testing.assert_allclose(f["next_observations"][:], np.array([s[3] for s in steps]), atol=1e-6)
        np.testing.assert_allclose(f["actions"][:], np.array([s[1] for s in steps]), atol=1e-6)
        assert list(np.flatnonzero(f["timeouts"][:])) == [199, 399]
    # The dataset folder itself is accepted as well.
    folder = datasets / "credo" / "pendulum" / "expert-v0"
    _, summary = info(credo_bin, folder, "--env", "Pendulum-v1")
    assert summary["episode_returns"] == pytest.approx([sum(s[2] for s in e) for e in episodes], abs=1e-3)
    # And an imitation run trains on it directly.
    assert_trains_on(credo_bin, tmp_path / "run", "minari:credo/pendulum/expert-v0", "Pendulum-v1", env=env)


def test_exported_policy_gives_credos_actions(credo_bin, pendulum_demos, tmp_path):
    exported = tmp_path / "policy.pt"
    proc = run(credo_bin, "export", "--policy", PENDULUM_EXPERT, "--out", exported)
    assert proc.returncode == 0, proc.stderr
    policy = torch.jit.load(str(exported))
    assert policy.env_id == "Pendulum-v1" and policy.obs_dim == 3 and policy.act_dim == 1
    with h5py.File(pendulum_demos) as f:
        obs, actions = f["observations"][:], f["actions"][:]
    with torch.no_grad():
        batch = policy(torch.from_numpy(obs)).numpy()
        rows = np.stack([policy(torch.from_numpy(o.astype(np.float64))).numpy() for o in obs[:50]])
    assert batch.dtype == np.float32 and batch.shape == actions.shape
    # One row at a time is the computation credo does while collecting; a batch sums in another order.
    np.testing.assert_allclose(rows, actions[:50], rtol=0, atol=1e-6)
    np.testing.assert_allclose(batch, actions, rtol=0, atol=1e-5)


SHIPPED = [e["env"] for e in json.loads((EXPERTS / "manifest.json").read_text())["experts"]]


@pytest.mark.parametrize("env_id", SHIPPED)
def test_exported_expert_reaches_its_return_in_gymnasium(credo_bin, tmp_path, env_id):
    entry = manifest_entry(env_id)
    exported = tmp_path / "policy.pt"
    assert run(credo_bin, "export", "--policy", EXPERTS / entry["policy"], "--out", exported).returncode == 0
    policy = torch.jit.load(str(exported))
    episodes = python_episodes(policy, env_id, 3, seed=777)
    mean = np.mean([sum(s[2] for s in e) for e in episodes])
    expected = entry["evaluation"]["return_mean"]
    # Hopper's return varies more from episode to episode than Pendulum's.
    assert mean >= expected - max(0.1 * abs(expected), 3 * entry["evaluation"]["return_std"])


def test_exported_ppo_policy_includes_observation_normalisation(credo_bin, tmp_path):
    run_dir = tmp_path / "ppo"
    proc = run(credo_bin, "train", "--algo", "ppo", "--env", "Pendulum-v1", "--steps", 2048, "--out", run_dir,
               "n_steps=1024", "eval_interval=2048", "log_interval=1024", "eval_episodes=1")
    assert proc.returncode == 0, proc.stderr
    demos = tmp_path / "ppo.h5"
    proc = run(credo_bin, "collect", "--policy", run_dir / "final_policy.pt", "--env", "Pendulum-v1",
               "--episodes", 1, "--out", demos)
    assert proc.returncode == 0, proc.stderr
    exported = tmp_path / "ppo.pt"
    assert run(credo_bin, "export", "--policy", run_dir / "final_policy.pt", "--out", exported).returncode == 0
    policy = torch.jit.load(str(exported))
    assert hasattr(policy, "obs_mean")
    with h5py.File(demos) as f:
        with torch.no_grad():
            np.testing.assert_allclose(policy(torch.from_numpy(f["observations"][:])).numpy(), f["actions"][:],
                                       rtol=0, atol=1e-5)


# --- bad input ---------------------------------------------------------------------------------------------


def write_h5(path, drop=(), rename=None, attrs=None, unwritten=None, **replace):
    """A small Pendulum-shaped file; `unwritten` = (name, shape) declares a float64 dataset never written."""
    n = 20
    arrays = {"observations": np.zeros((n, 3), np.float32), "actions": np.zeros((n, 1), np.float32),
              "rewards": np.zeros(n, np.float32), "terminals": np.zeros(n, bool), "timeouts": np.zeros(n, bool),
              "next_observations": np.zeros((n, 3), np.float32)}
    arrays["timeouts"][-1] = True
    arrays.update(replace)
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            if key in drop:
                continue
            f[rename.get(key, key) if rename else key] = value
        if unwritten:
            f.create_dataset(unwritten[0], shape=unwritten[1], dtype="f8")
        f.attrs["env_id"] = "Pendulum-v1"
        for key, value in (attrs or {}).items():
            f.attrs[key] = value
    return path


def write_npz_declaring(path, shape, rows):
    """An .npz whose 'observations' header declares `shape` but holds `rows` rows of 3 float32."""
    import io
    import zipfile
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": shape})
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("observations.npy", header.getvalue() + np.zeros((rows, 3), np.float32).tobytes())
    return path


def broken_files(tmp_path, pendulum_demos):
    text = tmp_path / "notes.txt"
    text.write_text("these are not demonstrations\n")
    truncated = tmp_path / "truncated.h5"
    data = pendulum_demos.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_bytes(data[:8] + bytes(200) + data[208:])
    npz_truncated = tmp_path / "truncated.npz"
    np.savez(tmp_path / "whole.npz", observations=np.zeros((5, 3)))
    npz_truncated.write_bytes((tmp_path / "whole.npz").read_bytes()[:100])
    nan_obs = np.zeros((20, 3), np.float32)
    nan_obs[7, 1] = np.nan
    return {
        "missing file": (tmp_path / "nowhere.h5", "does not exist"),
        "not hdf5 or npz": (text, "neither HDF5 nor npz"),
        "empty": (tmp_path / "empty.h5", "empty"),
        "truncated hdf5": (truncated, "truncated or corrupt"),
        "corrupt hdf5": (corrupt, "truncated or corrupt"),
        "truncated npz": (npz_truncated, "truncated or corrupt"),
        "missing dataset": (write_h5(tmp_path / "missing.h5", drop=("actions",)), "no array 'actions'"),
        "misnamed dataset": (write_h5(tmp_path / "misnamed.h5", rename={"observations": "obs"}),
                             "no array 'observations' (found: actions, next_observations, obs"),
        # Names are the file's bytes: one holding a line break and a byte that is not UTF-8 is printed escaped.
        "name not text": (write_h5(tmp_path / "name.h5", rename={"observations": b"obs\n\xdaervations"}),
                          "(found: actions, next_observations, obs\\n\\xdaervations"),
        "wrong dtype": (write_h5(tmp_path / "dtype.h5", observations=np.zeros((20, 3), np.int64)),
                        "'observations' has element type int64"),
        "string dtype": (write_h5(tmp_path / "strings.h5", rewards=np.array([b"x"] * 20)),
                         "'rewards' has element type string"),
        "mismatched lengths": (write_h5(tmp_path / "lengths.h5", actions=np.zeros((19, 1), np.float32)),
                               "'actions' has 19 rows"),
        "non-finite": (write_h5(tmp_path / "nan.h5", observations=nan_obs), "non-finite value (nan) at transition 7"),
        "zero transitions": (write_h5(tmp_path / "zero.h5", observations=np.zeros((0, 3), np.float32),
                                      actions=np.zeros((0, 1), np.float32), rewards=np.zeros(0, np.float32),
                                      terminals=np.zeros(0, bool), timeouts=np.zeros(0, bool),
                                      next_observations=np.zeros((0, 3), np.float32)), "zero transitions"),
        "flags not 0/1": (write_h5(tmp_path / "flags.h5", terminals=np.full(20, 3, np.int64)), "flags are 0 or 1"),
        # Hostile and inconsistent files: sizes declared but not held, attributes that contradict the arrays.
        "2^31 rows declared": (write_h5(tmp_path / "huge.h5", drop=("observations",),
                                        unwritten=("observations", (2**31, 11))),
                               "dataset 'observations' declares shape (2147483648, 11), more than this machine's "
                               "memory budget"),
        "rows declared, never written": (write_h5(tmp_path / "unwritten.h5", drop=("observations",),
                                                  unwritten=("observations", (20, 3))),
                                         "declares 480 bytes of data but the file holds 0 bytes"),
        "npy declares 2^40 rows": (write_npz_declaring(tmp_path / "huge.npz", (2**40, 3), 20),
                                   "declares shape (1099511627776, 3), more than this machine's memory budget"),
        "npy declares more rows than it holds": (write_npz_declaring(tmp_path / "short.npz", (1000, 3), 20),
                                                 "holds fewer values than its shape says"),
        "float16": (write_h5(tmp_path / "half.h5", observations=np.zeros((20, 3), np.float16)),
                    "'observations' has element type float16; it must be float32 or float64"),
        "unknown format": (write_h5(tmp_path / "format.h5", attrs={"format": "credo-demos-9"}),
                           "declare format 'credo-demos-9', which this credo does not read"),
        "transitions attribute": (write_h5(tmp_path / "transitions.h5", attrs={"transitions": 30}),
                                  "attribute transitions = 30 but the arrays hold 20"),
        "episodes attribute": (write_h5(tmp_path / "episodes.h5", attrs={"episodes": -1}),
                               "attribute episodes = -1 but the arrays hold 1"),
        "fifo": (tmp_path / "fifo.h5", "is not a regular file"),
        "symlink loop": (tmp_path / "loop_a.h5", "is a loop of symbolic links"),
    }


BROKEN_CASES = ["missing file", "not hdf5 or npz", "empty", "truncated hdf5", "corrupt hdf5", "truncated npz",
                "missing dataset", "misnamed dataset", "name not text", "wrong dtype", "string dtype",
                "mismatched lengths", "non-finite", "zero transitions", "flags not 0/1", "2^31 rows declared",
                "rows declared, never written", "npy declares 2^40 rows", "npy declares more rows than it holds",
                "float16", "unknown format", "transitions attribute", "episodes attribute", "fifo", "symlink loop"]


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_broken_files_get_one_clear_line(credo_bin, tmp_path, pendulum_demos, case):
    (tmp_path / "empty.h5").write_bytes(b"")
    os.mkfifo(tmp_path / "fifo.h5")
    os.symlink(tmp_path / "loop_b.h5", tmp_path / "loop_a.h5")
    os.symlink(tmp_path / "loop_a.h5", tmp_path / "loop_b.h5")
    path, expected = broken_files(tmp_path, pendulum_demos)[case]
    # A memory limit of 2 GiB: a reader that allocates what a header declares fails here instead of swapping.
    proc = subprocess.run(["bash", "-c", 'ulimit -v 2097152 && exec "$@"', "credo", str(credo_bin), "demos", "info",
                           str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and expected in lines[0], lines[0]


def test_demonstrations_of_another_env_are_refused(credo_bin, pendulum_demos):
    proc = run(credo_bin, "demos", "info", pendulum_demos, "--env", "Hopper-v5")
    assert proc.returncode == 2
    assert "observations of size 3 and actions of size 1, but Hopper-v5 has 11 and 3" in proc.stderr
    same_sizes = run(credo_bin, "demos", "info", pendulum_demos, "--env", "Pendulum-v1")
    assert same_sizes.returncode == 0


@pytest.mark.parametrize("args, expected", [
    (["--episodes", 1, "--transitions", 10], "exactly one of --transitions N or --episodes N"),
    (["--episodes", 0], "exactly one of --transitions N or --episodes N"),
    (["--episodes", 1, "--noise", -1], "--noise must be a finite number >= 0"),
    (["--episodes", 1, "--out-ext", "csv"], "end in .h5, .hdf5 or .npz"),
    (["--episodes", 1, "--env-id", "Hopper-v5"], "does not fit Hopper-v5"),
])
def test_collect_refuses_bad_options(credo_bin, tmp_path, args, expected):
    env_id, ext = "Pendulum-v1", "h5"
    clean = []
    i = 0
    while i < len(args):
        if args[i] == "--out-ext":
            ext = args[i + 1]
        elif args[i] == "--env-id":
            env_id = args[i + 1]
        else:
            clean += args[i:i + 2]
        i += 2
    out = tmp_path / f"out.{ext}"
    proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", env_id, "--out", out, *clean)
    assert proc.returncode == 2 and expected in proc.stderr, proc.stderr
    assert not out.exists()


def test_collect_does_not_overwrite_without_force(credo_bin, pendulum_demos, tmp_path):
    out = tmp_path / "keep.h5"
    shutil.copy(pendulum_demos, out)
    before = out.read_bytes()
    proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", "Pendulum-v1", "--episodes", 1,
               "--out", out)
    assert proc.returncode == 2 and "already exists; pass --force" in proc.stderr
    assert out.read_bytes() == before
    proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", "Pendulum-v1", "--episodes", 1,
               "--out", out, "--force")
    assert proc.returncode == 0
    with h5py.File(out) as f:
        assert f["observations"].shape[0] == 200
