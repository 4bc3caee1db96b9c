"""The Slurm backend for real: a single-node Slurm with its accounting database on this machine
(tests/slurm/single_node_slurm.sh) runs a small sweep as a job array; one task is cancelled mid-run, the sweep
reports it as Slurm's accounting (sacct) saw it, the sweep is rerun, and every cell ends finished exactly once; a
task that Slurm requeues resumes from its checkpoint."""
import csv
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from sweep_files import FAST_RUN

HERE = Path(__file__).resolve().parents[1] / "slurm"
SWEEP = FAST_RUN.format(steps=6000) + """algo = "td3"

[grid]
seed = [1, 2, 3]

[slurm]
cpus_per_task = 1
"""


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    state = tmp_path_factory.mktemp("slurm")
    subprocess.run([str(HERE / "single_node_slurm.sh"), "start", str(state)], check=True, timeout=600)
    env = dict(os.environ, SLURM_CONF=str(state / "slurm.conf"))
    yield env
    subprocess.run(["scancel", "--name=credo-sweep"], env=env, check=False)
    subprocess.run([str(HERE / "single_node_slurm.sh"), "stop", str(state)], check=False)


def cells(out):
    return {c["name"]: c for c in json.loads((out / "sweep.json").read_text())["cells"]}


def start_sweep_until_checkpoint(credo_bin, slurm, tmp_path, content, out, cell):
    """Starts `credo sweep --backend slurm` on `content` and waits until `cell` has written a checkpoint. Returns
    the command, the running sweep and the cell's Slurm task."""
    file = tmp_path / "sweep.toml"
    file.write_text(content)
    command = [str(credo_bin), "sweep", str(file), "--out", str(out), "--backend", "slurm"]
    sweep = subprocess.Popen(command, env=slurm, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and not (out / cell / "checkpoint.pt").exists():
        time.sleep(0.2)
    assert (out / cell / "checkpoint.pt").exists(), "the cell never wrote a checkpoint"
    return command, sweep, cells(out)[cell]["slurm_task"]


def requeue_now(slurm, task):
    """Requeues a running task as preemption or a node failure would, and lets it start again at once."""
    subprocess.run(["scontrol", "requeue", task], env=slurm, check=True)
    # Slurm holds a requeued job back by a begin time (two minutes here); once it is pending for that reason the
    # test moves the begin time to now.
    deadline = time.time() + 60
    while time.time() < deadline:
        reason = subprocess.run(["squeue", "-h", "-j", task, "-o", "%T %r"], env=slurm, capture_output=True,
                                text=True).stdout.strip()
        if reason == "PENDING BeginTime":
            subprocess.run(["scontrol", "update", f"JobId={task}", "StartTime=now"], env=slurm, check=True)
            break
        time.sleep(0.2)


def test_slurm_sweep_survives_a_cancelled_task(credo_bin, slurm, tmp_path):
    out = tmp_path / "out"
    command, first, task = start_sweep_until_checkpoint(credo_bin, slurm, tmp_path, SWEEP, out, "seed-2")
    subprocess.run(["scancel", task], env=slurm, check=True)
    log, _ = first.communicate(timeout=600)
    assert first.returncode == 1, log
    assert cells(out)["seed-2"]["state"] in ("interrupted", "failed")
    assert {cells(out)[n]["state"] for n in ("seed-1", "seed-3")} == {"finished"}
    # sacct's word on each task, in the manifest and, for the cancelled one, in the log.
    assert cells(out)["seed-2"]["slurm_state"].startswith("CANCELLED"), cells(out)["seed-2"]
    assert f"seed-2 (task {task}) ended CANCELLED" in log, log
    assert {cells(out)[n]["slurm_state"] for n in ("seed-1", "seed-3")} == {"COMPLETED exit 0:0"}

    second = subprocess.run(command, env=slurm, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 to submit" in second.stdout
    for name, cell in cells(out).items():
        assert cell["state"] == "finished" and cell["slurm_state"] == "COMPLETED exit 0:0", cell
        with open(out / name / "metrics.csv") as f:
            assert [int(r["step"]) for r in csv.DictReader(f)] == list(range(250, 6001, 250)), name
        summary = json.loads((out / name / "summary.json").read_text())
        assert summary["steps"] == 6000
    # A third run has nothing left to do.
    third = subprocess.run(command, env=slurm, capture_output=True, text=True, timeout=120)
    assert third.returncode == 0 and "0 to submit" in third.stdout


def test_no_controller_is_one_clear_line(credo_bin, tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP)
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=none\nSlurmctldHost=localhost\nSlurmctldPort=1\n"
                    "NodeName=localhost CPUs=1\nPartitionName=p Nodes=localhost\n")
    env = dict(os.environ, SLURM_CONF=str(conf))
    proc = subprocess.run([str(credo_bin), "sweep", str(file), "--out", str(tmp_path / "out"), "--backend", "slurm"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout
    assert "no Slurm controller answers" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_requeued_task_resumes_from_its_checkpoint(credo_bin, slurm, tmp_path):
    """Preemption and node failure requeue a task: Slurm runs its script again, which must resume the run from
    the checkpoint the first start wrote (not start it afresh over it)."""
    out, cell = tmp_path / "out", tmp_path / "out" / "seed-4"
    content = SWEEP.replace("seed = [1, 2, 3]", "seed = [4]").replace("steps = 6000", "steps = 12000")
    _, sweep, task = start_sweep_until_checkpoint(credo_bin, slurm, tmp_path, content, out, "seed-4")
    requeue_now(slurm, task)
    log, _ = sweep.communicate(timeout=900)
    assert sweep.returncode == 0, log
    assert cells(out)["seed-4"]["state"] == "finished", cells(out)["seed-4"]
    task_log = "".join(p.read_text() for p in (out / "slurm").glob("*.out"))
    assert "resuming from the checkpoint at step" in task_log, task_log
    with open(cell / "metrics.csv") as f:
        assert [int(r["step"]) for r in csv.DictReader(f)] == list(range(250, 12001, 250))


def test_a_population_is_one_task_and_a_requeued_one_resumes(credo_bin, slurm, tmp_path):
    """`--populations`: seeds 5-6 of one configuration are one array task training them as a seed population in
    the cells' own folders; requeued mid-run, the task resumes the population from its checkpoints."""
    out = tmp_path / "out"
    content = SWEEP.replace("seed = [1, 2, 3]", "seed = [5, 6]").replace("steps = 6000", "steps = 12000")
    file = tmp_path / "sweep.toml"
    file.write_text(content)
    sweep = subprocess.Popen([str(credo_bin), "sweep", str(file), "--out", str(out), "--backend", "slurm",
                              "--populations"], env=slurm, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and len(list(out.glob("seed-*/checkpoint.pt"))) < 2:
        time.sleep(0.2)
    assert len(list(out.glob("seed-*/checkpoint.pt"))) == 2, "the population never wrote its checkpoints"
    task = cells(out)["seed-5"]["slurm_task"]
    assert cells(out)["seed-6"]["slurm_task"] == task
    requeue_now(slurm, task)
    log, _ = sweep.communicate(timeout=900)
    assert sweep.returncode == 0, log
    assert "2 cells, 0 still in Slurm's queue, 2 to submit in 1 tasks" in log, log
    task_log = "".join(p.read_text() for p in (out / "slurm").glob("*.out"))
    assert task_log.count("resuming from the checkpoint at step") == 2, task_log
    assert json.loads((out / "populations" / "seeds-5to6" / "population.json").read_text())["seeds"] == [5, 6]
    for name in ("seed-5", "seed-6"):
        assert cells(out)[name]["state"] == "finished", cells(out)[name]
        with open(out / name / "metrics.csv") as f:
            assert [int(r["step"]) for r in csv.DictReader(f)] == list(range(250, 12001, 250)), name
