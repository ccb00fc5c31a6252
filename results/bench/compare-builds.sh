#!/bin/bash
# Two builds of moesim side by side on the same training runs, alternating, one thread each: the median wall
# time of REPS runs per build and the ratio. For changes that must not alter a result, it also checks that
# both builds end with the same weights (the tensors of model.safetensors, metadata aside).
# Usage: results/bench/compare-builds.sh OLD_MOESIM NEW_MOESIM [REPS] (default 3)
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); reps=${3:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
configs=(
  "one-layer dense, |V| 24, m 16, hidden 128 @@ --task length2 --model onelayer --distribution disjointness --nodes 24 --m 16 --heads 1 --hidden 128 --train-size 20000 --test-size 500 --steps 6000 --batch 64 --lr 0.01 --weight-decay 0 --eval-every 6000"
  "one-layer K = 8 hard, |V| 24, m 16, hidden 128 @@ --task length2 --model onelayer --distribution disjointness --nodes 24 --m 16 --heads 1 --experts 8 --hidden 128 --train-size 20000 --test-size 500 --steps 6000 --batch 64 --lr 0.01 --weight-decay 0 --eval-every 6000"
  "one-layer K = 64 hard, |V| 24, m 16, hidden 128 @@ --task length2 --model onelayer --distribution disjointness --nodes 24 --m 16 --heads 1 --experts 64 --hidden 128 --train-size 20000 --test-size 500 --steps 6000 --batch 64 --lr 0.01 --weight-decay 0 --eval-every 6000"
  "phone book, MoE d 16, E 64, top-2, 1,024 entries @@ --task phonebook --model moe --layers 1 --heads 2 --d 16 --experts 64 --top-k 2 --entries 1024 --steps 1500 --batch 32 --lr 0.01 --eval-every 1500 --test-size 1000000 --eval-limit 0"
  "phone book, dense d 48, 1,024 entries @@ --task phonebook --model dense --layers 1 --heads 2 --d 48 --entries 1024 --steps 1500 --batch 32 --lr 0.01 --eval-every 1500 --test-size 1000000 --eval-limit 0"
)
wall() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['result']['wall_seconds'])" "$1/run.json"; }
same() {
  /usr/bin/python3 - "$1/model.safetensors" "$2/model.safetensors" <<'PY'
import json, struct, sys
def tensors(p):
    b = open(p, "rb").read(); n = struct.unpack("<Q", b[:8])[0]; h = json.loads(b[8:8 + n]); h.pop("__metadata__", None)
    return h, b[8 + n:]
print("same weights" if tensors(sys.argv[1]) == tensors(sys.argv[2]) else "WEIGHTS DIFFER")
PY
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "old: $old ($("$old" --version 2>/dev/null | head -1))"
echo "new: $new ($("$new" --version 2>/dev/null | head -1))"
printf '%-52s %9s %9s %7s  %s\n' "run (seed 1, 1 thread)" "old s" "new s" "ratio" "weights"
for entry in "${configs[@]}"; do
  label=${entry%% @@ *}; args=${entry#* @@ }
  : > "$work/old.t"; : > "$work/new.t"
  for r in $(seq "$reps"); do
    for b in old new; do
      bin=$old; [ $b = new ] && bin=$new
      rm -rf "$work/$b"
      # shellcheck disable=SC2086
      "$bin" train $args --seed 1 --threads 1 --out "$work/$b" > /dev/null 2>&1
      wall "$work/$b" >> "$work/$b.t"
    done
  done
  o=$(median < "$work/old.t"); n=$(median < "$work/new.t")
  printf '%-52s %9.2f %9.2f %6.2fx  %s\n' "$label" "$o" "$n" "$(awk -v o="$o" -v n="$n" 'BEGIN {print o / n}')" "$(same "$work/old" "$work/new")"
done
