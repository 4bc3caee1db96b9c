"""`pip install` of the clone, as a Python user does it: into a fresh virtual environment layered on the suite's
(which has torch, mujoco, gymnasium, scikit-build-core and pybind11), without build isolation, reusing the suite's
CMake build (no second compile). The installed package imports from that environment, not from the clone, steps
its envs, and puts the `credo` command on PATH; the clone is left as it was."""
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--ignored=no"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with credo pip-installed from the clone; yields its bin/ folder."""
    root = tmp_path_factory.mktemp("pip")
    venv = root / "venv"
    # Without pip of its own (that would bring an old setuptools that shadows the suite's): the suite's pip and
    # packages are visible through a .pth file, which layers the new environment on the suite's.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "suite.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    build_dir = os.environ.get("CREDO_BUILD_DIR", str(REPO / "build"))
    before = git_status()
    proc = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--no-build-isolation", "--no-index", "--quiet",
         "-C", f"build-dir={build_dir}", str(REPO)],
        capture_output=True, text=True, cwd=root,
        env={**os.environ, "CMAKE_GENERATOR": "Unix Makefiles", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert git_status() == before, "pip install changed the clone"
    yield venv / "bin"


def run(bin_dir: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CREDO_PYTHON_PATH")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_installed_package_steps_its_envs(installed, tmp_path):
    script = """
import sys, credo, numpy as np, gymnasium
print(credo.__file__)
env = credo.make("Hopper-v5")
obs, _ = env.reset(seed=0)
ref, _ = gymnasium.make("Hopper-v5").reset(seed=0)
assert np.array_equal(obs, ref)
print(credo.__version__, env.step(np.zeros(3, dtype=np.float32))[1])
policy = credo.load_policy(sys.argv[1])  # the LibTorch side, credo._learn
assert policy(obs).shape == (3,)
summary = credo.train("run", env="Pendulum-v1", algo="td3", steps=300, config={"start_steps": 100,
                      "hidden": [16, 16], "batch_size": 16, "eval_episodes": 1})  # the packaged binary
assert summary["status"] == "finished", summary
"""
    proc = run(installed, installed / "python", "-c", script, REPO / "experts" / "sac-hopper-v5.pt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    location, version_line = proc.stdout.splitlines()
    assert Path(location).is_relative_to(installed.parent), location  # the venv's copy, not the clone's
    assert version_line.startswith("0.1.0 ")


def test_the_credo_command_is_on_path(installed, tmp_path):
    proc = run(installed, "credo", "env", "list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Hopper-v5" in proc.stdout
    assert Path(installed / "credo").exists()
    proc = run(installed, "credo", "env", "info", "Hopper-v9", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("credo: error: unknown environment id 'Hopper-v9'")


def test_a_version_mismatch_is_one_clear_line(installed, tmp_path):
    """The package refuses a mujoco other than the one its C++ side links: in Python as one ImportError, from the
    command as one line and exit status 1."""
    site = run(installed, installed / "python", "-c", "import credo, os; print(os.path.dirname(credo.__file__))",
               cwd=tmp_path).stdout.strip()
    info = Path(site, "build_info.json")
    original = info.read_text()
    try:
        info.write_text(original.replace('"mujoco": "', '"mujoco": "0.0.'))
        proc = run(installed, installed / "python", "-c", "import credo", cwd=tmp_path)
        assert proc.returncode == 1
        assert proc.stderr.strip().splitlines()[-1].startswith(
            "ImportError: credo was built against other versions than this environment has: mujoco")
        proc = run(installed, "credo", "env", "list", cwd=tmp_path)
        assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
        assert proc.stderr.startswith("credo: error: credo was built against other versions")
    finally:
        info.write_text(original)
