"""The `credo` command-line binary inside the package (bin/credo) and the environment it runs in: the torch and
mujoco libraries of this Python environment on the library path, wherever pip put those wheels (an installed
binary carries no path to them). Imports nothing from credo: python/credo_command.py loads it on its own."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

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
