"""Seed corpora for the fuzz targets, made from real files: demonstrations written by `credo collect` (HDF5 and
npz), a Minari-layout main_data.hdf5 written with h5py, the config files credo ships, a metrics.csv of a
committed run, a policy file and a checkpoint of a short run (LibTorch zip archives), the sweep files
credo ships, and summaries of committed runs.

    python fuzz/make_seeds.py --credo build/credo --out build/fuzz/seeds
"""
import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def demo_seeds(credo, out):
    out.mkdir(parents=True, exist_ok=True)
    for ext in ("h5", "npz"):
        for transitions in (3, 40):
            subprocess.run([credo, "collect", "--policy", ROOT / "experts" / "sac-pendulum-v1.pt", "--env",
                            "Pendulum-v1", "--transitions", str(transitions), "--seed", "1",
                            "--out", out / f"pendulum-{transitions}.{ext}"], check=True, capture_output=True)


def minari_seed(out):
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    with h5py.File(out / "main_data.hdf5", "w") as f:
        for e, steps in enumerate((3, 2)):
            g = f.create_group(f"episode_{e}")
            g["observations"] = rng.standard_normal((steps + 1, 3)).astype(np.float32)
            g["actions"] = rng.uniform(-2, 2, (steps, 1)).astype(np.float32)
            g["rewards"] = rng.standard_normal(steps)
            g["terminations"] = np.zeros(steps, bool)
            g["truncations"] = np.arange(steps) == steps - 1


def archive_seeds(credo, out):
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        run = Path(scratch) / "run"
        subprocess.run([credo, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", "200", "--seed", "1",
                        "--out", run, "hidden=4,4", "start_steps=100", "batch_size=8", "eval_episodes=1",
                        "eval_interval=200", "log_interval=200", "checkpoint_interval=100"],
                       check=True, capture_output=True)
        shutil.copy(run / "final_policy.pt", out / "policy.pt")
        shutil.copy(run / "checkpoint.pt", out / "checkpoint.pt")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credo", default=str(ROOT / "build" / "credo"))
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz" / "seeds")
    a = parser.parse_args()
    demo_seeds(a.credo, a.out / "demo_file")
    minari_seed(a.out / "minari_dataset")
    (a.out / "config_toml").mkdir(parents=True, exist_ok=True)
    for toml in [*ROOT.glob("configs/*.toml"), *ROOT.glob("configs/learners/*.toml"),
                 *ROOT.glob("configs/presets/*.toml")]:
        shutil.copy(toml, a.out / "config_toml" / f"{toml.parent.name}-{toml.name}")
    (a.out / "metrics_csv").mkdir(parents=True, exist_ok=True)
    metrics = sorted(ROOT.glob("docs/results/*/runs/*/metrics.csv"))[0]
    lines = metrics.read_text().splitlines()
    (a.out / "metrics_csv" / "metrics.csv").write_text("\n".join(lines[:12]) + "\n")
    archive_seeds(a.credo, a.out / "torch_archive")
    (a.out / "summary_json").mkdir(parents=True, exist_ok=True)
    summary = sorted(ROOT.glob("docs/results/*/runs/*/summary.json"))[0].read_text()
    for status in ("finished", "diverged", "running"):
        (a.out / "summary_json" / f"{status}.json").write_text(summary.replace('"finished"', f'"{status}"', 1))
    (a.out / "sweep_toml").mkdir(parents=True, exist_ok=True)
    for toml in ROOT.glob("configs/sweeps/*.toml"):
        shutil.copy(toml, a.out / "sweep_toml" / toml.name)
    (a.out / "metrics_csv" / "small.csv").write_text("step,episode_return,eval_return\n1000,1.5,\n5000,,2.5\n7000,3,\n")


if __name__ == "__main__":
    main()
