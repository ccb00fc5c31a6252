#!/bin/bash
# The width-32 pilot: the train-size pilot's recipe (40,000 repeated inputs, 600,000 steps) trains |V| = 32
# at m = 32 in 5/5 seeds. Does it measure a width at |V| = 32: does the dense model fail below m = 32 (as the
# evidence preset's critical widths, 16 at |V| = 20 and 24-32 at 24, predict), and does K = 8 pass where
# dense does? K = 1 hard is the dense model: it must agree with dense. (K = 64 costs ~40 minutes a failing
# run here: GPU work.) Dense at m = 16 and K = 8 at m = 24 were dropped once dense failed at 24 and K = 8
# collapsed at 32.
# Usage: results/pilots/width-32/run.sh [MOESIM] [JOBS] (default build/moesim, 1 run at a time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
moesim=$(realpath "${1:-build/moesim}")
jobs=${2:-1}
mkdir -p "$here/runs"
# setting experts m lr, one run per seed 1-5, in order of priority
plan() {
  for setting in "dense_m24 0 24 0.01" "K8_m32 8 32 0.01" "K1_m32 1 32 0.01"; do
    for s in 1 2 3 4 5; do echo "$setting $s"; done
  done
}
run_one() {
  local name=$1 experts=$2 m=$3 lr=$4 seed=$5
  local out="$here/runs/$name-s$seed"
  [ -f "$out/run.json" ] && return 0  # finished before: keep it
  rm -rf "$out.tmp"
  "$moesim" train --task length2 --model onelayer --distribution disjointness --nodes 32 --m "$m" --heads 1 \
    --experts "$experts" --gate hard --hidden 128 --train-size 40000 --test-size 2000 --eval-limit 2000 \
    --confirm-size 2000 --steps 600000 --batch 64 --lr "$lr" --weight-decay 0 --eval-every 4000 --target 0.95 \
    --seed "$seed" --threads 1 --out "$out.tmp" > /dev/null
  mv "$out.tmp" "$out"
}
export -f run_one; export here moesim
plan | xargs -P "$jobs" -L 1 bash -c 'run_one "$@"' _
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed experts m lr status steps reached_at best_test final_test confirm final_train collapsed_at wall_s > "$here/runs.csv"
