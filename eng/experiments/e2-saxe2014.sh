#!/usr/bin/env bash
# E2, Saxe et al. 2014: deep linear MLPs (width 256, no nonlinearity) of depth 2, 8 and 32, orthogonal (gain 1) vs a
# scaled Gaussian of the same variance (lecun_normal: N(0, 1/fan_in)); zero biases; 3 seeds; 3 epochs over the first
# 10,000 training rows; steps until the training loss (mean of 50 batches) reaches 0.4. One comparison per depth in
# docs/results/e2-saxe2014/depth-N/, then the steps-to-threshold × depth × scheme table. About 6 minutes (1 thread).
set -euo pipefail
source "$(dirname "$0")/weightinit.sh"
OUT="$ROOT/docs/results/e2-saxe2014"
for depth in 2 8 32; do
    weightinit compare -d "$DATA" --arch "mlp(depth=$depth, width=256, activation=linear)" -i "orthogonal, lecun_normal" -b zeros \
        --seeds 1,2,3 --epochs 3 --train-rows 10000 --loss-threshold 0.4 --threads 1 -o "$OUT/depth-$depth" "$@"
done
python3 "$ROOT/eng/experiments/steps-table.py" "$OUT"/depth-2 "$OUT"/depth-8 "$OUT"/depth-32 > "$OUT/steps-to-threshold.md"
cat "$OUT/steps-to-threshold.md"
