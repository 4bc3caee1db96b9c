"""The `credo` command-line binary inside the package (bin/credo) and the environment it runs in: the torch and
mujoco libraries of this Python environment on the library path, wherever pip put those wheels (an installed
binary carries no path to them). Imports nothing from credo: python/credo_command.py loads it on its own."""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

PACKAGE = Path(__file__).resolve().parent


def binary() -> Path:
    return PACKAGE / "bin" / "credo"


def environment() -> dict[str, str]:
    """os.environ with the library folders of mujoco, torch and the CUDA runtime wheels torch names prepended to
    LD_LIBRARY_PATH."""
    dirs = []
    for package, sub in (("mujoco", ""), ("torch", "lib")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            dirs.append(str(Path(spec.origin).parent / sub))
    spec = importlib.util.find_spec("nvidia")  # libtorch_cpu names the CUDA runtime as a dependency
    if spec is not None:
        for root in spec.submodule_search_locations or []:
            dirs.extend(str(p) for p in sorted(Path(root).glob("*/lib")))
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(dirs + [p for p in [env.get("LD_LIBRARY_PATH")] if p])
    return env


def run(args: list[str], poll: Callable[[], None] | None = None, poll_seconds: float = 0.5,
        ok: tuple[int, ...] = (0,)) -> int:
    """Runs `credo ARGS` to its end, calling `poll` every `poll_seconds`, and returns its exit status when it is
    in `ok`. Exit status 2 (bad input) raises ValueError with the command's one-line message; another raises
    RuntimeError. Ctrl-C (KeyboardInterrupt here) is passed on as SIGINT, the command ends cleanly (a training
    run writes its checkpoint), and KeyboardInterrupt is raised again."""
    # Output goes to temporary files: a pipe left unread would fill and stall a long run.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([str(binary()), *args], stdout=out, stderr=err, text=True, env=environment())
        try:
            while child.poll() is None:
                time.sleep(poll_seconds)
                if poll:
                    poll()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
            child.wait()
            raise
        if poll:
            poll()
        err.seek(0)
        stderr = err.read()
    if child.returncode in ok:
        return child.returncode
    if child.returncode == 2:
        lines = stderr.strip().splitlines() or [f"credo {args[0]} failed"]
        raise ValueError(lines[-1].removeprefix("credo: error: "))
    if child.returncode > 128:
        raise KeyboardInterrupt(f"credo {args[0]} stopped by signal {child.returncode - 128}")
    raise RuntimeError(f"credo {args[0]} failed (exit status {child.returncode}): {stderr.strip()[-2000:]}")
