"""scripts/copy_run_records.sh, which copies finished runs' records into docs/results for committing: what it
copies, what it leaves, and that a record names no machine."""
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "copy_run_records.sh"


def run_folder(folder, status):
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps({"status": status, "steps": 10}, indent=2))
    (folder / "config.toml").write_text(f"algo = 'td3'\ndemos = '{ROOT}/runs/demos/Hopper-v5.h5'\n")
    (folder / "metrics.csv").write_text("step,eval_return\n10,1.0\n")
    (folder / "events.csv").write_text("step,event,name,value,threshold\n")
    (folder / "checkpoint.pt").write_bytes(b"not copied")


def test_finished_and_diverged_runs_are_copied_without_checkpoints_or_paths(tmp_path):
    sweep, dest = tmp_path / "sweep", tmp_path / "results" / "runs"
    for name, status in (("a", "finished"), ("b", "diverged"), ("c", "running"), ("d", "interrupted")):
        run_folder(sweep / name, status)
    proc = subprocess.run(["bash", SCRIPT, sweep, dest], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in dest.iterdir()) == ["a", "b"]
    assert sorted(p.name for p in (dest / "a").iterdir()) == ["config.toml", "events.csv", "metrics.csv",
                                                              "summary.json"]
    assert (dest / "a" / "config.toml").read_text() == "algo = 'td3'\ndemos = './runs/demos/Hopper-v5.h5'\n"
    assert (dest / "a" / "metrics.csv").read_text() == (sweep / "a" / "metrics.csv").read_text()
    # A record already there stays as it is; the run that has since finished is added.
    (dest / "a" / "metrics.csv").write_text("kept\n")
    (sweep / "c" / "summary.json").write_text(json.dumps({"status": "finished"}, indent=2))
    proc = subprocess.run(["bash", SCRIPT, sweep, dest], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "copied c"
    assert (dest / "a" / "metrics.csv").read_text() == "kept\n"


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path):
    proc = subprocess.run(["bash", SCRIPT, tmp_path / "nothing", tmp_path / "dest"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "dest").exists()
