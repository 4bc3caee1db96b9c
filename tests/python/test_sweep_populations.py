"""`credo sweep --populations`: the cells of a sweep that differ only in their seed train as one seed population
per process, each in its own run folder, which holds what the plain sweep's run would (within the float tolerance
of the batched update); a stopped sweep resumes its populations as populations, and cells that cannot continue as
one (interrupted apart, or some already finished) are never run twice or lost."""
import json
import shutil
import signal
import subprocess
import time

from run_folders import TIMING, close, rows
from sweep_files import FAST_RUN

def sweep_file(tmp_path, body, steps):
    path = tmp_path / "sweep.toml"
    path.write_text(FAST_RUN.format(steps=steps) + body)
    return path


def sweep(credo_bin, *args, timeout=600):
    return subprocess.run([str(credo_bin), "sweep", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def states(out):
    return {c["name"]: c["state"] for c in json.loads((out / "sweep.json").read_text())["cells"]}


def stop_after_checkpoints(credo_bin, file, out, *flags):
    """Starts the sweep (every cell at once), stops it (SIGTERM) once each of the three cells has a checkpoint,
    and returns its output."""
    proc = subprocess.Popen([str(credo_bin), "sweep", str(file), "--out", str(out), "--jobs", "3", *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*/checkpoint.pt"))) < 3:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, stdout
    return stdout


def test_population_cells_hold_what_the_plain_sweep_writes(credo_bin, tmp_path):
    """td3 seeds 1-3 (one population) and ddpg seed 1 (alone) with --populations, against the same sweep
    without: same cells, same files, configurations identical, every metric within 1e-3 (relative)."""
    file = sweep_file(tmp_path, '[[grid]]\nalgo = ["td3"]\nseed = [1, 2, 3]\n[[grid]]\nalgo = ["ddpg"]\nseed = [1]\n',
                      1500)
    dry = sweep(credo_bin, file, "--out", tmp_path / "pop", "--dry-run", "--populations")
    assert dry.returncode == 0 and "1 seed populations" in dry.stdout, dry.stdout
    assert "algo-td3_seeds-1to3: 3 cells, credo train --algo td3" in dry.stdout, dry.stdout
    proc = sweep(credo_bin, file, "--out", tmp_path / "pop", "--jobs", 2, "--populations")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "started population algo-td3_seeds-1to3 (3 cells)" in proc.stdout and "started algo-ddpg_seed-1" in proc.stdout
    plain = sweep(credo_bin, file, "--out", tmp_path / "plain", "--jobs", 2)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert states(tmp_path / "pop") == states(tmp_path / "plain")
    assert set(states(tmp_path / "pop").values()) == {"finished"}
    listed = json.loads((tmp_path / "pop" / "populations" / "algo-td3_seeds-1to3" / "population.json").read_text())
    assert listed == {"seeds": [1, 2, 3], "folders": [f"../../algo-td3_seed-{s}" for s in (1, 2, 3)]}
    for name in states(tmp_path / "plain"):
        a, b = tmp_path / "pop" / name, tmp_path / "plain" / name
        assert sorted(p.name for p in a.iterdir() if "tfevents" not in p.name) == \
            sorted(p.name for p in b.iterdir() if "tfevents" not in p.name)
        assert (a / "config.toml").read_text() == (b / "config.toml").read_text()
        ra, rb = rows(a), rows(b)
        assert len(ra) == len(rb), name
        for x, y in zip(ra, rb):
            for key in x.keys() - TIMING:
                assert close(x[key], y[key], 1e-3), (name, x["step"], key, x[key], y[key])


def test_a_stopped_population_resumes_as_one_and_loses_no_step(credo_bin, tmp_path):
    file = sweep_file(tmp_path, 'algo = "td3"\n[grid]\nseed = [1, 2, 3]\n', 6000)
    out = tmp_path / "out"
    stop_after_checkpoints(credo_bin, file, out, "--populations")
    assert set(states(out).values()) == {"interrupted"}
    proc = sweep(credo_bin, file, "--out", out, "--jobs", 2, "--populations")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "started population seeds-1to3 (3 cells)" in proc.stdout
    log = (out / "populations" / "seeds-1to3.log").read_text()
    assert log.count("resuming from the checkpoint at step") == 3, log
    for name, state in states(out).items():
        assert state == "finished"
        assert [int(r["step"]) for r in rows(out / name)] == list(range(250, 6001, 250)), name


def test_cells_that_cannot_continue_as_one_population_are_neither_lost_nor_run_twice(credo_bin, tmp_path):
    """Cells interrupted by a plain sweep continue apart (they may stand at different steps); a finished cell
    rests while the group's other cells train as a smaller population."""
    file = sweep_file(tmp_path, 'algo = "td3"\n[grid]\nseed = [1, 2, 3]\n', 6000)
    out = tmp_path / "apart"
    stop_after_checkpoints(credo_bin, file, out)
    assert set(states(out).values()) == {"interrupted"}
    proc = sweep(credo_bin, file, "--out", out, "--jobs", 2, "--populations")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "started seed-1" in proc.stdout and "population" not in proc.stdout.split("\n", 1)[1], proc.stdout
    for name in ("seed-1", "seed-2", "seed-3"):
        assert [int(r["step"]) for r in rows(out / name)] == list(range(250, 6001, 250)), name

    small = sweep_file(tmp_path, 'algo = "td3"\n[grid]\nseed = [1, 2, 3]\n', 1000)
    out = tmp_path / "partly"
    out.mkdir()
    shutil.copytree(tmp_path / "apart" / "seed-2", out / "seed-2")  # a finished run, copied in
    finished = (out / "seed-2" / "metrics.csv").read_text()
    proc = sweep(credo_bin, small, "--out", out, "--jobs", 2, "--populations")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "started population seeds-1to3 (2 cells)" in proc.stdout, proc.stdout
    listed = json.loads((out / "populations" / "seeds-1to3" / "population.json").read_text())
    assert listed["seeds"] == [1, 3]
    assert (out / "seed-2" / "metrics.csv").read_text() == finished
    assert set(states(out).values()) == {"finished"}
