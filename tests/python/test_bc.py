"""Behavioural cloning from the command line: it learns from demonstrations without stepping the env, writes
the same run folder as every learner, resumes, and refuses to start without demonstrations."""
import csv
import json
import subprocess
from pathlib import Path

import pytest

EXPERTS = Path(__file__).resolve().parents[2] / "experts"


def run(credo_bin, *args, timeout=600):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demos(credo_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("bc") / "pendulum.h5"
    proc = run(credo_bin, "collect", "--policy", EXPERTS / "sac-pendulum-v1.pt", "--env", "Pendulum-v1",
               "--episodes", 10, "--seed", 7, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_bc_clones_the_pendulum_expert_into_a_complete_run_folder(credo_bin, tmp_path, demos):
    out = tmp_path / "bc"
    proc = run(credo_bin, "train", "--algo", "bc", "--env", "Pendulum-v1", "--steps", 3000, "--seed", 1,
               "--out", out, "--demos", demos, "eval_episodes=5", "checkpoint_interval=1000")
    assert proc.returncode == 0, proc.stderr
    for name in ("config.toml", "metrics.csv", "checkpoint.pt", "final_policy.pt", "best_policy.pt", "summary.json",
                 "events.csv"):
        assert (out / name).exists(), name
    table = list(csv.DictReader(open(out / "metrics.csv")))
    losses = [float(r["loss_bc"]) for r in table]
    assert losses[-1] < 0.2 * losses[0]
    # No env steps: the episode columns stay empty; each step is one gradient step.
    assert all(r["episode_return"] == "" for r in table) and int(table[-1]["updates"]) == 3000
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["expert_transitions"] == 2000
    normalized = float(table[-1]["eval_return_normalized"])
    # 10 full expert episodes of a 3-dimensional task: cloning reaches most of the expert's return.
    assert normalized > 0.8, summary
    # The policy file acts on its own, as every learner's does.
    proc = run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Pendulum-v1", "--episodes", 2)
    assert proc.returncode == 0, proc.stderr


def test_bc_resumes_where_it_stopped(credo_bin, tmp_path, demos):
    out = tmp_path / "bc"
    assert run(credo_bin, "train", "--algo", "bc", "--env", "Pendulum-v1", "--steps", 1000, "--out", out,
               "--demos", demos, "eval_episodes=1", "eval_interval=500").returncode == 0
    proc = run(credo_bin, "train", "--resume", out, "--steps", 2000)
    assert proc.returncode == 0, proc.stderr
    steps = [int(r["step"]) for r in csv.DictReader(open(out / "metrics.csv"))]
    assert steps == list(range(500, 2001, 500))
    assert json.loads((out / "summary.json").read_text())["steps"] == 2000


def test_bc_without_demonstrations_is_one_line_and_writes_nothing(credo_bin, tmp_path):
    out = tmp_path / "bc"
    proc = run(credo_bin, "train", "--algo", "bc", "--env", "Pendulum-v1", "--steps", 100, "--out", out)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "--algo bc clones demonstrations: add --demos FILE" in proc.stderr
    assert not out.exists()
