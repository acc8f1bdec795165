#!/usr/bin/env bash
# E3, Mishkin & Matas 2016 (LSUV): a thin deep plain CNN, plain_cnn(depth=11, width=8) — ten 3×3 ReLU convolutions
# in stages of 8, 16, 32 channels and a linear classifier — under LSUV, orthogonal (gain 1, the paper's "orthonormal"),
# Xavier and Kaiming (normal); zero biases; 3 seeds; 2 epochs over the first 5,000 training rows, test on the first
# 2,000 test images; steps until the training loss (mean of 50 batches) reaches 1.0. Writes docs/results/e3-lsuv/.
set -euo pipefail
source "$(dirname "$0")/weightinit.sh"
weightinit compare -d "$DATA" --arch "plain_cnn(depth=11, width=8, activation=relu)" \
    -i "lsuv, orthogonal, xavier_normal, kaiming_normal" -b zeros \
    --seeds 1,2,3 --epochs 2 --train-rows 5000 --test-rows 2000 --loss-threshold 1.0 --threads 1 -o "$ROOT/docs/results/e3-lsuv" "$@"
