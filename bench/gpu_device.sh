#!/usr/bin/env bash
# credo on a lent GPU machine (issue 19's device benchmark; docs/benchmarks.md, "On a GPU"). Two halves:
#
#   bench/gpu_device.sh pack   here, on a machine credo's set-up has built: gathers into .gpu-device/ (git-ignored)
#                              what a bare GPU machine lacks: the mujoco and Gymnasium wheels for its Python, and
#                              the Debian headers, CMake packages, libraries and pkgconf credo builds against.
#   bench/gpu_device.sh run    there, from the clone's root with .gpu-device/ beside it (results go to $OUT, or
#                              /tmp/credo-gpu-out): builds credo (with its CUDA graph plugin) against that
#                              machine's own torch, runs the GPU tests, then times short `credo train` runs on
#                              cuda (td3 and ddpg from CUDA graphs, td3 eager beside them) and on one CPU core.
#                              CREDO_GPU_PYTORCH=1 also times td3 updates in PyTorch (eager against a CUDA graph,
#                              one seed against stacked populations); CREDO_GPU_ALL=1 also sac, sd3 and ppo.
#                              Both modes also time td3 seed populations (`--seeds`) of 8 and 32, and of 8 imitating;
#                              the full mode sac and sd3 populations of 8 and 32 too.
#
# The GPU machine has Python with PyTorch (its CUDA LibTorch is what credo links there), CMake, a C++ compiler
# and nvidia-smi, and nothing it can download. On a lent H200 (2026-12-04) the run half took about 5.5 minutes,
# the 98-second build included.
set -uo pipefail
cd "$(dirname "$0")/.."
CARRY=$PWD/.gpu-device

