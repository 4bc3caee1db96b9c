"""Shared fixtures for credo's Python-side tests: the `credo` binary and a helper to run it."""
import json
import os
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def credo_bin() -> Path:
    path = Path(os.environ.get("CREDO_BIN", Path(__file__).resolve().parents[2] / "build" / "credo"))
    if not path.exists():
        pytest.fail(f"credo binary not found at {path}; build first or set CREDO_BIN")
    return path


@pytest.fixture
def rollout(credo_bin, tmp_path):
    """Runs `credo env rollout` on a spec dict; returns the trajectory dict."""

    def run(spec: dict) -> dict:
        spec_path = tmp_path / "spec.json"
        out_path = tmp_path / "traj.json"
        spec_path.write_text(json.dumps(spec))
        proc = subprocess.run(
            [str(credo_bin), "env", "rollout", "--in", str(spec_path), "--out", str(out_path)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(out_path.read_text())

    return run
