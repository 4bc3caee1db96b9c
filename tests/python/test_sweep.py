"""`credo sweep` with the local backend as a user runs it: a grid becomes runs, a rerun skips what finished, a killed
sweep or a killed cell resumes without losing or duplicating a run, a diverged cell does not stop the others, and
bad sweep files get one clear line."""
import csv
import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sweep_files import FAST_RUN

EXPERTS = Path(__file__).resolve().parents[2] / "experts"


def sweep_file(tmp_path, grid, steps=1000, extra=""):
    path = tmp_path / "sweep.toml"
    path.write_text(FAST_RUN.format(steps=steps) + extra + "[grid]\n" + grid)
    return path


def sweep(credo_bin, *args, timeout=600, cwd=None):
    return subprocess.run([str(credo_bin), "sweep", *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd)


def steps_of(run_dir):
    with open(run_dir / "metrics.csv") as f:
        return [int(r["step"]) for r in csv.DictReader(f)]


def states(out):
    return {c["name"]: c["state"] for c in json.loads((out / "sweep.json").read_text())["cells"]}


def test_grid_becomes_runs_and_a_rerun_skips_them(credo_bin, tmp_path):
    file = sweep_file(tmp_path, 'algo = ["td3", "ddpg"]\nseed = [1, 2]\n')
    out = tmp_path / "out"
    dry = sweep(credo_bin, file, "--out", out, "--dry-run")
    assert dry.returncode == 0 and "4 runs" in dry.stdout and not out.exists()
    assert "algo-ddpg_seed-2" in dry.stdout and "--seed 2" in dry.stdout
    assert " at a time: td3, ddpg untimed until one of their cells finishes" in dry.stdout
    proc = sweep(credo_bin, file, "--out", out, "--jobs", 2)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert states(out) == {f"algo-{a}_seed-{s}": "finished" for a in ("td3", "ddpg") for s in (1, 2)}
    config = (out / "algo-ddpg_seed-2" / "config.toml").read_text()
    assert "algo = 'ddpg'" in config and "seed = 2" in config and "hidden = [16, 16]" in config
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/metrics.csv")}
    again = sweep(credo_bin, file, "--out", out, "--jobs", 2)
    assert again.returncode == 0 and "0 to run (4 done)" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/metrics.csv")} == before
    assert "time left, 2 at a time: none" in sweep(credo_bin, file, "--out", out, "--jobs", 2, "--dry-run").stdout


def test_a_killed_sweep_resumes_without_losing_or_duplicating(credo_bin, tmp_path):
    file = sweep_file(tmp_path, 'seed = [1, 2, 3]\n', steps=6000, extra='algo = "td3"\n')
    out = tmp_path / "out"
    proc = subprocess.Popen([str(credo_bin), "sweep", str(file), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not list(out.glob("*/checkpoint.pt")):
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, stdout
    assert "interrupted" in states(out).values()
    proc = sweep(credo_bin, file, "--out", out, "--jobs", 2)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name, state in states(out).items():
        assert state == "finished"
        assert steps_of(out / name) == list(range(250, 6001, 250)), name


def test_a_killed_cell_does_not_stop_the_others_and_is_rerun(credo_bin, tmp_path):
    file = sweep_file(tmp_path, 'seed = [1, 2]\n', steps=4000, extra='algo = "td3"\n')
    out = tmp_path / "out"
    proc = subprocess.Popen([str(credo_bin), "sweep", str(file), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = out / "seed-1"
    deadline = time.time() + 120
    while time.time() < deadline and not (victim / "metrics.csv").exists():
        time.sleep(0.1)
    subprocess.run(["pkill", "-KILL", "-f", f"out {victim} "], check=False)
    stdout, _ = proc.communicate(timeout=300)
    assert proc.returncode == 1, stdout
    assert states(out)["seed-2"] == "finished" and states(out)["seed-1"] in ("failed", "interrupted")
    proc = sweep(credo_bin, file, "--out", out)
    assert proc.returncode == 0, proc.stdout
    assert states(out) == {"seed-1": "finished", "seed-2": "finished"}
    assert steps_of(victim) == list(range(250, 4001, 250))


def test_a_cell_that_finished_while_waiting_is_not_run_again(credo_bin, tmp_path):
    # A run folder copied in (from another machine, or written by a second sweep) while the cell waits its turn.
    elsewhere = tmp_path / "elsewhere"
    proc = sweep(credo_bin, sweep_file(tmp_path, 'seed = [2]\n', extra='algo = "td3"\n'), "--out", elsewhere)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    file = sweep_file(tmp_path, 'seed = [1, 2]\n', steps=4000, extra='algo = "td3"\n')
    out = tmp_path / "out"
    proc = subprocess.Popen([str(credo_bin), "sweep", str(file), "--out", str(out), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (out / "seed-1" / "metrics.csv").exists():
        time.sleep(0.1)
    shutil.copytree(elsewhere / "seed-2", out / "seed-2")
    copied = (out / "seed-2" / "metrics.csv").stat().st_mtime_ns
    stdout, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, stdout
    assert "seed-2 is already finished; not run again" in stdout
    assert states(out) == {"seed-1": "finished", "seed-2": "finished"}
    assert (out / "seed-2" / "metrics.csv").stat().st_mtime_ns == copied
    assert steps_of(out / "seed-2") == list(range(250, 1001, 250))


def test_a_diverged_cell_is_done_and_the_others_finish(credo_bin, tmp_path):
    demos = tmp_path / "demos.h5"
    subprocess.run([str(credo_bin), "collect", "--policy", str(EXPERTS / "sac-pendulum-v1.pt"), "--env",
                    "Pendulum-v1", "--episodes", "2", "--out", str(demos)], check=True, capture_output=True)
    extra = f'algo = "td3"\ndemos = "{demos}"\nclip = "off"\nq_bound = 1000.0\ndisc_interval = 250\n' \
            'disc_updates = 50\ndisc_start = 500\n'
    file = sweep_file(tmp_path, 'reward_scale = [1.0, 1e9]\n', steps=4000, extra=extra)
    out = tmp_path / "out"
    proc = sweep(credo_bin, file, "--out", out, "--jobs", 2)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(states(out).values()) == ["diverged", "finished"]


@pytest.mark.parametrize("content, expected", [
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\nbatchsize = 3\n[grid]\nseed = [1]\n',
     "did you mean 'batch_size'?"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grid]\n', "[grid] is missing or empty"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grid]\nseed = []\n', "'seed' is an empty list"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grid]\nseed = 3\n', "[grid] has no list of values"),
    ('[run]\nenv = "Pendulum-v1"\nsteps = 10\n[[grid]]\nalgo = ["td3"]\nseed = [1, 2]\n'
     '[[grid]]\nalgo = ["td3", "ppo"]\nseed = [2]\n',
     "run 'algo-td3_seed-2' comes from both [[grid]] 1 and [[grid]] 2"),
    ('[run]\nenv = "Pendulum-v1"\nsteps = 10\n[[grid]]\nalgo = ["td3"]\n[[grid]]\nalgo = "ppo"\nsteps = 20\n',
     "'steps' is both in [run] and [[grid]] 2"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[[grid]]\nseed = [1]\n[[grid]]\nseed = []\n',
     "[[grid]] 2 'seed' is an empty list"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grids]\nseed = [1]\n', "unknown table 'grids'"),
    ('[run]\nenv = "Pendulum-v1"\nsteps = 10\n[grid]\nseed = [1]\n', "no 'algo' in [run] or [grid]"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grid]\nseed = [' + ", ".join(map(str, range(300)))
     + "]\n", "the grid makes 300 runs, more than 200; pass --yes"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grid]\nseed = [1\n', "sweep.toml:"),
    ('[run]\nenv = "Pendulum-v1"\nsteps = 10\neval_interval = 300\n[grid]\nalgo = ["ppo"]\n',
     "'eval_interval' must be a multiple of log_interval (1024), got 300"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\n[grid]\nreward = ["gail", "airl"]\n',
     "reward and clip shape the imitation reward; add demos"),
    ('[run]\nenv = "Pendulum-v1"\nsteps = 10\n[grid]\nalgo = ["bc"]\n', "algo bc clones demonstrations; add demos"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\ndemos = "d.h5"\nclip = "auto"\nclip_quantile = 1.5\n'
     '[grid]\nseed = [1]\n', "config key 'clip_quantile' must be in (0, 1], got 1.5"),
    ('[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 10\ndemos = "d.h5"\n[grid]\nclip = ["off", -1]\n',
     "config key 'clip' must be a positive number, off or auto, got -1"),
])
def test_bad_sweep_files_get_one_line(credo_bin, tmp_path, content, expected):
    file = tmp_path / "sweep.toml"
    file.write_text(content)
    proc = sweep(credo_bin, file, "--out", tmp_path / "out")
    assert proc.returncode == 2, proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1 and expected in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_missing_file_and_missing_slurm_are_explained(credo_bin, tmp_path):
    proc = sweep(credo_bin, tmp_path / "none.toml", "--out", tmp_path / "out")
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    file = sweep_file(tmp_path, 'seed = [1]\n', extra='algo = "td3"\n')
    proc = subprocess.run([str(credo_bin), "sweep", str(file), "--out", str(tmp_path / "out"), "--backend", "slurm"],
                          capture_output=True, text=True, env={"PATH": "/nonexistent"})
    assert proc.returncode == 2 and "'sbatch' is not on PATH" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_values_can_name_other_keys(credo_bin, tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text('[run]\nalgo = "td3"\nsteps = 10\ndemos = "demos/{env}-{seed}.h5"\n'
                    '[grid]\nenv = ["Pendulum-v1", "Hopper-v5"]\nseed = [1, 2]\n')
    proc = sweep(credo_bin, file, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "--demos demos/Hopper-v5-2.h5" in proc.stdout and "--demos demos/Pendulum-v1-1.h5" in proc.stdout


def test_several_grids_make_their_union_with_fixed_values_of_their_own(credo_bin, tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text('[run]\nenv = "Pendulum-v1"\nreward = "gail"\ndemos = "demos/{env}.h5"\n'
                    '[[grid]]\nalgo = ["td3", "sd3"]\nclip = ["off", 5]\nseed = [1]\nsteps = 2000\n'
                    '[[grid]]\nalgo = ["ppo"]\nclip = ["off"]\nseed = [1, 2]\nsteps = 4096\n')
    proc = sweep(credo_bin, file, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    lines = [line.split() for line in proc.stdout.splitlines()[1:]]
    assert "6 runs" in proc.stdout and len(lines) == 6
    # Grids in file order; within one, keys by name, the last (seed) varying fastest; each grid's plain value reaches its runs only.
    assert [line[0] for line in lines] == ["algo-td3_clip-off_seed-1", "algo-td3_clip-5_seed-1",
                                          "algo-sd3_clip-off_seed-1", "algo-sd3_clip-5_seed-1",
                                          "algo-ppo_clip-off_seed-1", "algo-ppo_clip-off_seed-2"]
    steps = {line[0]: line[line.index("--steps") + 1] for line in lines}
    assert steps["algo-sd3_clip-5_seed-1"] == "2000" and steps["algo-ppo_clip-off_seed-2"] == "4096"


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).resolve().parents[2] / "configs" / "sweeps")
                                        .glob("*.toml")))
def test_every_committed_sweep_file_resolves(credo_bin, tmp_path, name):
    """Every cell of the committed sweep files resolves to a valid `credo train` (keys, presets, values)."""
    path = Path(__file__).resolve().parents[2] / "configs" / "sweeps" / name
    proc = sweep(credo_bin, path, "--out", tmp_path / "out", "--dry-run", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "dry run: nothing started" in proc.stdout


def test_missing_demonstrations_stop_the_sweep_before_it_starts(credo_bin, tmp_path):
    # A cell would only fail when its turn came, hours in; the sweep says so at once and writes nothing.
    file = sweep_file(tmp_path, 'seed = [1, 2]\n', extra='algo = "td3"\ndemos = "no-such-folder/{env}.h5"\n')
    out = tmp_path / "out"
    proc = sweep(credo_bin, file, "--out", out, cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "demonstrations 'no-such-folder/Pendulum-v1.h5' do not exist" in proc.stderr
    assert not out.exists()
    assert sweep(credo_bin, file, "--out", out, "--dry-run", cwd=tmp_path).returncode == 0  # listing still works


def test_demonstrations_of_another_env_stop_the_sweep_before_it_starts(credo_bin, tmp_path):
    demos = tmp_path / "pendulum.h5"
    collect = subprocess.run([str(credo_bin), "collect", "--policy", EXPERTS / "sac-pendulum-v1.pt", "--env",
                              "Pendulum-v1", "--episodes", "1", "--out", demos], capture_output=True, text=True)
    assert collect.returncode == 0, collect.stderr
    file = tmp_path / "sweep.toml"
    file.write_text(f'[run]\nenv = "Hopper-v5"\nalgo = "td3"\nsteps = 1000\ndemos = "{demos}"\n[grid]\nseed = [1, 2]\n')
    out = tmp_path / "out"
    proc = sweep(credo_bin, file, "--out", out)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "sweep cell 'seed-1': demonstrations" in proc.stderr and "but Hopper-v5 has 11 and 3" in proc.stderr
    assert not out.exists()
