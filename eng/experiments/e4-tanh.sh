#!/usr/bin/env bash
# E4, dynamical isometry (Pennington et al. 2017, Xiao et al. 2018): a 100-layer tanh MLP of width 128, orthogonal
# (gain 1) vs a Gaussian of the same variance (lecun_normal: N(0, 1/fan_in)); zero biases; 3 seeds; 3 epochs over the
# first 10,000 training rows; steps until the training loss (mean of 50 batches) reaches 1.0. Writes
# docs/results/e4-tanh/.
set -euo pipefail
source "$(dirname "$0")/weightinit.sh"
weightinit compare -d "$DATA" --arch "mlp(depth=100, width=128, activation=tanh)" -i "orthogonal, lecun_normal" -b zeros \
    --seeds 1,2,3 --epochs 3 --train-rows 10000 --loss-threshold 1.0 --threads 1 -o "$ROOT/docs/results/e4-tanh" "$@"
