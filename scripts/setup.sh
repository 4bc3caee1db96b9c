#!/usr/bin/env bash
# Sets credo up on a fresh Debian 12 machine and runs its main job on defaults.
#
#   scripts/setup.sh            install what is missing, build, run the main job
#   scripts/setup.sh --no-run   install what is missing and build only (used by scripts/test.sh)
#
# What it installs:
#   - Debian packages (compiler, CMake, header-only and small libraries) when any is missing;
#   - a Python virtual environment at $CREDO_HOME/venv (default ~/.cache/credo/venv, outside the clone so CI and
#     later sessions reuse it) with the pinned requirements.txt: torch (LibTorch comes from this wheel), mujoco (the
#     libmujoco credo links, the same one Gymnasium uses) and gymnasium (the reference for parity tests).
# Every step is skipped when already done, so rerunning it is cheap.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
run_main_job=1
[[ "${1:-}" == "--no-run" ]] && run_main_job=0

CREDO_HOME="${CREDO_HOME:-$HOME/.cache/credo}"
venv="$CREDO_HOME/venv"
log() { printf '[setup] %s\n' "$*"; }

# 1. Debian packages.
apt_packages=(build-essential cmake python3 python3-venv nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libtomlplusplus-dev pkg-config libhdf5-dev libzip-dev clang libclang-rt-14-dev)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Python virtual environment with the pinned requirements (reinstalled only when requirements.txt changes).
python_bin="${CREDO_BOOTSTRAP_PYTHON:-python3}"
stamp="$venv/.credo-requirements.sha256"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" ]]; then
  log "creating virtual environment $venv"
  mkdir -p "$CREDO_HOME"
  "$python_bin" -m venv "$venv"
fi
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  log "installing Python requirements into $venv (torch is large: a few minutes on a fresh machine)"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r requirements.txt
  echo "$want" >"$stamp"
fi

# 3. Build.
jobs="$(nproc)"
if [[ ! -f build/CMakeCache.txt ]]; then
  log "configuring build/"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCREDO_PYTHON="$venv/bin/python" >/dev/null
fi
log "building (${jobs} jobs)"
cmake --build build -j "$jobs" -- --no-print-directory | grep -vE "^\[ *[0-9]+%\] (Building|Linking|Built)" || true
cmake --build build -j "$jobs" >/dev/null  # up to date now; exits non-zero if the build above failed

# 4. The main job on defaults: TD3 imitating the shipped Hopper-v5 SAC expert from 4 expert episodes subsampled
# every 20th step (DAC's regime), credo's imitation defaults, one seed, 100k steps
# (configs/sweeps/quickstart.toml), then its report. Rerunning it continues where it stopped and skips finished
# runs. README.md gives its measured wall time.
if ((run_main_job)); then
  mkdir -p runs/quickstart/demos
  if [[ ! -f runs/quickstart/demos/Hopper-v5.h5 ]]; then
    build/credo collect --policy experts/sac-hopper-v5.pt --env Hopper-v5 --episodes 25 --seed 0 \
      --out runs/quickstart/demos/Hopper-v5.h5
  fi
  log "running the main job: credo sweep configs/sweeps/quickstart.toml --out runs/quickstart (td3 imitating Hopper-v5 for 100k steps)"
  build/credo sweep configs/sweeps/quickstart.toml --out runs/quickstart --jobs 1 || true
  build/credo report runs/quickstart --out runs/quickstart/report
  log "report: runs/quickstart/report/report.md"
fi
