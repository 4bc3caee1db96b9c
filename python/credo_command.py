"""The `credo` command of a pip-installed credo: runs the binary shipped inside the `credo` package with the torch
and mujoco libraries of this environment on the library path. A module of its own, beside the package, so that a
version mismatch is one line here rather than a traceback from importing credo."""
import importlib.util
import os
import sys
from pathlib import Path


def _load(package: Path, name: str):
    """credo/NAME.py loaded on its own: importing the package would raise a version mismatch as a traceback."""
    spec = importlib.util.spec_from_file_location(f"credo_command_{name}", package / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    package = Path(importlib.util.find_spec("credo").submodule_search_locations[0])
    wrong = _load(package, "_compat").version_mismatch()
    if wrong:
        sys.exit(f"credo: error: {wrong}")
    launcher = _load(package, "_binary")
    binary = launcher.binary()
    os.execve(binary, [str(binary), *sys.argv[1:]], launcher.environment())
