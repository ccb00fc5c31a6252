#!/bin/bash
# The fresh-budget pilot: how many steps does the one-layer model need on fresh coin-labelled data to reach
# 95% at m = |V| (the dense construction's width), and how does that grow with |V|? Version 5 of the width
# figure must give every size a budget its dense reference can meet; this measures the law to budget by.
# The width figure's recipe (hard length-2 instances, H = 1, psi of hidden width 128, batches of 512, lr 0.01,
# lr-width 16, warmup 5% then linear decay, weight decay 0, 2,000 test and 2,000 confirmation inputs) with
# fresh data (--train-size 0, labels a fair coin per example) and one cap for every size, 300,000 steps, so
# the learning rate at step t is the same at every size; runs stop at 97% on the test set.
# Dense at m = |V| for |V| = 12-32, then K = 8 (hard gate) at m = |V| for |V| = 12-24: does the MoE need
# more steps than dense where both have the width? Then, since dense at m = |V| = 32 ended at 92-93% after
# 300,000 steps where |V| = 24 reached 95% in about 20,000: is |V| = 32 short of width (m = 48, 64)?
# Writes runs/ and runs.csv here.
# Usage: results/pilots/fresh-budget/run.sh [MOESIM] (default build/moesim); two runs at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
recipe="--task length2 --model onelayer --distribution disjointness --heads 1 --hidden 128 --train-size 0 \
 --test-size 2000 --eval-limit 2000 --confirm-size 2000 --steps 300000 --batch 512 --lr 0.01 --lr-width 16 \
 --weight-decay 0 --eval-every 500 --target 0.97"
plan() {
  for v in 12 16 20 24 32; do
    for s in 1 2 3; do echo "dense_V$v-s$s $recipe --nodes $v --m $v --seed $s"; done
  done
  for v in 12 16 20 24; do
    for s in 1 2 3; do echo "K8_V$v-s$s $recipe --nodes $v --m $v --experts 8 --gate hard --seed $s"; done
  done
  for s in 1 2; do echo "dense_m48_V32-s$s $recipe --nodes 32 --m 48 --seed $s"; done
  echo "dense_m64_V32-s1 $recipe --nodes 32 --m 64 --seed 1"
}
plan | "$here/../run_plan.sh" "$here/runs" 2 "${1:-build/moesim}"
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed experts nodes m status steps at_95 reached_at \
  best_test final_test final_train confirm collapsed_at busiest_median wall_s > "$here/runs.csv"
