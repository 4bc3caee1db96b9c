#!/usr/bin/env bash
# A fuzzing campaign over every reader of user files: builds fuzz/ with clang (ASan + UBSan + libFuzzer), makes
# the seed corpora from real files, runs each target for SECONDS (crashes, out-of-memory and timeouts recorded
# and fuzzing continued; leak reports off, as the HDF5 library leaks on its error paths and each report would
# restart the fuzzing job), then replays every input that broke a reader in process through `credo demos info`,
# which must answer it with one line and exit 0 or 2. Numbers for docs/reliability.md.
#
#   fuzz/campaign.sh [SECONDS per target, default 600] [WORK folder, default build/fuzz/campaign] [TARGETS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-600}"
work="$(mkdir -p "${2:-$root/build/fuzz/campaign}" && cd "${2:-$root/build/fuzz/campaign}" && pwd)"
py="${CREDO_PYTHON:-$HOME/.cache/credo/venv/bin/python}"
mkdir -p "$work/scratch"
export TMPDIR="$work/scratch"  # the targets' per-process input files
cmake -S "$root/fuzz" -B "$root/build/fuzz" -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$root/build/fuzz" -j "$(nproc)" >/dev/null
"$py" "$root/fuzz/make_seeds.py" --credo "$root/build/credo" --out "$work/seeds"
targets=("${@:3}")
((${#targets[@]})) || targets=(demo_file minari_dataset config_toml metrics_csv torch_archive sweep_toml summary_json)
for target in "${targets[@]}"; do
  mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
  cp -n "$work/seeds/$target"/* "$work/corpus/$target/"
  "$root/build/fuzz/fuzz_$target" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -detect_leaks=0 \
    -artifact_prefix="$work/artifacts/$target/" "$work/corpus/$target" >"$work/$target.log" 2>&1 || true
  execs=$(grep -o '^#[0-9]*' "$work/$target.log" | tail -1 | tr -d '#')
  found=$(ls "$work/artifacts/$target" | wc -l)
  echo "$target: ${execs:-0} executions in ${seconds} s, $found inputs broke the reader in process"
done
"$py" "$root/fuzz/replay.py" --credo "$root/build/credo" "$work/artifacts"/*/* "$root"/fuzz/regressions/*/*