pack() {
  local venv=${CREDO_VENV:-$HOME/.cache/credo/venv} arch=x86_64-linux-gnu
  rm -rf "$CARRY" && mkdir -p "$CARRY"/{wheels,sysroot,rt,bin}
  # Wheels for the GPU machine's Python 3.12, at the versions requirements.txt pins (mujoco-studio, the viewer,
  # and PyOpenGL are left out: importing mujoco and Gymnasium's MuJoCo envs needs neither).
  local pins
  pins=$(grep -E '^(mujoco|gymnasium)' requirements.txt | sed 's/\[.*\]//')
  "$venv/bin/python" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    -d "$CARRY/wheels" $pins "mujoco-core==$(echo "$pins" | sed -n 's/^mujoco==//p')" farama-notifications glfw || return 1
  # Headers, CMake packages and pkg-config files of the Debian -dev packages credo's CMakeLists finds, and the
  # libraries it links: HDF5's C library, libzip, toml++, fmt, GoogleTest (the rest would only fill the carry).
  local pkg file
  for pkg in libhdf5-dev libzip-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libfmt-dev libgtest-dev \
             libgmock-dev; do
    dpkg -L "$pkg" | while read -r file; do
      case $file in
        /usr/include/*|*/cmake/*|*/pkgconfig/*|/usr/lib/$arch/libzip.so|/usr/lib/$arch/libfmt.so|\
        /usr/lib/$arch/libtomlplusplus.so|/usr/lib/$arch/libgtest*.a|/usr/lib/$arch/libgmock*.a|\
        /usr/lib/$arch/hdf5/serial/libhdf5.so)
          [ -f "$file" ] && cp -L --parents "$file" "$CARRY/sysroot/" ;;
      esac
    done
  done
  cp -L /usr/lib/$arch/libfmt.so.*.*.* "$CARRY/sysroot/usr/lib/$arch/"  # the file fmt's CMake package names
  cp -L /usr/lib/$arch/pkgconfig/hdf5.pc "$CARRY/sysroot/usr/lib/$arch/pkgconfig/hdf5.pc"
  cp -L /usr/bin/pkgconf "$CARRY/bin/"
  # cuda_runtime.h includes crt/host_config.h, which the GPU machine's nvidia-* wheels lack (CUDA graph plugin).
  local crt
  crt=$(grep -o 'CREDO_CUDA_CRT_DIR:PATH=.*' build/CMakeCache.txt | cut -d= -f2)
  mkdir -p "$CARRY/cuda-include" && cp -rL "$crt/crt" "$CARRY/cuda-include/"
  # The shared libraries credo and pkgconf load, without the C and C++ runtimes (the GPU machine has its own,
  # newer ones) and without LibTorch and MuJoCo (they come from its torch and the mujoco wheel).
  ldd build/credo /usr/bin/pkgconf "$(ls /usr/lib/$arch/libfmt.so.* | head -1)" | awk '$3 ~ /^\// {print $3}' \
    | sort -u | grep -vE '/(libc|libm|libdl|libpthread|librt|libutil|libresolv|libstdc\+\+|libgcc_s)\.so' \
    | grep -vE 'torch|mujoco|nvidia|libgomp|libcupti|libcudart' | while read -r file; do
      cp -L "$file" "$CARRY/rt/"
    done
  cp -L /usr/lib/$arch/libfmt.so.* "$CARRY/rt/"
  du -sh "$CARRY"
}

# One `credo train` run, its steady steps/s (median over the log rows after the random start, the last row
# left out) and its wall time, appended to bench.csv. Arguments: a name, the device, then credo train's own.
# With POP=N, the run is a seed population of seeds 1-N (`--seeds`) and its steps/s the aggregate: seed 1's
# rate times N (the seeds step together).
train() {
  local name=$1 device=$2; shift 2
  local out=$WORK/$name start=$SECONDS pop=${POP:-0} seeds=()
  [ "$pop" -gt 0 ] && seeds=(--seeds "1-$pop")
  echo "$name start $(date +%s.%N)" >>"$OUT/windows.txt"
  "$CREDO" train --device "$device" --out "$out" "${seeds[@]}" threads=1 "$@" >>"$OUT/train.log" 2>&1
  local rc=$?
  echo "$name end $(date +%s.%N)" >>"$OUT/windows.txt"
  python3 - "$out" "$name" "$device" "$rc" "$((SECONDS - start))" "$pop" >>"$OUT/bench.csv" <<'EOF'
import csv, json, statistics, sys
out, name, device, rc, wall, pop = sys.argv[1:]
out, factor = (f"{out}/seed-1", int(pop)) if int(pop) > 0 else (out, 1)
try:
    rows = list(csv.DictReader(open(f"{out}/metrics.csv")))
    # Rows whose whole interval updated (the one before it had updates), the last (evaluation) left out.
    steady = [float(b["sps"]) for a, b in zip(rows[:-2], rows[1:-1]) if int(a["updates"] or 0) > 0]
    steady = steady or [float(rows[-1]["sps"])]
    summary = json.load(open(f"{out}/summary.json"))
    split = summary.get("seconds_this_session", {})  # where the time went: act, env, learn, other
    shares = ",".join(f"{split.get(k, float('nan')):.1f}" for k in ("act", "env", "learn", "other"))
    print(f"{name},{device},{rc},{rows[-1]['step']},{factor * statistics.median(steady):.1f},{wall},{shares}")
except Exception as error:  # the row still says the run failed
    print(f"{name},{device},{rc},,,{wall}  # {error}")
EOF
}

run() {
  OUT=${OUT:-/tmp/credo-gpu-out}
  mkdir -p "$OUT"
  WORK=$(mktemp -d /tmp/credo-gpu.XXXXXX)
  local site=/tmp/credo-site rt=/tmp/credo-rt arch=x86_64-linux-gnu
  stage() { echo "[$(date +%T) +${SECONDS}s] $*" | tee -a "$OUT/steps.log"; }
  stage "machine: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader);" \
        "$(nproc) cores; $(python3 -c 'import torch; print("torch", torch.__version__)'); $(c++ --version | head -1)"
  python3 -m pip install -q --upgrade --no-index --no-deps --no-compile --target "$site" "$CARRY"/wheels/*.whl || return 1
  export PYTHONPATH=$site
  # Of the carried libraries, only those the machine lacks: its own are newer.
  mkdir -p "$rt"
  local lib known
  known=$({ command -v ldconfig || echo /sbin/ldconfig; } | xargs -I{} sh -c '{} -p' 2>/dev/null)
  for lib in "$CARRY"/rt/*; do
    grep -q "^[[:space:]]*$(basename "$lib") " <<<"$known" || ln -sf "$lib" "$rt/"
  done
  stage "libraries taken from the carry: $(ls "$rt" | tr '\n' ' ')"

  stage "configure and build (credo, credo_learn_tests) against this machine's torch"
  export LD_LIBRARY_PATH=$rt  # also for the test discovery, which runs the test binary during the build
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  PKG_CONFIG_LIBDIR=$CARRY/sysroot/usr/lib/$arch/pkgconfig PKG_CONFIG_SYSROOT_DIR=$CARRY/sysroot \
    cmake -S . -B build-gpu "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCREDO_PYTHON="$(command -v python3)" -DCREDO_PYTHON_PACKAGE=OFF -DCREDO_CUDA_CRT_DIR="$CARRY/cuda-include" -DCMAKE_PREFIX_PATH="$CARRY/sysroot/usr" \
    -DPKG_CONFIG_EXECUTABLE="$CARRY/bin/pkgconf" -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$rt" \
    >"$OUT/build.log" 2>&1 &&
    timeout 330 cmake --build build-gpu --target credo credo_learn_tests -j "$(nproc)" >>"$OUT/build.log" 2>&1
  local built=$?
  stage "  exit $built (build.log; $(grep -o 'CUDA graphs o[nf]*' "$OUT/build.log" | head -1))"
  # Measured whether or not credo built: it needs only PyTorch (measured on 2026-12-04: docs/benchmarks.md;
  # CREDO_GPU_PYTORCH=1 measures it again).
  if [ "${CREDO_GPU_PYTORCH:-0}" = 1 ]; then
    stage "PyTorch td3 updates: eager against a CUDA graph, 1 seed and populations"
    timeout 100 python3 bench/gpu_update.py --reps 300 >"$OUT/update.txt" 2>&1
    stage "  exit $? (update.txt)"
  fi
  [ $built -eq 0 ] || return 1
  export CREDO_BIN=$PWD/build-gpu/credo
  CREDO=$CREDO_BIN

  stage "GPU tests: every learner on cuda against the cpu; imitation runs on cuda resumed and evaluated on the cpu"
  timeout 120 build-gpu/credo_learn_tests --gtest_filter='*OnAGpu*:*Device*:*CudaGraphs*' >"$OUT/tests.log" 2>&1
  stage "  gtest exit $?"
  if [ "${CREDO_GPU_QUICK:-0}" != 1 ]; then
    timeout 150 python3 -m pytest -q -p no:cacheprovider -n 4 tests/python/test_cli_train.py -k "gpu or bad_training" \
      >>"$OUT/tests.log" 2>&1
    stage "  pytest exit $?"
  fi

  stage "credo train on Hopper-v5: cuda, and one CPU core beside it"
  nvidia-smi --query-gpu=timestamp,memory.used --format=csv,noheader,nounits -lms 250 >"$OUT/gpu_memory.csv" &
  local smi=$!
  echo "run,device,exit,steps,steps_per_s,wall_s,act_s,env_s,learn_s,other_s" >"$OUT/bench.csv"
  "$CREDO" collect --policy experts/sac-hopper-v5.pt --env Hopper-v5 --episodes 4 --seed 0 --out "$WORK/demos.h5" \
    >>"$OUT/train.log" 2>&1
  local gail=(--demos "$WORK/demos.h5" demo_subsample=20)
  local common=(--env Hopper-v5 --seed 1 log_interval=500 eval_episodes=1)
  # The off-policy learners update from CUDA graphs by default; cuda_graphs=false is the eager update. (ppo, and
  # the learners' eager rates, measured on 2026-12-04: CREDO_GPU_ALL=1 runs them again.) CREDO_GPU_QUICK=1: no
  # pytest, and only the graph runs of td3, sd3, sac and tssg, in about 3.5 minutes with the build.
  # Seed populations of td3 (one process, one batched update for all seeds; the seeds' envs on their own threads).
  local pop=(--algo td3 --env Hopper-v5 log_interval=500 eval_episodes=1 start_steps=1000)
  POP=8 train td3-pop8-cuda cuda "${pop[@]}" --steps 5000 eval_interval=5000
  POP=32 train td3-pop32-cuda cuda "${pop[@]}" --steps 4000 eval_interval=4000
  POP=8 train td3-gail-pop8-cuda cuda "${pop[@]}" --steps 4000 "${gail[@]}" eval_interval=4000
  if [ "${CREDO_GPU_QUICK:-0}" != 1 ]; then
    local algo
    for algo in sac sd3; do
      pop=(--algo $algo --env Hopper-v5 log_interval=500 eval_episodes=1 start_steps=1000)
      POP=8 train $algo-pop8-cuda cuda "${pop[@]}" --steps 3000 eval_interval=3000
      POP=32 train $algo-pop32-cuda cuda "${pop[@]}" --steps 3000 eval_interval=3000
    done
  fi
  if [ "${CREDO_GPU_QUICK:-0}" = 1 ]; then
    train td3-cuda cuda --algo td3 "${common[@]}" --steps 8000 start_steps=1000 eval_interval=8000
    train sd3-cuda cuda --algo sd3 "${common[@]}" --steps 5000 start_steps=1000 eval_interval=5000
    train sac-cuda cuda --algo sac "${common[@]}" --steps 6000 start_steps=1000 eval_interval=6000
    train tssg-cuda cuda --algo tssg "${common[@]}" --steps 6000 start_steps=1000 eval_interval=6000
    kill $smi
    stage "done (bench.csv, gpu_memory.csv, windows.txt)"
    cat "$OUT/bench.csv"
    return 0
  fi
  (train td3-cpu cpu --algo td3 "${common[@]}" --steps 4000 start_steps=1000 eval_interval=4000
   train td3-gail-cpu cpu --algo td3 "${common[@]}" --steps 3000 "${gail[@]}" eval_interval=3000) &
  local cpu=$!
  train td3-cuda cuda --algo td3 "${common[@]}" --steps 20000 start_steps=1000 eval_interval=20000
  train td3-cuda-eager cuda --algo td3 "${common[@]}" --steps 6000 start_steps=1000 eval_interval=6000 \
    cuda_graphs=false
  train td3-gail-cuda cuda --algo td3 "${common[@]}" --steps 12000 "${gail[@]}" eval_interval=12000
  train ddpg-cuda cuda --algo ddpg "${common[@]}" --steps 12000 start_steps=1000 eval_interval=12000
  if [ "${CREDO_GPU_ALL:-0}" = 1 ]; then
    train sac-cuda cuda --algo sac "${common[@]}" --steps 6000 start_steps=1000 eval_interval=6000
    train sd3-cuda cuda --algo sd3 "${common[@]}" --steps 4000 start_steps=1000 eval_interval=4000
    train sd3-cuda-eager cuda --algo sd3 "${common[@]}" --steps 3000 start_steps=1000 eval_interval=3000 \
      cuda_graphs=false
    train sd3-cpu cpu --algo sd3 "${common[@]}" --steps 2000 start_steps=1000 eval_interval=2000
    train ppo-cuda cuda --algo ppo "${common[@]}" --steps 8192 log_interval=2048 eval_interval=8192
    train ppo-cpu cpu --algo ppo "${common[@]}" --steps 8192 log_interval=2048 eval_interval=8192
  fi
  wait $cpu
  grep -h "CUDA graphs" "$OUT/train.log" | sort | uniq -c >"$OUT/graph_notes.txt"
  kill $smi
  stage "done (bench.csv, gpu_memory.csv, windows.txt)"
  cat "$OUT/bench.csv"
}

case ${1:-} in
  pack) pack ;;
  run) run ;;
  *) echo "usage: bench/gpu_device.sh pack|run (see the comment at the top)" >&2; exit 2 ;;
esac
