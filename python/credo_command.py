"""The `credo` command of a pip-installed credo: runs the binary shipped inside the `credo` package with the torch
and mujoco libraries of this environment on the library path (wherever pip put those wheels). A module of its own,
beside the package, so that a version mismatch is one line here rather than a traceback from importing credo."""
import importlib.util
import os
import sys
from pathlib import Path


def _library_dirs() -> list[str]:
    dirs = []
    for package, sub in (("mujoco", ""), ("torch", "lib")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            dirs.append(str(Path(spec.origin).parent / sub))
    # The CUDA runtime libraries libtorch_cpu names as dependencies come in the nvidia-* wheels.
    spec = importlib.util.find_spec("nvidia")
    if spec is not None:
        for root in spec.submodule_search_locations or []:
            dirs.extend(str(p) for p in sorted(Path(root).glob("*/lib")))
    return dirs


def main() -> None:
    package = Path(importlib.util.find_spec("credo").submodule_search_locations[0])
    # credo/_compat.py, loaded on its own: importing the package would raise the mismatch as a traceback.
    compat_spec = importlib.util.spec_from_file_location("credo_compat", package / "_compat.py")
    compat = importlib.util.module_from_spec(compat_spec)
    compat_spec.loader.exec_module(compat)
    wrong = compat.version_mismatch()
    if wrong:
        sys.exit(f"credo: error: {wrong}")
    binary = package / "bin" / "credo"
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(_library_dirs() + [p for p in [env.get("LD_LIBRARY_PATH")] if p])
    os.execve(binary, [str(binary), *sys.argv[1:]], env)
