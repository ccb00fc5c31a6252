#!/bin/bash
# The mask-empty pilot: does keeping EMPTY out of the attention's keys (--mask-empty) end the collapses and
# speed up learning on fresh data? Every trap and late collapse examined so far is the last token's
# attention running onto EMPTY (results/pilots/fresh-lr-width, ../moe-data: EMPTY scores +7 to +18 above the
# arcs in the collapsed K = 8 and K = 64 runs), and EMPTY fills the slots of absent arcs: taking it out of
# the softmax changes neither theorem (models/config.hpp says why) but leaves no constant for the attention
# to settle on.
# Beside ../moe-data's fresh coin-labelled rows (|V| = 32, 75,000 steps of 512): dense m = 24, K = 8 and
# K = 64 (hard gate) at m = 32, the same recipe with --mask-empty. (A second part, dense at m = |V| = 24 and 32
# with a 300,000-step cap beside ../fresh-budget, was dropped unrun once K = 8 seed 1 collapsed onto QUERY.)
# Writes runs/ and runs.csv here.
# Usage: [JOBS=2] results/pilots/mask-empty/run.sh [MOESIM] (default build/moesim; JOBS runs at a time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
common="--task length2 --model onelayer --distribution disjointness --heads 1 --hidden 128 --train-size 0 \
 --test-size 2000 --eval-limit 2000 --confirm-size 2000 --batch 512 --lr 0.01 --lr-width 16 \
 --weight-decay 0 --eval-every 500 --target 0.97 --mask-empty"
plan() {
  for s in 1 2 3; do
    echo "dense_m24_V32_75k-s$s $common --steps 75000 --nodes 32 --m 24 --seed $s"
    echo "K8_m32_V32_75k-s$s $common --steps 75000 --nodes 32 --m 32 --experts 8 --gate hard --seed $s"
  done
  for s in 1 2; do echo "K64_m32_V32_75k-s$s $common --steps 75000 --nodes 32 --m 32 --experts 64 --gate hard --seed $s"; done
}
plan | "$here/../run_plan.sh" "$here/runs" "${JOBS:-2}" "${1:-build/moesim}"
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed experts nodes m status steps at_95 reached_at \
  best_test final_test final_train confirm collapsed_at busiest_median wall_s > "$here/runs.csv"
