"""Fuzzing the readers of user files: every input that once broke a reader (fuzz/regressions/) is answered by
`credo` with one line, and a short run of each libFuzzer target (fuzz/, built with clang, ASan and UBSan) finds
nothing that `credo` does not answer with one line, and nothing that breaks in credo's own code."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ["demo_file", "minari_dataset", "config_toml", "metrics_csv", "torch_archive", "sweep_toml", "summary_json"]


def test_inputs_that_broke_a_reader_get_one_line(credo_bin):
    inputs = sorted((ROOT / "fuzz" / "regressions").glob("*/*"))
    assert len(inputs) >= 7
    proc = subprocess.run([sys.executable, ROOT / "fuzz" / "replay.py", "--credo", credo_bin, *inputs],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def fuzz_build(credo_bin):
    """The fuzz targets, built beside credo's build (once; later runs of the suite reuse it)."""
    build = Path(credo_bin).parent / "fuzz"
    subprocess.run(["cmake", "-S", ROOT / "fuzz", "-B", build, "-DCMAKE_CXX_COMPILER=clang++"], check=True,
                   capture_output=True, timeout=300)
    subprocess.run(["cmake", "--build", build, "-j", "2"], check=True, capture_output=True, timeout=1800)
    return build


def in_credo_code(report):
    """Whether a sanitizer report's first frame with a source location or in a shared library is credo's own code
    (a frame of src/credo/ or fuzz/); frames of the sanitizer and libFuzzer runtimes, linked into the target
    without source locations, are passed over."""
    for line in report.splitlines():
        line = line.strip()
        if not re.match(r"#\d+ 0x", line):
            continue
        if re.search(r"/(src/credo|fuzz)/[\w/]+\.(cpp|h):\d+", line):
            return True
        if re.search(r"\(/\S+\.so[.\d]*\+0x", line):
            return False  # a library (HDF5, libzip, libc) broke first
    return False


@pytest.mark.parametrize("target", TARGETS)
def test_a_short_fuzz_run_finds_nothing_credo_does_not_answer(credo_bin, fuzz_build, tmp_path, target):
    seeds = subprocess.run([sys.executable, ROOT / "fuzz" / "make_seeds.py", "--credo", credo_bin, "--out",
                            tmp_path / "seeds"], capture_output=True, text=True, timeout=300)
    assert seeds.returncode == 0, seeds.stderr[-3000:]
    artifacts = tmp_path / "artifacts" / target
    artifacts.mkdir(parents=True)
    corpus = tmp_path / "seeds" / target
    env = dict(os.environ, TMPDIR=str(tmp_path))
    options = ["-fork=1", "-ignore_crashes=1", "-ignore_ooms=1", "-ignore_timeouts=1", "-detect_leaks=0",
               "-max_total_time=10", "-seed=20261203", "-rss_limit_mb=2048", "-malloc_limit_mb=2048", "-timeout=10"]
    run = subprocess.run([fuzz_build / f"fuzz_{target}", *options, f"-artifact_prefix={artifacts}/", corpus],
                         capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert "reader let through" not in run.stdout + run.stderr, run.stderr[-3000:]
    found = sorted(artifacts.iterdir())[:5]
    for path in found:
        # In process, only a library may break (HDF5 on a corrupt file); credo's own code must not.
        alone = subprocess.run([fuzz_build / f"fuzz_{target}", "-rss_limit_mb=2048", "-malloc_limit_mb=2048",
                                "-timeout=15", path], capture_output=True, text=True, timeout=120, env=env,
                               cwd=tmp_path)
        assert not in_credo_code(alone.stderr) and "reader let through" not in alone.stderr, alone.stderr[-3000:]
    # Through the command, every one of them is one line (or read).
    replay = subprocess.run([sys.executable, ROOT / "fuzz" / "replay.py", "--credo", credo_bin, *found],
                            capture_output=True, text=True, timeout=900)
    assert replay.returncode == 0, replay.stdout
