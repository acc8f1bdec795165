#!/usr/bin/env bash
# E1, He et al. 2015: a 30-layer plain ReLU MLP (width 256) under PyTorch's default reset, Xavier, Kaiming, orthogonal
# (gain √2) and LSUV; zero biases for every row; 3 seeds; 3 epochs over the first 10,000 MNIST training rows (epoch 1 is
# the issue's "one pass" protocol), test on all 10,000 test images; steps until the training loss (mean of 50 batches)
# reaches 1.5. Writes docs/results/e1-he2015/ (comparison.*, signal.*). About 8 minutes on 2 quiet cores (1 thread).
set -euo pipefail
source "$(dirname "$0")/weightinit.sh"
weightinit compare -d "$DATA" --arch "mlp(depth=30, width=256, activation=relu)" \
    -i "pytorch_default, xavier_normal, kaiming_normal, orthogonal(gain=1.4142135623730951), lsuv" -b zeros --default-bias \
    --seeds 1,2,3 --epochs 3 --train-rows 10000 --loss-threshold 1.5 --threads 1 -o "$ROOT/docs/results/e1-he2015" "$@"
