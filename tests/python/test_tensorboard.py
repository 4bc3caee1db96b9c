"""TensorBoard event files: TensorBoard's own reader finds every metrics.csv scalar with the same values, the
collapse status at each evaluation, the resolved config as text, and after a resume each step once."""
import csv
import subprocess

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

FAST = ["hidden=16,16", "batch_size=32", "start_steps=200", "eval_episodes=2", "eval_interval=500",
        "log_interval=250", "checkpoint_interval=500"]


def train(credo_bin, *args):
    proc = subprocess.run([str(credo_bin), "train", *map(str, args)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def read(run_dir):
    accumulator = EventAccumulator(str(run_dir), size_guidance={"scalars": 0, "tensors": 0})
    accumulator.Reload()
    return accumulator


def check_against_csv(run_dir, accumulator):
    with open(run_dir / "metrics.csv") as f:
        rows = list(csv.DictReader(f))
    tags = set(accumulator.Tags()["scalars"])
    # Every metrics.csv column, and the collapse status (docs/telemetry.md) at each evaluation.
    assert tags == {c for c in rows[0] if c != "step"} | {"collapsed"}
    collapsed = [(e.step, e.value) for e in accumulator.Scalars("collapsed")]
    assert collapsed == [(int(r["step"]), 0.0) for r in rows if r["eval_return"] != ""]
    for tag in tags - {"collapsed"}:
        expected = [(int(r["step"]), float(r[tag])) for r in rows if r[tag] != ""]
        got = [(e.step, e.value) for e in accumulator.Scalars(tag)]
        assert [s for s, _ in got] == [s for s, _ in expected], tag
        assert [v for _, v in got] == pytest.approx([v for _, v in expected], rel=1e-6, abs=1e-30), tag
    return rows


def test_event_files_hold_every_metric_and_the_config(credo_bin, tmp_path):
    out = tmp_path / "run"
    train(credo_bin, "--algo", "td3", "--env", "Pendulum-v1", "--steps", 1500, "--out", out, *FAST)
    accumulator = read(out)
    rows = check_against_csv(out, accumulator)
    assert len(rows) == 6
    config = accumulator.Tensors("config")[0].tensor_proto.string_val[0].decode()
    assert (out / "config.toml").read_text() in config


def test_a_resumed_run_shows_each_step_once(credo_bin, tmp_path):
    out = tmp_path / "run"
    train(credo_bin, "--algo", "td3", "--env", "Pendulum-v1", "--steps", 1000, "--out", out, *FAST)
    train(credo_bin, "--resume", out, "--steps", 2000)
    assert len(list(out.glob("events.out.tfevents.*"))) == 2
    rows = check_against_csv(out, read(out))
    assert [int(r["step"]) for r in rows] == list(range(250, 2001, 250))
