#!/usr/bin/env bash
# Runs credo's whole test suite from any state of the machine: sets up and builds first (scripts/setup.sh
# --no-run), then runs ctest, which holds the C++ tests and the Python-side tests (parity with Gymnasium, CLI).
#
#   scripts/test.sh              every test
#   scripts/test.sh -R parity    extra arguments go to ctest
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
scripts/setup.sh --no-run
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
