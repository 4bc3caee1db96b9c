#!/usr/bin/env bash
# The Hopper-v5 imitation runs of docs/results/gail.md: td3 with reward gail and no clip, td3 with CREDO (clip 5),
# and ppo, seeds 1-3, 200k env steps each, from 25 episodes of the shipped SAC expert. Runs one after another;
# rerunning it resumes unfinished runs from their checkpoints and skips finished ones.
#
#   scripts/run_gail_evidence.sh OUT_DIR [CREDO_BIN]
set -euo pipefail
out="${1:?usage: run_gail_evidence.sh OUT_DIR [CREDO_BIN]}"
credo="${2:-build/credo}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$out"
demos="$out/hopper-expert-25.h5"
[[ -f "$demos" ]] || "$credo" collect --policy "$here/experts/sac-hopper-v5.pt" --env Hopper-v5 --episodes 25 \
  --seed 0 --out "$demos"
steps=200000
for seed in 1 2 3; do
  for variant in "td3-gail-noclip:td3:off" "td3-credo5:td3:5" "ppo-gail-noclip:ppo:off"; do
    IFS=: read -r name algo clip <<<"$variant"
    dir="$out/$name-s$seed"
    if [[ -f "$dir/summary.json" ]] && grep -q '"status": "\(finished\|diverged\)"' "$dir/summary.json"; then
      continue
    fi
    if [[ -f "$dir/checkpoint.pt" ]]; then
      "$credo" train --resume "$dir" >"$dir.log" 2>&1 || true
    else
      "$credo" train --algo "$algo" --env Hopper-v5 --steps "$steps" --seed "$seed" --out "$dir" --force \
        --demos "$demos" --reward gail --clip "$clip" >"$dir.log" 2>&1 || true
    fi
  done
done
