"""credo.train: a short run from Python writes the run folder `credo train` writes (credo report reads it), reports
progress row by row, raises ValueError with the command line's message for bad options, and on Ctrl-C stops at a
checkpoint, raises KeyboardInterrupt, and resumes."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BUILD_PYTHON = os.environ.get("CREDO_PYTHON_PATH", str(Path(__file__).resolve().parents[2] / "build" / "python"))
sys.path.insert(0, BUILD_PYTHON)
import credo  # noqa: E402

FAST = {"hidden": [16, 16], "batch_size": 32, "start_steps": 200, "eval_episodes": 2, "eval_interval": 500,
        "log_interval": 250, "checkpoint_interval": 500}


def test_a_short_run_writes_the_cli_run_folder(credo_bin, tmp_path):
    rows = []
    summary = credo.train(tmp_path / "run", env="Pendulum-v1", algo="td3", steps=1000, seed=1, config=FAST,
                          progress=rows.append)
    assert summary["status"] == "finished" and summary["steps"] == 1000 and summary["algo"] == "td3"
    assert [int(r["step"]) for r in rows] == [250, 500, 750, 1000]
    assert rows[-1]["eval_return"] != ""
    for name in ("config.toml", "metrics.csv", "summary.json", "final_policy.pt", "checkpoint.pt"):
        assert (tmp_path / "run" / name).exists(), name
    assert "hidden = [16, 16]" in (tmp_path / "run" / "config.toml").read_text()
    report = subprocess.run([str(credo_bin), "report", tmp_path, "--out", tmp_path / "report"], capture_output=True,
                            text=True)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "report.md").exists()


def test_bad_options_raise_value_error_with_the_command_lines_message(credo_bin, tmp_path):
    with pytest.raises(ValueError) as error:
        credo.train(tmp_path / "run", env="Hopper-v9", algo="td3", steps=100)
    proc = subprocess.run([str(credo_bin), "train", "--out", tmp_path / "cli", "--env", "Hopper-v9", "--algo", "td3",
                           "--steps", "100"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.strip() == f"credo: error: {error.value}"
    with pytest.raises(ValueError, match="batch_size"):
        credo.train(tmp_path / "run2", env="Pendulum-v1", algo="td3", steps=100, config={"batch_size": 0})
    with pytest.raises(TypeError, match="config key 'hidden'"):
        credo.train(tmp_path / "run3", env="Pendulum-v1", algo="td3", steps=100, config={"hidden": {"a": 1}})
    assert not (tmp_path / "run").exists() and not (tmp_path / "run2").exists()


INTERRUPTED = """
import sys
sys.path.insert(0, sys.argv[1])
import credo
try:
    credo.train(sys.argv[2], env="Pendulum-v1", algo="td3", steps=10_000_000, config={"hidden": [16, 16],
                "batch_size": 32, "start_steps": 200, "log_interval": 250, "checkpoint_interval": 100000})
except KeyboardInterrupt:
    print("KeyboardInterrupt")
"""


def test_ctrl_c_stops_at_a_checkpoint_and_the_run_resumes(tmp_path):
    run_dir = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPTED, BUILD_PYTHON, str(run_dir)], stdout=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 120
    while not (run_dir / "metrics.csv").exists() or len((run_dir / "metrics.csv").read_text().splitlines()) < 3:
        assert time.time() < deadline and proc.poll() is None, "the run did not start"
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)  # to Python only: it must pass the request on
    out, _ = proc.communicate(timeout=120)
    assert out.strip() == "KeyboardInterrupt"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "interrupted" and (run_dir / "checkpoint.pt").exists()
    stopped = summary["steps"]
    assert 500 <= stopped < 10_000_000
    resumed = credo.train(resume=run_dir, steps=stopped + 500)
    assert resumed["status"] == "finished" and resumed["steps"] == stopped + 500
