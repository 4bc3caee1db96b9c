"""`train(...)`: a training run from Python, into the same run folder `credo train` writes (it runs the `credo`
binary that comes with the package: the same code, its crashes kept out of the interpreter). Blocking, with a
progress callback; Ctrl-C stops the run at a checkpoint (status "interrupted", continued with resume=) and
raises KeyboardInterrupt."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Callable

from credo._binary import run


def train(out: str | os.PathLike | None = None, *, env: str | None = None, algo: str | None = None,
          steps: int | None = None, seed: int | None = None, demos: str | os.PathLike | None = None,
          config: dict[str, Any] | str | os.PathLike | None = None, preset: str | None = None,
          reward: str | None = None, clip: float | str | None = None, resume: str | os.PathLike | None = None,
          force: bool = False, progress: Callable[[dict[str, str]], None] | None = None,
          poll_seconds: float = 0.5) -> dict[str, Any]:
    """Trains as `credo train` does (docs/cli.md has every option; `config` is a TOML file or a dict of config
    keys) and returns the run's summary.json. `progress`, when given, receives each new row of metrics.csv as a
    dict of strings (step, episode_return, eval_return, sps, ...). Bad options raise ValueError with the command
    line's one-line message; a diverged run returns its summary (status "diverged")."""
    args = ["train"]
    flags = {"--out": out, "--env": env, "--algo": algo, "--steps": steps, "--seed": seed, "--demos": demos,
             "--preset": preset, "--reward": reward, "--clip": clip, "--resume": resume}
    for flag, value in flags.items():
        if value is not None:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    if force:
        args.append("--force")
    if isinstance(config, (str, os.PathLike)):
        args += ["--config", os.fspath(config)]
    elif config is not None:
        args += [f"{key}={_toml_value(key, value)}" for key, value in config.items()]
    run_dir = Path(resume if resume is not None else out) if (resume or out) else None  # None: the CLI says
    rows_seen = 0

    def report() -> None:
        nonlocal rows_seen
        rows_seen = _report(run_dir, progress, rows_seen)

    run(args, report, poll_seconds, ok=(0, 3))  # 3: the run diverged, which its summary says
    return json.loads((run_dir / "summary.json").read_text())


def _toml_value(key: str, value: Any) -> str:
    if isinstance(value, (bool, int, float, str)) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float, str)) for v in value)):
        return json.dumps(list(value) if isinstance(value, tuple) else value)
    raise TypeError(f"config key '{key}': a value must be a number, boolean, string or list of them, got "
                    f"{type(value).__name__}")


def _report(run_dir: Path | None, progress, rows_seen: int) -> int:
    """Calls `progress` with the rows of metrics.csv past the first `rows_seen`; returns how many it has seen."""
    if progress is None or run_dir is None or not (run_dir / "metrics.csv").exists():
        return rows_seen
    with open(run_dir / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    complete = rows[:-1] if rows and None in rows[-1].values() else rows  # a row being written
    for row in complete[rows_seen:]:
        progress(row)
    return max(rows_seen, len(complete))
