#!/bin/bash
# The moe-data pilot: do the width figure's MoE runs at |V| = 32 fail for want of width or for want of data?
# In width-v4 (40,000 repeated inputs, 960 passes) K = 8 and K = 64 at m = 32 fit their training inputs
# (99.4-100%) and score 65-95% on unseen ones. Same recipe (hard length-2 instances, H = 1, psi of hidden
# width 128, 75,000 steps of 512, lr 0.01, lr-width 16, warmup 5% then linear decay, weight decay 0, stop
# at 97%, 2,000 unseen confirmation inputs), with 10x the training inputs (400,000: 96 passes) or fresh
# ones (train-size 0: no input seen twice); then two controls on the large set (dense at m = 32; 4x the steps).
# Writes runs/ and runs.csv here.
# Usage: results/pilots/moe-data/run.sh [MOESIM] (default build/moesim); two runs at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
recipe="--task length2 --model onelayer --distribution disjointness --nodes 32 --heads 1 --hidden 128 \
 --test-size 2000 --eval-limit 2000 --confirm-size 2000 --steps 75000 --batch 512 --lr 0.01 --lr-width 16 \
 --weight-decay 0 --eval-every 500 --target 0.97"
long=${recipe/--steps 75000/--steps 300000}
plan() {
  for s in 1 2 3; do
    echo "K8_m32_n400k-s$s $recipe --experts 8 --gate hard --m 32 --train-size 400000 --seed $s"
    echo "K64_m32_n400k-s$s $recipe --experts 64 --gate hard --m 32 --train-size 400000 --seed $s"
    echo "dense_m24_n400k-s$s $recipe --m 24 --train-size 400000 --seed $s"
  done
  for s in 1 2 3; do echo "K8_m32_fresh-s$s $recipe --experts 8 --gate hard --m 32 --train-size 0 --fresh-labels alternating --seed $s"; done
  for s in 1 2; do echo "K64_m32_fresh-s$s $recipe --experts 64 --gate hard --m 32 --train-size 0 --fresh-labels alternating --seed $s"; done
  # Controls: is the large set short of width (dense at m = 32, where 40,000 inputs reach 97%) or of steps
  # (4x the budget: 300,000 steps, 384 passes)?
  for s in 1 2; do echo "dense_m32_n400k-s$s $recipe --m 32 --train-size 400000 --seed $s"; done
  echo "dense_m24_n400k_4x-s1 $long --m 24 --train-size 400000 --seed 1"
  echo "K8_m32_n400k_4x-s1 $long --experts 8 --gate hard --m 32 --train-size 400000 --seed 1"
  # Then: does the gap at 4x between dense at m = 24 and K = 8 at m = 32 hold over seeds, and does K = 1
  # (hard routing to one expert: the dense model with a router that cannot change anything) train like dense?
  for s in 2 3; do
    echo "dense_m24_n400k_4x-s$s $long --m 24 --train-size 400000 --seed $s"
    echo "K8_m32_n400k_4x-s$s $long --experts 8 --gate hard --m 32 --train-size 400000 --seed $s"
  done
  for s in 1 2; do echo "K1_m24_n400k_4x-s$s $long --experts 1 --gate hard --m 24 --train-size 400000 --seed $s"; done
  # Fresh data traps where 400,000 stored inputs do not, although both see only new inputs for the first
  # 781 steps. A set of 4,000,000 keeps every input new for 7,812 steps, past every trap seen, and differs
  # from the fresh stream only in its batches: shuffled from the set, where the stream's hold consecutive
  # indices (labels alternate, so every batch is exactly half positive).
  for s in 1 2 3; do echo "K8_m32_n4M-s$s $recipe --experts 8 --gate hard --m 32 --train-size 4000000 --seed $s"; done
  # The 4,000,000 set does not trap (0 of 3) where the alternating stream trapped 4 of 5: the stream's labels
  # are now a fair coin per example (--fresh-labels independent, the default). Does fresh data train now?
  for s in 1 2 3; do echo "K8_m32_fresh_iid-s$s $recipe --experts 8 --gate hard --m 32 --train-size 0 --seed $s"; done
  for s in 1 2; do echo "K64_m32_fresh_iid-s$s $recipe --experts 64 --gate hard --m 32 --train-size 0 --seed $s"; done
  for s in 1 2; do echo "dense_m24_fresh_iid-s$s $recipe --m 24 --train-size 0 --seed $s"; done
  # The hard router sends nearly every input to one expert and changes which one (README): does a balancing
  # loss (--router-balance 0.01, the router's only gradient under the hard gate) close the gap to dense?
  # And do more plain seeds collapse mid-training, as seed 1 did?
  for s in 1 2 3 4 5; do
    echo "K8_m32_fresh_iid_bal-s$s $recipe --experts 8 --gate hard --router-balance 0.01 --m 32 --train-size 0 --seed $s"
  done
  for s in 4 5; do echo "K8_m32_fresh_iid-s$s $recipe --experts 8 --gate hard --m 32 --train-size 0 --seed $s"; done
  echo "dense_m24_fresh_iid-s3 $recipe --m 24 --train-size 0 --seed 3"
  # Balancing the hard router made K = 8 worse. Does a router that learns from the task (the Switch gate:
  # output x router probability), alone or balanced, use its experts and keep up with dense?
  for s in 1 2 3; do
    echo "K8_m32_fresh_switch-s$s $recipe --experts 8 --gate switch --m 32 --train-size 0 --seed $s"
    echo "K8_m32_fresh_switch_bal-s$s $recipe --experts 8 --gate switch --router-balance 0.01 --m 32 --train-size 0 --seed $s"
  done
}
plan | "$here/../run_plan.sh" "$here/runs" 2 "${1:-build/moesim}"
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 1 setting seed experts m train_size status steps reached_at \
  best_test final_test final_train confirm collapsed_at wall_s > "$here/runs.csv"
