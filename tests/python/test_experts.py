"""The shipped experts: the manifest says what each is and how it was made, the files are weights only, and a new
evaluation on seeds the manifest never used gives the recorded return."""
import json
import subprocess
from pathlib import Path

import pytest

EXPERTS = Path(__file__).resolve().parents[2] / "experts"
MANIFEST = json.loads((EXPERTS / "manifest.json").read_text())
# The targets for the 20-episode mean return of the deterministic policy.
TARGETS = {"Hopper-v5": 3000, "Walker2d-v5": 3500, "HalfCheetah-v5": 8000}
FIELDS = {"env", "policy", "algo", "seed", "steps", "config", "evaluation", "train_command", "eval_command"}


@pytest.mark.parametrize("entry", MANIFEST["experts"], ids=lambda e: e["env"])
def test_manifest_entry_is_complete_and_meets_its_target(entry):
    assert FIELDS <= set(entry)
    assert entry["evaluation"]["episodes"] == 20 and len(entry["evaluation"]["returns"]) == 20
    assert entry["train_command"].startswith(f"credo train --algo {entry['algo']} --env {entry['env']} ")
    assert entry["eval_command"].startswith(f"credo eval --policy experts/{entry['policy']} --env {entry['env']}")
    path = EXPERTS / entry["policy"]
    assert path.is_file() and path.stat().st_size < 1_000_000  # weights only
    if entry["env"] in TARGETS:
        assert entry["evaluation"]["return_mean"] >= TARGETS[entry["env"]]


@pytest.mark.parametrize("entry", MANIFEST["experts"], ids=lambda e: e["env"])
def test_expert_reevaluated_on_new_seeds(credo_bin, tmp_path, entry):
    out = tmp_path / "eval.json"
    proc = subprocess.run([str(credo_bin), "eval", "--policy", str(EXPERTS / entry["policy"]), "--env", entry["env"],
                           "--episodes", "5", "--seed", "31337", "--json", str(out)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    recorded = entry["evaluation"]
    assert result["return_mean"] >= recorded["return_mean"] - max(0.1 * abs(recorded["return_mean"]),
                                                                  3 * recorded["return_std"])
