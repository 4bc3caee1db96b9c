"""Faults a long study meets: kill -9 at random moments followed by --resume, and a disk that fills up. A killed
run loses at most one checkpoint interval and its metrics.csv ends with every row once; a full disk ends the run
with one clear line, a summary that says `failed` and why, and a last checkpoint that still resumes."""
import json
import random
import shutil
import signal
import subprocess
import time

import pytest

FAST = ["hidden=16,16", "batch_size=32", "start_steps=200", "eval_episodes=1", "eval_interval=500",
        "log_interval=250", "checkpoint_interval=250"]
INTERVAL = 250


def run(credo_bin, *args, timeout=300):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def metric_steps(folder):
    lines = (folder / "metrics.csv").read_text().splitlines()[1:]
    return [int(line.split(",")[0]) for line in lines]


def resumed_at(stdout):
    marker = "resuming from the checkpoint at step "
    return int(stdout.split(marker)[1].split()[0]) if marker in stdout else None


def test_kill_9_at_random_moments_loses_at_most_one_checkpoint_interval(credo_bin, tmp_path):
    out, budget, kills = tmp_path / "run", 100000, 6
    fresh = ["train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", budget, "--seed", 3, "--out", out,
             "--force", *FAST]
    schedule = random.Random(20261203)
    args, last_logged = fresh, None
    for _ in range(kills):
        proc = subprocess.Popen([str(credo_bin), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        if args is fresh:  # the first start runs until its first checkpoint, however slow a loaded machine is
            deadline = time.time() + 120
            while time.time() < deadline and not (out / "checkpoint.pt").exists() and proc.poll() is None:
                time.sleep(0.05)
        # Start-up takes about a second: the kills land in set-up, in the loop and in checkpoint writes.
        time.sleep(schedule.uniform(0.5, 4.0))
        assert proc.poll() is None, proc.communicate()  # the budget is far beyond a few seconds' steps
        proc.send_signal(signal.SIGKILL)
        stdout, _ = proc.communicate(timeout=60)
        if last_logged is not None and resumed_at(stdout) is not None:
            # The resumed run restarts from its checkpoint: at most one interval behind the last logged row.
            assert last_logged - resumed_at(stdout) <= INTERVAL, (last_logged, resumed_at(stdout))
        last_logged = max(metric_steps(out), default=0) if (out / "metrics.csv").exists() else None
        args = ["train", "--resume", out] if (out / "checkpoint.pt").exists() else fresh
    assert args != fresh, "no checkpoint after six runs of up to 4 s"
    # The last resume finishes two intervals past the last row logged before the last kill.
    end = last_logged + 2 * INTERVAL
    proc = run(credo_bin, *args, "--steps", end)
    assert proc.returncode == 0, proc.stderr
    assert last_logged - resumed_at(proc.stdout) <= INTERVAL, (last_logged, proc.stdout)
    assert metric_steps(out) == list(range(INTERVAL, end + 1, INTERVAL))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["steps"] == end
    assert not list(out.glob(".*.tmp.*"))


def on_small_disk(size_kib, disk, keep, command):
    """Runs `command` with the folder `disk` on a tmpfs of `size_kib` KiB, in a private mount namespace (nothing
    stays mounted whatever happens to the test), then copies what it left on that disk to `keep`. Needs user
    namespaces or root."""
    script = 'mount -t tmpfs -o size="$1"k credo-test "$2" || exit 99; shift 3; "$@"; rc=$?; cp -a "$0" "$KEEP"; exit $rc'
    for prefix in (["unshare", "-rm"], ["unshare", "-m"]):
        if shutil.which(prefix[0]) and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            disk.mkdir()
            return subprocess.run([*prefix, "sh", "-c", script.replace("$KEEP", str(keep)), str(disk), str(size_kib),
                                   str(disk), "-", *map(str, command)], capture_output=True, text=True, timeout=300)
    pytest.skip("no mount namespace here (unshare -rm and -m both refused): cannot make a small disk")


def kib_on_disk(path):
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    return sum(-(-f.stat().st_size // 4096) * 4 for f in files)


def test_a_full_disk_ends_the_run_with_one_line_and_a_checkpoint_that_resumes(credo_bin, tmp_path):
    args = ["train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 3000, "--seed", 4, *FAST]
    # The whole run's folder, measured on a roomy disk, and the size of one checkpoint.
    roomy = tmp_path / "roomy"
    proc = run(credo_bin, *args, "--out", roomy)
    assert proc.returncode == 0, proc.stderr
    whole, checkpoint = kib_on_disk(roomy), kib_on_disk(roomy / "checkpoint.pt")
    # A disk with room for most of the run but not for a second checkpoint beside the first while it is replaced.
    disk, kept = tmp_path / "disk", tmp_path / "kept"
    proc = on_small_disk(whole - checkpoint // 2, disk, kept, [credo_bin, *args, "--out", disk / "run"])
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], proc.stderr
    run_dir = kept / "run"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "failed" and "No space left on device" in summary["failure"], summary
    # With room again, the last good checkpoint resumes and the run ends with every metrics row once.
    proc = run(credo_bin, "train", "--resume", run_dir)
    assert proc.returncode == 0, proc.stderr
    assert resumed_at(proc.stdout) is not None and resumed_at(proc.stdout) > 0, proc.stdout
    assert metric_steps(run_dir) == list(range(INTERVAL, 3001, INTERVAL))
    assert json.loads((run_dir / "summary.json").read_text())["status"] == "finished"
