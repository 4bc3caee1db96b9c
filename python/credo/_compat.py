"""The package works only beside the mujoco (and torch) its C++ side was built against: credo._core links that
libmujoco by its versioned name, and the command line links LibTorch from that torch wheel (C++ ABI)."""
from __future__ import annotations

import ctypes
import importlib.metadata
import importlib.util
import json
from pathlib import Path

# Written when the C++ side is built (cmake/PythonModule.cmake). Read by path: credo_command loads this module
# without importing the package.
BUILD_INFO = json.loads((Path(__file__).parent / "build_info.json").read_text())
PINNED = {name: BUILD_INFO[name] for name in ("mujoco", "torch")}


def version_mismatch() -> str | None:
    """One line naming every package whose installed version differs from the one credo was built against, and
    how to fix it; None when all match."""
    wrong = []
    for name, built in PINNED.items():
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found = "none"
        if found != built:
            wrong.append(f"{name} {found} (built against {built})")
    if not wrong:
        return None
    pins = " ".join(f"{name}=={built}" for name, built in PINNED.items())
    return (f"credo was built against other versions than this environment has: {', '.join(wrong)}; install them "
            f"with `pip install {pins}`, or rebuild credo here with `pip install <clone>`")


def check_versions() -> None:
    """Raises the mismatch as one ImportError."""
    wrong = version_mismatch()
    if wrong:
        raise ImportError(wrong)


def load_libmujoco() -> None:
    """Loads the mujoco wheel's libmujoco, which credo._core links by its versioned name, from wherever that wheel
    is installed (a virtual environment layered on another, for instance). Loaded directly rather than by
    importing the mujoco package: that import installs a profiling timer (mjcb_time) that MuJoCo then calls many
    times per step, for every model in the process; it slowed credo's stepping by about 8% (docs/benchmarks.md)."""
    spec = importlib.util.find_spec("mujoco")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("credo needs the mujoco package: pip install mujoco==" + PINNED["mujoco"])
    folder = Path(spec.submodule_search_locations[0])
    library = folder / f"libmujoco.so.{PINNED['mujoco']}"
    if not library.exists():
        raise ImportError(f"credo needs {library.name} from the mujoco wheel; it is not in {folder}")
    ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
