#!/usr/bin/env bash
# E3 companion, batch normalization: the E3 network with a BatchNorm2d after every convolution,
# plain_cnn(depth=11, width=8, activation=relu, batch_norm=true), under the same four schemes (LSUV, orthogonal gain 1,
# Xavier, Kaiming; normal), zero biases, 3 seeds, the same budget as E3's budget 3 (SGD lr 0.01, momentum 0.9, 3 epochs
# over the first 10,000 training rows, test on the first 2,000 test images), steps until the training loss (mean of 50
# batches) reaches 1.0. The schemes set the convolutions and the classifier; batch normalization keeps PyTorch's reset
# (weight 1, bias 0). Writes docs/results/e3-lsuv/bn-momentum0.9/.
set -euo pipefail
source "$(dirname "$0")/weightinit.sh"
ARCH="plain_cnn(depth=11, width=8, activation=relu, batch_norm=true)"
INIT="lsuv, orthogonal, xavier_normal, kaiming_normal"
weightinit compare -d "$DATA" --arch "$ARCH" -i "$INIT" -b zeros --seeds 1,2,3 --epochs 3 --train-rows 10000 --test-rows 2000 \
    --momentum 0.9 --loss-threshold 1.0 --threads 1 -o "$ROOT/docs/results/e3-lsuv/bn-momentum0.9" "$@"
