"""Seed populations (`credo train --seeds`): each seed's run folder is what a separate run with that seed writes
(within the float tolerance of the batched update), an interrupted population resumes as if never stopped, and
bad input is refused before anything is written."""
import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from run_folders import TIMING, close, rows

FAST = ["hidden=16,16", "batch_size=32", "start_steps=200", "eval_episodes=2", "eval_interval=500",
        "log_interval=250", "threads=1"]
HOPPER_EXPERT = Path(__file__).resolve().parents[2] / "experts" / "sac-hopper-v5.pt"


def run(credo_bin, *args, timeout=600):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def bad(proc):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("algo, imitating", [("td3", False), ("td3", True), ("sac", False), ("tssg", False)])
def test_each_seed_writes_what_its_separate_run_writes(credo_bin, tmp_path, algo, imitating):
    """td3, sac and tssg on Pendulum-v1 (true reward) and td3 imitating Hopper-v5: seeds 1-3 as one population against
    three separate runs. Same files, same configuration but for the seed, same rows; values within 1e-3 (relative) after 1,500
    steps, where the batched products' rounding has had 1,300 updates to drift. tssg within 5e-2: its sampled actions
    feed the rounding back through the env, and one seed (3) drifts to 1e-2 by step 1,500 while another (1) stays
    at 1e-7 (measured); tests/cpp/population_test.cpp holds it to 1e-5 on fixed transitions."""
    tolerance = 5e-2 if algo == "tssg" else 1e-3
    env, extra = "Pendulum-v1", []
    if imitating:
        demos = tmp_path / "hopper.h5"
        assert run(credo_bin, "collect", "--policy", HOPPER_EXPERT, "--env", "Hopper-v5", "--episodes", 2,
                   "--seed", 0, "--out", demos).returncode == 0
        env, extra = "Hopper-v5", ["--demos", demos, "demo_subsample=20", "disc_start=200"]
    common = ["--algo", algo, "--env", env, "--steps", 1500, *FAST, *extra]
    proc = run(credo_bin, "train", "--seeds", "1-3", "--out", tmp_path / "pop", *common)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "pop" / "population.json").read_text()) == \
        {"seeds": [1, 2, 3], "folders": ["seed-1", "seed-2", "seed-3"]}
    for seed in (1, 2, 3):
        alone = tmp_path / f"alone{seed}"
        assert run(credo_bin, "train", "--seed", seed, "--out", alone, *common).returncode == 0
        member = tmp_path / "pop" / f"seed-{seed}"
        assert sorted(p.name for p in member.iterdir() if "tfevents" not in p.name) == \
            sorted(p.name for p in alone.iterdir() if "tfevents" not in p.name)
        assert (member / "config.toml").read_text() == (alone / "config.toml").read_text()
        a, b = rows(member), rows(alone)
        assert len(a) == len(b) and a[0].keys() == b[0].keys()
        for ra, rb in zip(a, b):
            for key in ra.keys() - TIMING:
                assert close(ra[key], rb[key], tolerance), (seed, ra["step"], key, ra[key], rb[key])
        sa, sb = (json.loads((d / "summary.json").read_text()) for d in (member, alone))
        assert sa["status"] == sb["status"] == "finished"
        assert close(sa["final_eval_return_mean"], sb["final_eval_return_mean"], tolerance)
    # Different seeds learned differently.
    assert rows(tmp_path / "pop" / "seed-1")[-1]["eval_return"] != rows(tmp_path / "pop" / "seed-2")[-1]["eval_return"]


def test_a_resumed_population_continues_exactly_as_the_uninterrupted_one(credo_bin, tmp_path):
    """1,500 steps, then `--resume DIR --steps 3000`, against 3,000 in one go: every row of every seed matches but
    for timing (the population's networks are rebuilt from the seeds' checkpoints)."""
    common = ["--algo", "td3", "--env", "Pendulum-v1", "--seeds", "4,6", *FAST]
    assert run(credo_bin, "train", "--steps", 3000, "--out", tmp_path / "whole", *common).returncode == 0
    split = tmp_path / "split"
    assert run(credo_bin, "train", "--steps", 1500, "--out", split, *common).returncode == 0
    resumed = run(credo_bin, "train", "--resume", split, "--steps", 3000)
    assert resumed.returncode == 0, resumed.stderr
    for seed in ("seed-4", "seed-6"):
        a, b = rows(split / seed), rows(tmp_path / "whole" / seed)
        assert len(a) == len(b) == 12
        for ra, rb in zip(a, b):
            assert {k: v for k, v in ra.items() if k not in TIMING} == {k: v for k, v in rb.items() if k not in TIMING}
    # Finished seeds are not resumed again without a new budget.
    assert "nothing to resume" in bad(run(credo_bin, "train", "--resume", split))


