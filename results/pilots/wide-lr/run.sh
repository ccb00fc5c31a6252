#!/bin/bash
# The wide-lr pilot: why every width-figure run at m = 64 ends at chance. The width-v3 recipe at |V| = 32
# (40,000 repeated inputs, 75,000 steps of 512, linear warmup over 5% then decay, weight decay 0, psi of
# hidden width 128), dense and K = 64 hard, at widths around 64 and at smaller peak learning rates.
# Writes runs/ and runs.csv here.
# Usage: results/pilots/wide-lr/run.sh [MOESIM] (default build/moesim); two runs at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
moesim=$(realpath "${1:-build/moesim}")
mkdir -p "$here/runs"
# setting experts m lr seed
plan() {
  for s in 1 2; do
    echo "dense_m48_lr0.01 0 48 0.01 $s"
    echo "dense_m56_lr0.01 0 56 0.01 $s"
    echo "dense_m64_lr0.01 0 64 0.01 $s"
  done
  for s in 3 4 5; do echo "dense_m64_lr0.01 0 64 0.01 $s"; done
  echo "dense_m64_lr0.001 0 64 0.001 1"
  echo "K64_m64_lr0.003 64 64 0.003 1"
  echo "K64_m64_lr0.001 64 64 0.001 1"
}
run_one() {
  local name=$1 experts=$2 m=$3 lr=$4 seed=$5
  local out="$here/runs/$name-s$seed"
  [ -f "$out/run.json" ] && return 0  # finished before: keep it
  rm -rf "$out.tmp"
  local gate=()
  [ "$experts" -gt 0 ] && gate=(--gate hard)
  "$moesim" train --task length2 --model onelayer --distribution disjointness --nodes 32 --m "$m" --heads 1 \
    --hidden 128 --experts "$experts" "${gate[@]}" --train-size 40000 --test-size 2000 --eval-limit 2000 \
    --confirm-size 2000 --steps 75000 --batch 512 --lr "$lr" --weight-decay 0 --eval-every 500 --target 0.97 \
    --seed "$seed" --threads 1 --out "$out.tmp" > /dev/null
  mv "$out.tmp" "$out"
}
export -f run_one; export here moesim
plan | xargs -P 2 -L 1 bash -c 'run_one "$@"' _
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed experts m lr status steps best_test final_test \
  final_train confirm wall_s > "$here/runs.csv"
