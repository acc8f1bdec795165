#!/usr/bin/python3
"""E1 (He et al. 2015) written in PyTorch 1.13, the cross-check of `weightinit compare --arch mlp(depth=30, ...)`.

Protocol, as the C# comparison runs it: a 30-layer ReLU MLP of width 256 (nn.Linear layers; 784 -> 256 -> ... -> 10,
log-softmax), pixels / 255 normalized with (0.1307, 0.3081); weights by the scheme, biases zero except for
pytorch_default (which keeps its own bias reset, as `compare` does); SGD lr 0.01, momentum 0.5, batch 64, one
shuffled pass over the first 10,000 training rows (torch.randperm from a generator seeded with the run's seed); test
NLL and accuracy on the 10,000 test images. LSUV: orthogonal(gain=1) start, then per layer from the input, divide
the weight by sqrt(Var(output)) on the first 64 training images until |Var - 1| < 0.1 (at most 10 times).

It prints one line per (scheme, seed) and a verdict per scheme: "stalls" when the final test accuracy is within 0.02
of the majority class share (0.1135 on MNIST's test set), "trains" otherwise. Usage:
    /usr/bin/python3 test/parity/e1_he2015.py [/work/data/mnist] [--seeds 1,2,3] [--rows 10000]
The draws are PyTorch's own (not the C# generator's), so numbers differ run by run; the verdicts are what is compared.
"""
import argparse
import gzip
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(directory, name):
    path = os.path.join(directory, name)
    opener = open
    if not os.path.exists(path):
        path += ".gz"
        opener = gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mlp(depth, width, classes=10, features=784):
    layers = []
    for i in range(depth):
        fan_in = features if i == 0 else width
        fan_out = classes if i == depth - 1 else width
        layers.append(nn.Linear(fan_in, fan_out))
    return nn.ModuleList(layers)


def forward(layers, x, collect=None):
    x = x.reshape(x.shape[0], -1)
    for i, layer in enumerate(layers):
        x = layer(x)
        if collect is not None:
            collect.append(x)
        if i < len(layers) - 1:
            x = F.relu(x)
    return F.log_softmax(x, 1)


def initialize(layers, scheme, calibration):
    with torch.no_grad():
        for layer in layers:
            if scheme == "pytorch_default":
                continue  # construction already drew kaiming_uniform(a=sqrt(5)) and U(+-1/sqrt(fan_in)) biases
            if scheme == "xavier_normal":
                nn.init.xavier_normal_(layer.weight)
            elif scheme == "kaiming_normal":
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            elif scheme == "orthogonal":
                nn.init.orthogonal_(layer.weight, gain=math.sqrt(2))
            elif scheme == "lsuv":
                nn.init.orthogonal_(layer.weight, gain=1.0)
            else:
                raise ValueError(scheme)
            nn.init.zeros_(layer.bias)
        if scheme == "lsuv":
            for index, layer in enumerate(layers):
                for _ in range(10):
                    outputs = []
                    forward(layers, calibration, outputs)
                    variance = outputs[index].var().item()
                    if abs(variance - 1) < 0.1:
                        break
                    layer.weight /= math.sqrt(variance)


def run(scheme, seed, train_x, train_y, test_x, test_y, depth=30, width=256):
    torch.manual_seed(seed)
    layers = mlp(depth, width)
    initialize(layers, scheme, train_x[:64])
    optimizer = torch.optim.SGD(layers.parameters(), lr=0.01, momentum=0.5)
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(train_x.shape[0], generator=generator)
    losses = []
    for start in range(0, train_x.shape[0], 64):
        index = order[start:start + 64]
        optimizer.zero_grad()
        loss = F.nll_loss(forward(layers, train_x[index]), train_y[index])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        output = forward(layers, test_x)
        test_loss = F.nll_loss(output, test_y).item()
        accuracy = (output.argmax(1) == test_y).float().mean().item()
    return test_loss, accuracy, float(np.mean(losses[-50:]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default="/work/data/mnist")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--schemes", default="pytorch_default,xavier_normal,kaiming_normal,orthogonal,lsuv")
    args = parser.parse_args()
    torch.set_num_threads(1)
    normalize = lambda images: (torch.tensor(images, dtype=torch.float32).unsqueeze(1) / 255 - 0.1307) / 0.3081
    train_x = normalize(read_idx(args.data, "train-images-idx3-ubyte")[:args.rows])
    train_y = torch.tensor(read_idx(args.data, "train-labels-idx1-ubyte")[:args.rows].astype(np.int64))
    test_x = normalize(read_idx(args.data, "t10k-images-idx3-ubyte"))
    test_y = torch.tensor(read_idx(args.data, "t10k-labels-idx1-ubyte").astype(np.int64))
    majority = torch.bincount(test_y).max().item() / test_y.shape[0]
    print(f"torch {torch.__version__}; {train_x.shape[0]} training rows, {test_x.shape[0]} test rows; majority share {majority:.4f}")
    print("scheme,seed,test_loss,test_accuracy,last50_train_loss,seconds")
    verdicts = {}
    for scheme in args.schemes.split(","):
        accuracies = []
        for seed in [int(s) for s in args.seeds.split(",")]:
            start = time.time()
            loss, accuracy, train_loss = run(scheme, seed, train_x, train_y, test_x, test_y)
            accuracies.append(accuracy)
            print(f"{scheme},{seed},{loss:.4f},{accuracy:.4f},{train_loss:.4f},{time.time() - start:.1f}", flush=True)
        verdicts[scheme] = ("stalls" if max(accuracies) <= majority + 0.02 else "trains", float(np.mean(accuracies)), float(np.std(accuracies, ddof=1)) if len(accuracies) > 1 else float("nan"))
    print("verdict:")
    for scheme, (verdict, mean, std) in verdicts.items():
        print(f"  {scheme}: {verdict} (test accuracy {mean:.4f} ± {std:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
