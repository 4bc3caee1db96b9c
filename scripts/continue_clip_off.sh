#!/usr/bin/env bash
# Continues a finished imitation run that clipped its reward (`--clip C` or `--clip auto`) in two copies, side
# by side: one as it ran ("then-clip") and one with the clip switched off ("then-off"), both to STEPS env steps.
# Both start from the same checkpoint, so whatever parts them is the clip: if the one without the clip ends
# higher, the clip was holding the policy down at that point of training (docs/results/paper.md uses it on the
# adaptive clip's Hopper-v5 seeds that ended lowest).
#
#   scripts/continue_clip_off.sh RUN_DIR OUT_DIR STEPS [CREDO]   # CREDO: the binary (default build/credo)
#
# The copies are OUT_DIR/then-clip and OUT_DIR/then-off, each a run folder `credo train --resume` continues:
# config.toml's `clip = inf` and `clip_auto = false` in then-off, and its metrics.csv without the column
# clip_threshold, which a run without the adaptive clip does not write (its rows up to RUN_DIR's last step are
# the clipped run's).
set -euo pipefail
fail() {
  printf 'continue_clip_off.sh: %s\n' "$*" >&2
  exit 2
}
[[ $# -eq 3 || $# -eq 4 ]] || fail "usage: RUN_DIR OUT_DIR STEPS [CREDO]"
run=$1 out=$2 steps=$3 credo=${4:-build/credo}
[[ -f "$run/checkpoint.pt" && -f "$run/config.toml" ]] || fail "'$run' is not a run folder with a checkpoint"
[[ -x "$credo" ]] || fail "no credo binary at '$credo' (build it, or name it as the fourth argument)"
[[ ! -e "$out" ]] || fail "'$out' exists; name a new folder"

mkdir -p "$out"
for arm in then-clip then-off; do
  mkdir "$out/$arm"
  cp "$run"/{checkpoint.pt,config.toml,metrics.csv,events.csv,summary.json} "$out/$arm/"
done
sed -i -e 's/^clip = .*/clip = inf/' -e 's/^clip_auto = .*/clip_auto = false/' "$out/then-off/config.toml"
column=$(head -1 "$out/then-off/metrics.csv" | tr ',' '\n' | grep -nx clip_threshold | cut -d: -f1 || true)
if [[ -n "$column" ]]; then
  cut -d, -f"$column" --complement "$out/then-off/metrics.csv" >"$out/then-off/metrics.csv.tmp"
  mv "$out/then-off/metrics.csv.tmp" "$out/then-off/metrics.csv"
fi
pids=()
for arm in then-clip then-off; do
  "$credo" train --resume "$out/$arm" --steps "$steps" >"$out/$arm.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail "a copy stopped early; its log is in $out"; done
echo "continued both to $steps steps: $out/then-clip, $out/then-off (logs beside them)"
