#!/bin/bash
# The readout-init pilot: one-layer models on fresh hard length-2 data, psi's output weights initialised
# N(0, 1/hidden) (normal) or zero, same seeds, same everything else. Writes runs/ and runs.csv here.
# Usage: results/pilots/readout-init/run.sh [MOESIM] (default build/moesim); two runs at a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
moesim=$(realpath "${1:-build/moesim}")
mkdir -p "$here/runs"
# setting nodes m lr steps readout-init, one run per seed 1-5
plan() {
  for s in 1 2 3 4 5; do
    for init in normal zero; do
      echo "V20_lr0.01 20 20 0.01 100000 $init $s"
      echo "V20_lr0.003 20 20 0.003 100000 $init $s"
      echo "V24_lr0.003 24 24 0.003 200000 $init $s"
    done
    echo "V20_m40_lr0.003 20 40 0.003 100000 zero $s"
    echo "V32_lr0.003 32 32 0.003 200000 zero $s"
  done
}
run_one() {
  local name=$1 nodes=$2 m=$3 lr=$4 steps=$5 init=$6 seed=$7
  local out="$here/runs/$name-$init-s$seed"
  [ -f "$out/run.json" ] && return 0  # finished before: keep it
  rm -rf "$out.tmp"
  "$moesim" train --task length2 --model onelayer --distribution disjointness --nodes "$nodes" --m "$m" --heads 1 \
    --hidden 128 --train-size 0 --fresh-labels alternating --test-size 2000 --eval-limit 2000 --confirm-size 2000 --steps "$steps" --batch 64 \
    --lr "$lr" --weight-decay 0 --eval-every 2000 --target 0.95 --readout-init "$init" --seed "$seed" --threads 1 \
    --out "$out.tmp" > /dev/null
  mv "$out.tmp" "$out"
}
export -f run_one; export here moesim
plan | xargs -P 2 -L 1 bash -c 'run_one "$@"' _
/usr/bin/python3 "$here/../runs_table.py" "$here/runs" 2 setting readout_init seed nodes m lr status steps best_test final_test confirm collapsed_at wall_s > "$here/runs.csv"
