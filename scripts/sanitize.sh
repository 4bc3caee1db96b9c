#!/usr/bin/env bash
# credo under AddressSanitizer + UndefinedBehaviorSanitizer: a second build in build-sanitize/ (a full compile,
# so outside CI), then the C++ unit tests and short train, imitation and sweep runs through it. Any sanitizer
# report fails the script. Needs the set-up of scripts/setup.sh (the venv with torch and mujoco).
#
#   scripts/sanitize.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-sanitize"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCREDO_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target credo credo_tests credo_learn_tests
# LibTorch and MKL are not built with the sanitizers; their allocations at exit are not credo's leaks.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"$build/credo_tests"
"$build/credo_learn_tests"
credo="$build/credo"
fast=(hidden=16,16 batch_size=32 start_steps=200 eval_episodes=1 eval_interval=500 log_interval=250
  checkpoint_interval=250)
"$credo" train --algo td3 --env Hopper-v5 --steps 1000 --seed 1 --out "$work/td3" "${fast[@]}"
"$credo" train --algo ppo --env Pendulum-v1 --steps 2048 --seed 1 --out "$work/ppo" eval_episodes=1
"$credo" collect --policy "$root/experts/sac-pendulum-v1.pt" --env Pendulum-v1 --episodes 2 --out "$work/demos.h5"
"$credo" train --algo td3 --env Pendulum-v1 --demos "$work/demos.h5" --steps 1000 --seed 1 --clip 5 \
  --out "$work/gail" "${fast[@]}"
"$credo" train --resume "$work/gail" --steps 1500
printf '[run]\nenv = "Pendulum-v1"\nalgo = "td3"\nsteps = 500\nhidden = [16, 16]\nstart_steps = 200\neval_episodes = 1\neval_interval = 250\nlog_interval = 250\n[grid]\nseed = [1, 2]\n' >"$work/sweep.toml"
"$credo" sweep "$work/sweep.toml" --out "$work/sweep" --jobs 2
"$credo" demos info "$work/demos.h5" >/dev/null
for bad in "$root"/fuzz/regressions/demo_file/*; do
  "$credo" demos info "$bad" >/dev/null 2>&1 || [[ $? -eq 2 ]]
done
"$credo" report "$work/sweep" --out "$work/report" >/dev/null
echo "sanitize: C++ tests, train (td3, ppo), imitation with resume, sweep, demos and report ran clean"
