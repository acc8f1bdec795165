#!/usr/bin/python3
"""plain_cnn(depth, width, activation=relu, batch_norm=true) in PyTorch 1.13, the oracle of PlainCnnBatchNormTests.

The network, written here from the documented layout (docs/architectures.md), independently of the C# code:
depth - 1 convolutions nn.Conv2d(in, out, 3, padding=1) in three stages of width, 2*width, 4*width channels (stage
lengths differ by at most one, the first ones longer), each followed by nn.BatchNorm2d (defaults) and ReLU, 2x2
max-pooling after the first and second stage, global average pooling, nn.Linear(4*width, K), log-softmax. Modules:
nn.ModuleList `layers` (convolutions, then the classifier) and nn.ModuleList `norms`.

  plain_cnn_bn.py DEPTH WIDTH DTYPE STATE.pt X.f32 Y.i64 N X2.f32 N2 OUT_DIR

builds the net in DTYPE (float32 or float64), loads STATE.pt (strict; values converted to DTYPE), converts the
images to DTYPE, then: train mode, forward on the N images of X.f32 (N x 1 x 28 x 28 float32), NLL of labels
Y.i64, backward; writes train_out (log-probabilities), grad.<name> for every parameter, <name> for every
buffer of the state dict after that forward (running statistics, num_batches_tracked); one SGD step
(lr 0.1, momentum 0.5); eval mode, forward on the N2 images of X2.f32: eval_out; and after.<name> for every
entry of the state dict after the step. All output files raw little-endian float64 (.f64), whatever DTYPE.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def layout(depth, width):
    count = depth - 1
    stages = min(3, count)
    result = []
    channels = 1
    for s in range(stages):
        length = count // stages + (1 if s < count % stages else 0)
        w = width << s
        for j in range(length):
            result.append((channels, w, j == length - 1 and s < stages - 1))
            channels = w
    return result


class PlainCnnBN(nn.Module):
    def __init__(self, depth, width, classes=10):
        super().__init__()
        self.spec = layout(depth, width)
        self.layers = nn.ModuleList([nn.Conv2d(i, o, 3, padding=1) for i, o, _ in self.spec] +
                                    [nn.Linear(self.spec[-1][1], classes)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(o) for _, o, _ in self.spec])

    def forward(self, x):
        for i, (_, _, pool) in enumerate(self.spec):
            x = F.relu(self.norms[i](self.layers[i](x)))
            if pool:
                x = F.max_pool2d(x, 2, 2)
        x = x.mean((2, 3))
        return F.log_softmax(self.layers[len(self.spec)](x), dim=1)


def write(directory, name, tensor):
    tensor.detach().to(torch.float64).contiguous().numpy().astype("<f8").tofile(os.path.join(directory, name + ".f64"))


def main(argv):
    if len(argv) != 11:
        raise SystemExit(__doc__)
    depth, width, dtype = int(argv[1]), int(argv[2]), {"float32": torch.float32, "float64": torch.float64}[argv[3]]
    n, n2, out = int(argv[7]), int(argv[9]), argv[10]
    torch.set_num_threads(1)
    net = PlainCnnBN(depth, width).to(dtype)
    net.load_state_dict(torch.load(argv[4]), strict=True)
    x = torch.from_numpy(np.fromfile(argv[5], dtype="<f4").reshape(n, 1, 28, 28).copy()).to(dtype)
    y = torch.from_numpy(np.fromfile(argv[6], dtype="<i8").copy())
    x2 = torch.from_numpy(np.fromfile(argv[8], dtype="<f4").reshape(n2, 1, 28, 28).copy()).to(dtype)

    net.train()
    output = net(x)
    F.nll_loss(output, y).backward()
    write(out, "train_out", output)
    for name, p in net.named_parameters():
        write(out, "grad." + name, p.grad)
    for name, b in net.named_buffers():
        write(out, name, b)
    torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.5).step()
    net.eval()
    with torch.no_grad():
        write(out, "eval_out", net(x2))
    for name, t in net.state_dict().items():
        write(out, "after." + name, t)


if __name__ == "__main__":
    main(sys.argv)
