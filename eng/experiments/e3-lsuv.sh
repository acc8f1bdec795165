#!/usr/bin/env bash
# E3, Mishkin & Matas 2016 (LSUV): a thin deep plain CNN, plain_cnn(depth=11, width=8) — ten 3×3 ReLU convolutions
# in stages of 8, 16, 32 channels and a linear classifier — under LSUV, orthogonal (gain 1, the paper's "orthonormal"),
# Xavier and Kaiming (normal); zero biases; 3 seeds; test on the first 2,000 test images. Two budgets:
#   lr0.01: the seed's SGD (lr 0.01, momentum 0.5), 2 epochs over the first 5,000 training rows;
#   lr0.05: SGD lr 0.05, momentum 0.9, 2 epochs over the first 10,000 training rows;
#   momentum0.9: SGD lr 0.01, momentum 0.9, 3 epochs over the first 10,000 training rows.
# Steps until the training loss (mean of 50 batches) reaches 1.0. Writes docs/results/e3-lsuv/{lr0.01,lr0.05,momentum0.9}/.
set -euo pipefail
source "$(dirname "$0")/weightinit.sh"
ARCH="plain_cnn(depth=11, width=8, activation=relu)"
INIT="lsuv, orthogonal, xavier_normal, kaiming_normal"
weightinit compare -d "$DATA" --arch "$ARCH" -i "$INIT" -b zeros --seeds 1,2,3 --epochs 2 --train-rows 5000 --test-rows 2000 \
    --loss-threshold 1.0 --threads 1 -o "$ROOT/docs/results/e3-lsuv/lr0.01" "$@"
weightinit compare -d "$DATA" --arch "$ARCH" -i "$INIT" -b zeros --seeds 1,2,3 --epochs 2 --train-rows 10000 --test-rows 2000 \
    --lr 0.05 --momentum 0.9 --loss-threshold 1.0 --threads 1 -o "$ROOT/docs/results/e3-lsuv/lr0.05" "$@"
weightinit compare -d "$DATA" --arch "$ARCH" -i "$INIT" -b zeros --seeds 1,2,3 --epochs 3 --train-rows 10000 --test-rows 2000 \
    --momentum 0.9 --loss-threshold 1.0 --threads 1 -o "$ROOT/docs/results/e3-lsuv/momentum0.9" "$@"
