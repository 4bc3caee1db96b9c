#!/usr/bin/env bash
# Starts or resumes the paper's study (docs/results/paper.md) in the background, on a machine that kept its runs/
# folder or on a fresh one (after scripts/setup.sh --no-run has made the virtual environment):
#
#   scripts/paper_study.sh            # prepare what is missing, then run paper-hopper-extras.toml, then paper.toml
#   scripts/paper_study.sh --dry-run  # prepare, then print each cell's state and the time left; starts nothing
#   scripts/paper_study.sh --stop     # SIGINT to the sweeps: running cells write their checkpoints and resume later
#
# What it prepares, each step skipped when done:
#   1. the study's one build, runs/paper/credo, at commit PINNED below: a copy of build/credo when the sources have
#      not changed since PINNED and build/ is built from them, else the `credo` target built from PINNED's files
#      in $CREDO_HOME (about as long as the set-up's build);
#   2. the demonstrations, with the imitation benchmark's commands (configs/sweeps/imitation-benchmark.toml);
#   3. the committed records of finished cells (docs/results/paper/runs and hopper-extras), copied back into the
#      sweep folders where a fresh machine lacks them, so the sweeps count them as done.
# Then both sweeps, two runs at a time, one after the other (the Hopper-only cells first), in one background
# chain; log: runs/paper/sweep.log.
set -euo pipefail
cd "$(dirname "$0")/.."

PINNED=072fc0e  # the commit of the study's binary; docs/results/paper.md says why it is this one
CREDO_HOME="${CREDO_HOME:-$HOME/.cache/credo}"
venv="$CREDO_HOME/venv"
credo=runs/paper/credo
log() { printf '[paper study] %s\n' "$*"; }
fail() {
  printf 'paper_study.sh: %s\n' "$*" >&2
  exit 2
}

mode=start
case "${1:-}" in
  "") ;;
  --dry-run) mode=dry-run ;;
  --stop) mode=stop ;;
  *) fail "unknown argument '$1' (use --dry-run, --stop or nothing)" ;;
esac

sweeps_running() { pgrep -f "$credo sweep" >/dev/null; }

if [[ $mode == stop ]]; then
  if sweeps_running; then
    pkill -INT -f "$credo sweep"
    log "sent SIGINT; the running cells write their checkpoints and the sweep exits"
  else
    log "no sweep of the study is running"
  fi
  exit 0
fi

# 1. The pinned build.
pin_binary() {
  local sources=(src CMakeLists.txt cmake)
  if [[ -x build/credo ]] && git diff --quiet "$PINNED" -- "${sources[@]}" &&
    [[ -z "$(find "${sources[@]}" -newer build/credo -type f -print -quit)" ]]; then
    cp build/credo "$credo.tmp" && mv "$credo.tmp" "$credo"
    log "pinned build/credo (its sources are commit $PINNED's)"
    return
  fi
  [[ -x "$venv/bin/python" ]] || fail "no virtual environment at $venv: run scripts/setup.sh --no-run first"
  local tree="$CREDO_HOME/paper-study-$PINNED"
  if [[ ! -x "$tree/build/credo" ]]; then
    log "building commit $PINNED's credo in $tree"
    rm -rf "$tree" && mkdir -p "$tree"
    git archive "$PINNED" | tar -x -C "$tree"
    cmake -S "$tree" -B "$tree/build" -DCMAKE_BUILD_TYPE=Release -DCREDO_PYTHON="$venv/bin/python" >/dev/null
    cmake --build "$tree/build" --target credo -j "$(nproc)" >/dev/null
  fi
  cp "$tree/build/credo" "$credo.tmp" && mv "$credo.tmp" "$credo"
  log "pinned commit $PINNED's credo"
}
mkdir -p runs/paper runs/paper-hopper-extras
if [[ ! -x $credo ]]; then
  git cat-file -e "$PINNED^{commit}" 2>/dev/null || fail "commit $PINNED is not in this clone: fetch main's history"
  pin_binary
  echo "$PINNED" >runs/paper/credo.commit
fi

# 2. The demonstrations: 25 episodes of each shipped SAC expert (Walker2d-v5 from reset seed 4: the expert falls
# from some initial states of seeds 0-3).
demos=runs/imitation-benchmark/demos
mkdir -p "$demos"
for spec in Hopper-v5:hopper-v5:0 Walker2d-v5:walker2d-v5:4 HalfCheetah-v5:halfcheetah-v5:0; do
  IFS=: read -r env expert seed <<<"$spec"
  [[ -f "$demos/$env.h5" ]] && continue
  $credo collect --policy "experts/sac-$expert.pt" --env "$env" --episodes 25 --seed "$seed" --out "$demos/$env.h5"
done

# 3. Finished cells from the committed records; a folder already there (finished or in progress) is kept.
restore_records() {
  local from=$1 to=$2 record
  for record in "$from"/*/; do
    [[ -d "$record" && ! -e "$to/$(basename "$record")" ]] || continue
    cp -r "$record" "$to/"
    log "restored $(basename "$record") from $from"
  done
}
restore_records docs/results/paper/runs runs/paper
restore_records docs/results/paper/hopper-extras runs/paper-hopper-extras

if [[ $mode == dry-run ]]; then
  $credo sweep configs/sweeps/paper-hopper-extras.toml --out runs/paper-hopper-extras --jobs 2 --dry-run | tail -n 1
  $credo sweep configs/sweeps/paper.toml --out runs/paper --jobs 2 --dry-run | tail -n 1
  exit 0
fi
if sweeps_running; then
  log "the study's sweep is already running (log: runs/paper/sweep.log)"
  exit 0
fi
# The Hopper-only cells first: sd3's clip-5 cells left repeat their clip-off runs step for step wherever those
# kept every learning reward below 5 (all nine did; docs/results/paper.md, "How the study runs").
extras="$credo sweep configs/sweeps/paper-hopper-extras.toml --out runs/paper-hopper-extras --jobs 2"
setsid nohup bash -c "$extras && $credo sweep configs/sweeps/paper.toml --out runs/paper --jobs 2" \
  >>runs/paper/sweep.log 2>&1 </dev/null &
log "started in the background (log: runs/paper/sweep.log; stop: scripts/paper_study.sh --stop)"