def test_sigint_stops_every_seed_at_one_step_and_the_population_resumes(credo_bin, tmp_path):
    """SIGINT: every seed checkpoints at the same step and says interrupted; `--resume DIR` finishes them, and
    their evaluations after the interruption are the uninterrupted population's. (The first row after the
    interruption averages the update statistics of the resumed part of its interval only, as for a single run.)"""
    common = ["--algo", "td3", "--env", "Pendulum-v1", "--seeds", "4,6", "--steps", "6000", *FAST,
              "checkpoint_interval=100000"]
    whole = tmp_path / "whole"
    assert run(credo_bin, "train", "--out", whole, *common).returncode == 0
    split = tmp_path / "split"
    proc = subprocess.Popen([str(credo_bin), "train", "--out", str(split), *map(str, common)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if (split / "seed-4" / "metrics.csv").exists() and len(rows(split / "seed-4")) >= 6:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    summaries = [json.loads((split / s / "summary.json").read_text()) for s in ("seed-4", "seed-6")]
    assert {s["status"] for s in summaries} == {"interrupted"}
    assert summaries[0]["steps"] == summaries[1]["steps"] and 0 < summaries[0]["steps"] < 6000
    resumed = run(credo_bin, "train", "--resume", split)
    assert resumed.returncode == 0, resumed.stderr
    for seed in ("seed-4", "seed-6"):
        a, b = rows(split / seed), rows(whole / seed)
        assert [r["step"] for r in a] == [r["step"] for r in b]
        assert [r["eval_return"] for r in a] == [r["eval_return"] for r in b]
        assert json.loads((split / seed / "summary.json").read_text())["status"] == "finished"


@pytest.mark.parametrize("seeds, expect", [
    ("", "empty"), ("5-1", "runs backwards"), ("1-300", "more than 256"), ("1,2,1", "named twice"),
    ("a", "not a seed"), ("-3", "not a seed"), ("2-", "not a seed"),
])
def test_bad_seed_lists_are_refused_before_anything_is_written(credo_bin, tmp_path, seeds, expect):
    out = tmp_path / "pop"
    assert expect in bad(run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 100,
                             "--seeds", seeds, "--out", out))
    assert not out.exists()


def test_what_a_population_cannot_do_is_refused(credo_bin, tmp_path):
    out = tmp_path / "pop"
    base = ["train", "--env", "Pendulum-v1", "--steps", 300, "--out", out]
    assert "use td3, ddpg, sd3, sac or tssg" in bad(run(credo_bin, *base, "--algo", "ppo", "--seeds", "1-2"))
    assert "does not name {seed}" in bad(run(credo_bin, *base, "--algo", "td3", "--seeds", "1-2", "--seed-folder", "r"))
    assert "use it with --seeds" in bad(run(credo_bin, *base, "--algo", "td3", "--seed-folder", "x-{seed}"))
    assert "drop --seed" in bad(run(credo_bin, *base, "--algo", "td3", "--seeds", "1-2", "--seed", 3))
    assert not out.exists()
    assert run(credo_bin, *base, "--algo", "td3", "--seeds", "1-2", *FAST).returncode == 0
    assert "already exists" in bad(run(credo_bin, *base, "--algo", "td3", "--seeds", "1-2", *FAST))
    assert "drop --seeds" in bad(run(credo_bin, "train", "--resume", out, "--seeds", "1-2"))
    assert "drop --seed-folder" in bad(run(credo_bin, "train", "--resume", out, "--seed-folder", "x-{seed}"))
    # A seed configured differently is not part of the population; a missing seed folder is named.
    (out / "seed-2" / "summary.json").write_text('{"status": "interrupted"}')
    (out / "seed-1" / "summary.json").write_text('{"status": "interrupted"}')
    config = out / "seed-2" / "config.toml"
    original = config.read_text()
    config.write_text(original.replace("gamma = 0.99", "gamma = 0.98"))
    assert "configured differently" in bad(run(credo_bin, "train", "--resume", out))
    config.write_text(original)
    (out / "seed-2" / "config.toml").rename(out / "seed-2" / "moved.toml")
    assert "is missing" in bad(run(credo_bin, "train", "--resume", out))
