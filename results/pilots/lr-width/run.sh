#!/bin/bash
# The lr-width pilot: does muP's 1/fan-in learning rate above a base width (--lr-width) keep wide one-layer
# models out of the constant-output trap? The width-v3 recipe at |V| = 32 (40,000 repeated inputs, 75,000
# steps of 512, warmup 5% then linear decay, weight decay 0, psi of hidden width 128, lr 0.01) at m = 64,
# where the plain recipe traps dense seeds 1, 3, 4, 5 and K = 64 (results/pilots/wide-lr).
# Writes runs/ and runs.csv here.
# Usage: results/pilots/lr-width/run.sh [MOESIM] (default build/moesim); two runs at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
moesim=$(realpath "${1:-build/moesim}")
mkdir -p "$here/runs"
# setting experts m lr-width seed
plan() {
  for s in 1 3 4 5 2; do echo "dense_m64_w32 0 64 32 $s"; done
  for s in 1 3 4 5 2; do echo "dense_m64_w16 0 64 16 $s"; done
  for s in 1 2; do echo "K64_m64_w32 64 64 32 $s"; done
  for s in 1 2; do echo "K64_m64_w16 64 64 16 $s"; done
  for s in 1 2; do echo "K64_m64_w8 64 64 8 $s"; done
  for s in 1 2; do echo "dense_m128_w16 0 128 16 $s"; done
}
run_one() {
  local name=$1 experts=$2 m=$3 width=$4 seed=$5
  local out="$here/runs/$name-s$seed"
  [ -f "$out/run.json" ] && return 0  # finished before: keep it
  rm -rf "$out.tmp"
  local gate=()
  [ "$experts" -gt 0 ] && gate=(--gate hard)
  "$moesim" train --task length2 --model onelayer --distribution disjointness --nodes 32 --m "$m" --heads 1 \
    --hidden 128 --experts "$experts" "${gate[@]}" --train-size 40000 --test-size 2000 --eval-limit 2000 \
    --confirm-size 2000 --steps 75000 --batch 512 --lr 0.01 --lr-width "$width" --weight-decay 0 --eval-every 500 \
    --target 0.97 --seed "$seed" --threads 1 --out "$out.tmp" > /dev/null
  mv "$out.tmp" "$out"
}
export -f run_one; export here moesim
plan | xargs -P 2 -L 1 bash -c 'run_one "$@"' _
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed experts m lr_width status steps reached_at \
  best_test final_test final_train confirm collapsed_at wall_s > "$here/runs.csv"
