#!/bin/bash
# Runs a pilot's plan of `moesim train` runs, JOBS at a time, one thread each, keeping the runs that finished
# before (a killed pilot loses no finished run: a run lands in RUNS_DIR/NAME only once it is whole).
#
#   plan | results/pilots/run_plan.sh RUNS_DIR JOBS MOESIM
#
# Each plan line is: NAME FLAG... (the run's `moesim train` flags; the runner adds --threads 1 and --out).
set -euo pipefail
runs=$1 jobs=$2
moesim=$(realpath "$3")
mkdir -p "$runs"
run_one() {
  local name=$1; shift
  local out="$runs/$name"
  [ -f "$out/run.json" ] && return 0
  rm -rf "$out.tmp"
  "$moesim" train "$@" --threads 1 --out "$out.tmp" > /dev/null
  mv "$out.tmp" "$out"
}
export -f run_one; export runs moesim
xargs -P "$jobs" -L 1 bash -c 'run_one "$@"' _
