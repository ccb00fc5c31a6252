#!/bin/bash
# The fresh-lr-width pilot: does fresh data (no input repeated) train once muP's learning rates keep the
# attention scores from running away? results/pilots/saddle found fresh data trapping the model at |V| >= 16
# (attention onto EMPTY within ~200 steps), which is why the width figure trains on a repeated set. Version
# 3's recipe otherwise (hard length-2 instances, H = 1, psi of hidden width 128, 75,000 steps of 512, lr
# 0.01, warmup 5% then linear decay, weight decay 0, stop at 97%, 2,000 unseen confirmation inputs), with
# --train-size 0. Writes runs/ and runs.csv here.
# Usage: results/pilots/fresh-lr-width/run.sh [MOESIM] (default build/moesim); one run at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
moesim=$(realpath "${1:-build/moesim}")
mkdir -p "$here/runs"
# setting nodes m lr-width seed
plan() {
  for s in 1 2; do
    echo "V20_m20_plain 20 20 0 $s"
    echo "V20_m20_w4 20 20 4 $s"
    echo "V20_m20_w8 20 20 8 $s"
  done
  for s in 1 2; do echo "V32_m32_w8 32 32 8 $s"; done
  for s in 3 4 5; do
    echo "V20_m20_plain 20 20 0 $s"
    echo "V20_m20_w4 20 20 4 $s"
  done
  for s in 1 2; do echo "V32_m32_w4 32 32 4 $s"; done
}
run_one() {
  local name=$1 nodes=$2 m=$3 width=$4 seed=$5
  local out="$here/runs/$name-s$seed"
  [ -f "$out/run.json" ] && return 0  # finished before: keep it
  rm -rf "$out.tmp"
  "$moesim" train --task length2 --model onelayer --distribution disjointness --nodes "$nodes" --m "$m" --heads 1 \
    --hidden 128 --train-size 0 --fresh-labels alternating --test-size 2000 --eval-limit 2000 --confirm-size 2000 --steps 75000 --batch 512 \
    --lr 0.01 --lr-width "$width" --weight-decay 0 --eval-every 500 --target 0.97 --seed "$seed" --threads 1 \
    --out "$out.tmp" > /dev/null 2>&1
  mv "$out.tmp" "$out"
}
export -f run_one; export here moesim
plan | xargs -P 1 -L 1 bash -c 'run_one "$@"' _
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed nodes m lr_width status steps reached_at \
  best_test final_test final_train confirm collapsed_at wall_s > "$here/runs.csv"
