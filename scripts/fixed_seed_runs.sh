#!/usr/bin/env bash
# Behaviour unchanged? Short fixed-seed runs of every learner (and td3 imitating), one LibTorch thread, whose
# metrics.csv must be identical, bit for bit, before and after a refactoring:
#
#   scripts/fixed_seed_runs.sh build/credo /tmp/before      # on the commit before the change
#   scripts/fixed_seed_runs.sh build/credo /tmp/after       # on the change
#   scripts/fixed_seed_runs.sh --compare /tmp/before /tmp/after
#
# The comparison ignores the columns that measure time (sps, wall_time_s) and prints one line per run.
set -euo pipefail

if [ "${1:-}" = "--compare" ]; then
  python3 - "$2" "$3" <<'EOF'
import csv, sys
from pathlib import Path
before, after = Path(sys.argv[1]), Path(sys.argv[2])
timing = {"sps", "wall_time_s"}
failed = 0
for run in sorted(p.name for p in before.iterdir() if (p / "metrics.csv").exists()):
    rows = [list(csv.DictReader(open(d / run / "metrics.csv"))) for d in (before, after)]
    same = len(rows[0]) == len(rows[1]) and all(
        {k: v for k, v in a.items() if k not in timing} == {k: v for k, v in b.items() if k not in timing}
        for a, b in zip(*rows))
    failed += not same
    print(f"{run}: {'identical' if same else 'DIFFERENT'} ({len(rows[0])} rows)")
sys.exit(1 if failed else 0)
EOF
  exit $?
fi

credo=$1
out=$2
mkdir -p "$out"
common=(--env Hopper-v5 --seed 3 threads=1 hidden=32,32 log_interval=250 eval_interval=1000 eval_episodes=2)
"$credo" collect --policy experts/sac-hopper-v5.pt --env Hopper-v5 --episodes 4 --seed 0 --out "$out/demos.h5" \
  > /dev/null
for algo in sac td3 ddpg sd3 tssg; do
  "$credo" train --algo "$algo" --steps 3000 "${common[@]}" start_steps=1000 batch_size=64 \
    --out "$out/$algo" --force > /dev/null
done
"$credo" train --algo ppo --steps 6144 "${common[@]}" n_steps=512 --out "$out/ppo" --force > /dev/null
"$credo" train --algo bc --steps 2000 "${common[@]}" --demos "$out/demos.h5" --out "$out/bc" --force > /dev/null
"$credo" train --algo td3 --steps 3000 "${common[@]}" --demos "$out/demos.h5" demo_subsample=20 start_steps=500 \
  disc_start=500 actor_start=100 batch_size=64 --out "$out/td3-imitating" --force > /dev/null
"$credo" train --algo td3 --steps 3000 "${common[@]}" --demos "$out/demos.h5" --reward gail --clip 5 \
  reward_normalize=true start_steps=500 disc_start=500 batch_size=64 --out "$out/td3-imitating-clipped" \
  --force > /dev/null
echo "fixed-seed runs in $out"
