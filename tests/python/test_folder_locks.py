"""One credo process per folder: a run folder or a sweep folder in use is refused to a second process (one line,
exit 2, nothing written), a lock never outlives its process (kill -9 included), a resume cleans what an
interrupted atomic write left, and a sweep's cells stop when the sweep dies."""
import json
import os
import signal
import subprocess
import time

from sweep_files import FAST_RUN

FAST = ["hidden=16,16", "batch_size=32", "start_steps=200", "eval_episodes=1", "eval_interval=500",
        "log_interval=250", "checkpoint_interval=250"]


def start(credo_bin, *args):
    return subprocess.Popen([str(credo_bin), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(path, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline and not path.exists():
        time.sleep(0.1)
    assert path.exists(), path


def alive(pid):
    """Running (an exited process that nobody has reaped yet, a zombie, is not)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in f)
    except FileNotFoundError:
        return False


def run(credo_bin, *args):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_a_run_folder_in_use_is_refused_and_free_again_after_kill_9(credo_bin, tmp_path):
    out = tmp_path / "run"
    first = start(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 100000, "--seed", 1,
                  "--out", out, *FAST)
    wait_for(out / "checkpoint.pt")
    config_before = (out / "config.toml").read_text()
    second = run(credo_bin, "train", "--resume", out, "--steps", 200000)
    assert second.returncode == 2 and len(second.stderr.strip().splitlines()) == 1, second.stderr
    assert f"run folder '{out}' is in use by process {first.pid}" in second.stderr
    assert (out / "config.toml").read_text() == config_before  # --steps was not written
    forced = run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 500, "--out", out,
                 "--force", *FAST)
    assert forced.returncode == 2 and "while a credo process runs in it" in forced.stderr
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=60)
    # A kill -9 during a checkpoint write leaves a temp file; the lock goes with the process.
    (out / ".checkpoint.pt.tmp.AbC123").write_bytes(b"half a checkpoint")
    resumed = run(credo_bin, "train", "--resume", out, "--steps", 1000)
    assert resumed.returncode == 0, resumed.stderr
    assert not list(out.glob(".*.tmp.*"))
    assert json.loads((out / "summary.json").read_text())["status"] == "finished"


def test_a_sweep_folder_in_use_is_refused_and_its_cells_stop_when_the_sweep_dies(credo_bin, tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text(FAST_RUN.format(steps=100000) + 'algo = "td3"\n[grid]\nseed = [1]\n')
    out = tmp_path / "out"
    sweep = start(credo_bin, "sweep", file, "--out", out, "--jobs", 1)
    wait_for(out / "seed-1" / "checkpoint.pt")
    second = run(credo_bin, "sweep", file, "--out", out)
    assert second.returncode == 2 and f"sweep folder '{out}' is in use by process {sweep.pid}" in second.stderr
    cell_pid = int((out / "seed-1" / ".lock").read_text())
    sweep.send_signal(signal.SIGKILL)
    sweep.communicate(timeout=60)
    deadline = time.time() + 60
    while time.time() < deadline and alive(cell_pid):
        time.sleep(0.1)
    assert not alive(cell_pid), "the cell outlived its sweep"
    assert json.loads((out / "seed-1" / "summary.json").read_text())["status"] == "interrupted"
