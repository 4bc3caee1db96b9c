#!/usr/bin/env bash
# Copies the records of finished (or diverged) runs into a results folder, for committing: each run folder's
# config.toml, metrics.csv, events.csv and summary.json (no checkpoints or policies). Paths inside config.toml
# that start with the repository's absolute path are made relative to it (./runs/...), so a record names no
# machine. A record already in DEST is left as it is.
#
#   scripts/copy_run_records.sh runs/paper docs/results/paper/runs
set -euo pipefail
if [[ $# -ne 2 || ! -d "$1" ]]; then
  echo "usage: scripts/copy_run_records.sh SWEEP_OR_RUNS_FOLDER DEST (copies finished runs' records)" >&2
  exit 2
fi
src=$1 dest=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dest"
for summary in "$src"/*/summary.json; do
  [[ -f "$summary" ]] || continue
  run=$(dirname "$summary") name=$(basename "$(dirname "$summary")")
  grep -Eq '"status": "(finished|diverged)"' "$summary" || continue
  [[ -e "$dest/$name" ]] && continue
  tmp=$(mktemp -d "$dest/.$name.XXXXXX")
  for f in metrics.csv events.csv summary.json; do
    [[ -f "$run/$f" ]] && cp "$run/$f" "$tmp/"
  done
  sed "s|$root/|./|g" "$run/config.toml" > "$tmp/config.toml"
  mv "$tmp" "$dest/$name"
  echo "copied $name"
done
