"""Replays inputs that broke a reader in process (fuzz artifacts, fuzz/regressions/) through the `credo` command,
which reads user files in a child process with limits: each must be answered with exit 0, or exit 2 and one
line on stderr. The target is the input's folder name (demo_file, minari_dataset, config_toml, metrics_csv,
torch_archive, sweep_toml, summary_json).

    python fuzz/replay.py --credo build/credo FILE...
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MINARI_METADATA = {"data_format": "hdf5", "algorithm_name": "fuzz", "env_spec": json.dumps({"id": "Pendulum-v1"}),
                   "total_episodes": 1, "total_steps": 3}


def command_for(credo, target, path, scratch):
    if target == "demo_file":
        return [credo, "demos", "info", str(path)]
    if target == "minari_dataset":
        folder = scratch / "minari"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        (folder / "data" / "metadata.json").write_text(json.dumps(MINARI_METADATA))
        shutil.copy(path, folder / "data" / "main_data.hdf5")
        return [credo, "demos", "info", str(folder)]
    if target == "config_toml":
        return [credo, "train", "--algo", "td3", "--env", "Pendulum-v1", "--config", str(path), "--show-config"]
    if target == "sweep_toml":
        return [credo, "sweep", str(path), "--out", str(scratch / "out"), "--dry-run"]
    if target == "torch_archive":  # a policy file (a checkpoint takes the same zip check, then LibTorch)
        return [credo, "eval", "--policy", str(path), "--env", "Pendulum-v1", "--episodes", "1"]
    return None  # metrics_csv, summary_json: read by resume, sweeps and report, from run folders credo wrote


def replay(credo, path):
    """None when the answer is right, else what went wrong."""
    with tempfile.TemporaryDirectory() as scratch:
        command = command_for(credo, path.parent.name, path, Path(scratch))
        if command is None:
            return None
        proc = subprocess.run(command, capture_output=True, timeout=120)
        # credo prints one line of UTF-8 whatever bytes the file held; anything else is a finding, shown escaped.
        try:
            lines = proc.stderr.decode().strip().splitlines()
        except UnicodeDecodeError:
            return f"exit {proc.returncode}, not UTF-8: {proc.stderr.decode(errors='backslashreplace').strip()[:300]}"
        if proc.returncode == 0 or (proc.returncode == 2 and len(lines) == 1):
            return None
        return f"exit {proc.returncode}: {proc.stderr.decode().strip()[:300]}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credo", required=True)
    parser.add_argument("inputs", nargs="*", type=Path)
    a = parser.parse_args()
    failures = [(p, why) for p in a.inputs if (why := replay(a.credo, p))]
    print(f"replayed {len(a.inputs)} inputs through {a.credo}: {len(a.inputs) - len(failures)} answered with one "
          f"line or read, {len(failures)} not")
    for path, why in failures:
        print(f"  {path}: {why}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
