#!/usr/bin/env bash
# The benchmark venv: Stable-Baselines3 (and matplotlib) on top of credo's venv, without a second torch.
# It lives at $CREDO_HOME/bench-venv (default ~/.cache/credo/bench-venv); a .pth file puts credo's venv packages
# on its path, so torch, gymnasium and mujoco are the very same installs the tests use.
set -euo pipefail
CREDO_HOME="${CREDO_HOME:-$HOME/.cache/credo}"
venv="$CREDO_HOME/venv"
bench="$CREDO_HOME/bench-venv"
[[ -x "$venv/bin/python" ]] || { echo "bench_venv.sh: run scripts/setup.sh first ($venv is missing)" >&2; exit 2; }
[[ -x "$bench/bin/python" ]] || python3 -m venv "$bench"
site="$("$bench/bin/python" -c 'import site; print(site.getsitepackages()[0])')"
"$venv/bin/python" -c 'import site; print(site.getsitepackages()[0])' >"$site/credo-venv.pth"
# EnvPool: the C++ vector env the Python package is compared with (bench/python_vector_env.py).
"$bench/bin/python" -m pip install -q stable-baselines3==2.9.2 matplotlib==3.11.2 envpool==1.2.5
echo "bench venv ready: $bench"
