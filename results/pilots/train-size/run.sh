#!/bin/bash
# The train-size pilot: at |V| = 32 the evidence preset's recipe (20,000 repeated inputs, hidden 128) ends at
# best 0.92-0.945 on unseen inputs in 4 of 5 seeds (results/pilots/saddle, REC2): does a larger repeated set
# close the gap between training and unseen inputs, or does it fall back into fresh data's trap?
# Usage: results/pilots/train-size/run.sh [MOESIM] [JOBS] (default build/moesim, 1 run at a time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
moesim=$(realpath "${1:-build/moesim}")
jobs=${2:-1}
mkdir -p "$here/runs"
# setting nodes m train-size steps, one run per seed 1-5
plan() {
  for s in 1 2 3 4 5; do
    echo "V32_n40k 32 32 40000 200000 $s"
    echo "V32_n80k 32 32 80000 200000 $s"
    echo "V32_n40k_600k 32 32 40000 600000 $s"  # added: the escaped 40k runs were still rising at 200k
  done
}
run_one() {
  local name=$1 nodes=$2 m=$3 size=$4 steps=$5 seed=$6
  local out="$here/runs/$name-s$seed"
  [ -f "$out/run.json" ] && return 0  # finished before: keep it
  rm -rf "$out.tmp"
  "$moesim" train --task length2 --model onelayer --distribution disjointness --nodes "$nodes" --m "$m" --heads 1 \
    --hidden 128 --train-size "$size" --test-size 2000 --eval-limit 2000 --confirm-size 2000 --steps "$steps" \
    --batch 64 --lr 0.01 --weight-decay 0 --eval-every 4000 --target 0.95 --seed "$seed" --threads 1 \
    --out "$out.tmp" > /dev/null
  mv "$out.tmp" "$out"
}
export -f run_one; export here moesim
plan | xargs -P "$jobs" -L 1 bash -c 'run_one "$@"' _
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed nodes m train_size status steps best_test final_test confirm collapsed_at wall_s > "$here/runs.csv"
