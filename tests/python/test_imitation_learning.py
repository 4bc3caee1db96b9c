"""Imitation learns: td3 and ppo imitate the shipped Pendulum expert from 10 demonstration episodes, on the
discriminator's reward alone, to near-expert true return within a CI-sized budget. One ctest entry per learner
(label slow)."""
import json
import subprocess
from pathlib import Path

import pytest

EXPERTS = Path(__file__).resolve().parents[2] / "experts"
# learner -> (step budget, extra config); the run stops as soon as an evaluation reaches the target.
BUDGETS = {"td3": (30000, []), "ppo": (100000, [])}
# Near expert: 85% of the way from a random policy's return to the expert's (normalised return 0.85).
NORMALIZED_TARGET = 0.85


@pytest.mark.parametrize("algo", sorted(BUDGETS))
def test_imitates_pendulum(credo_bin, tmp_path, algo):
    demos = tmp_path / "demos.h5"
    proc = subprocess.run([str(credo_bin), "collect", "--policy", str(EXPERTS / "sac-pendulum-v1.pt"), "--env",
                           "Pendulum-v1", "--episodes", "10", "--seed", "0", "--out", str(demos)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    steps, extra = BUDGETS[algo]
    out = tmp_path / algo
    # A random policy scores about -1250 and the demonstrations about -110 (measured; summary.json records both).
    proc = subprocess.run([str(credo_bin), "train", "--algo", algo, "--env", "Pendulum-v1", "--steps", str(steps),
                           "--seed", "1", "--out", str(out), "--demos", str(demos), "stop_at_return=-280", *extra],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    normalized = (summary["best_eval_return_mean"] - summary["random_return"]) / (
        summary["expert_return"] - summary["random_return"])
    assert normalized >= NORMALIZED_TARGET, summary
