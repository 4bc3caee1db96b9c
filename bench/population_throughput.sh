#!/usr/bin/env bash
# Seed populations against separate runs (issue 19; docs/benchmarks.md, "Seed populations"): N seeds of td3
# imitating Hopper-v5 with credo's imitation defaults (DAC's settings: 400-300 networks, batch 100), trained
#   - as one population in one process: `credo train --seeds 1-N` with POP_THREADS LibTorch threads, and
#   - as N separate runs, JOBS at a time, one thread each,
# timing the wall clock of each (set-up, the 500-step random start and one final evaluation included, the same
# in both) and printing the aggregate env steps per second. Run it on a quiet machine:
#
#   bench/population_throughput.sh [N=4] [STEPS=2500] [JOBS=2] [POP_THREADS=2] [DEVICE=cpu]
#
# Needs build/credo and the Hopper-v5 demonstrations (collected here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-4} steps=${2:-2500} jobs=${3:-2} pop_threads=${4:-2} device=${5:-cpu}
credo=${CREDO_BIN:-$PWD/build/credo}
work=$(mktemp -d /tmp/credo_population_bench_XXXXXX)
trap 'rm -rf "$work"' EXIT
demos=$work/hopper.h5
"$credo" collect --policy experts/sac-hopper-v5.pt --env Hopper-v5 --episodes 4 --seed 0 --out "$demos" > /dev/null
start=500
common=(--algo td3 --env Hopper-v5 --demos "$demos" --steps "$steps" --device "$device" demo_subsample=20
        start_steps=$start disc_start=$start eval_interval=1000000 eval_episodes=1 log_interval=500)

t0=$(date +%s.%N)
"$credo" train --seeds "1-$n" --out "$work/population" "${common[@]}" threads="$pop_threads" > /dev/null
t1=$(date +%s.%N)
seq 1 "$n" | xargs -P "$jobs" -I{} "$credo" train --seed {} --out "$work/separate-{}" "${common[@]}" threads=1 \
  > /dev/null
t2=$(date +%s.%N)
python3 - "$n" "$steps" "$start" "$t0" "$t1" "$t2" "$jobs" "$pop_threads" "$device" <<'PY'
import sys
n, steps, start = map(int, sys.argv[1:4])
t0, t1, t2 = map(float, sys.argv[4:7])
jobs, threads, device = sys.argv[7], sys.argv[8], sys.argv[9]
pop, sep = t1 - t0, t2 - t1
print(f"{n} seeds x {steps} steps on {device}: population ({threads} threads) {pop:.1f} s, "
      f"separate ({jobs} at a time, 1 thread) {sep:.1f} s; aggregate steps/s {n * steps / pop:.1f} vs "
      f"{n * steps / sep:.1f}: population at {sep / pop:.2f}x")
PY
