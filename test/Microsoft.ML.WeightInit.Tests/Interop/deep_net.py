"""The deep architectures (mlp, plain_cnn) as real PyTorch modules, driven by PyTorchDeepStateDictTests.

Each module keeps its parameterized layers in `self.layers`, an nn.ModuleList, so its state dict has the keys
layers.0.weight, layers.0.bias, ...; activations and pooling are functions in forward. The layout is written here
from NetworkArchitecture's documentation, independently of the C# code:
  mlp(depth, width, act):        flatten; depth nn.Linear layers (C*H*W -> width -> ... -> width -> K), act between
  plain_cnn(depth, width, act):  depth-1 nn.Conv2d(in, out, 3, padding=1), each followed by act, in min(3, depth-1)
                                 stages of width, 2*width, 4*width channels (stage lengths differ by at most one, the
                                 first ones longer; the first conv of a stage changes the width), 2x2 max-pool after
                                 every stage but the last; global average pooling; nn.Linear(last channels, K)
  ARCH = KIND DEPTH WIDTH ACT C H W K, e.g. "mlp 4 32 tanh 1 28 28 10"

  deep_net.py make STATE.pt SEED ARCH...              torch.manual_seed(SEED); build; weights kaiming_normal_(relu),
                                                      biases normal(0, 0.1) (so that the logits differ by units);
                                                      torch.save(state_dict)
  deep_net.py run  STATE.pt INPUTS.f32 N OUT.f32 ARCH...  load_state_dict(torch.load(STATE.pt)) (strict), run on N
                                                      normalized C x H x W images (raw float32), write the N x K
                                                      log-probabilities (raw float32)
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {"relu": F.relu, "tanh": torch.tanh, "selu": F.selu, "linear": lambda x: x}


class Mlp(nn.Module):
    def __init__(self, depth, width, act, c, h, w, k):
        super().__init__()
        sizes = [c * h * w] + [width] * (depth - 1) + [k]
        self.layers = nn.ModuleList([nn.Linear(sizes[i], sizes[i + 1]) for i in range(depth)])
        self.act = ACTIVATIONS[act]

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.act(x)
        return F.log_softmax(x, 1)


class PlainCnn(nn.Module):
    def __init__(self, depth, width, act, c, h, w, k):
        super().__init__()
        convs = depth - 1
        stages = min(3, convs)
        layers, self.pool_after = [], []
        channels = c
        for s in range(stages):
            length = convs // stages + (1 if s < convs % stages else 0)
            for j in range(length):
                layers.append(nn.Conv2d(channels, width << s, 3, padding=1))
                self.pool_after.append(j == length - 1 and s < stages - 1)
                channels = width << s
        layers.append(nn.Linear(channels, k))
        self.layers = nn.ModuleList(layers)
        self.act = ACTIVATIONS[act]

    def forward(self, x):
        for conv, pool in zip(self.layers[:-1], self.pool_after):
            x = self.act(conv(x))
            if pool:
                x = F.max_pool2d(x, 2, 2)
        x = x.mean(dim=(2, 3))
        return F.log_softmax(self.layers[-1](x), 1)


def build(arch):
    kind, depth, width, act, c, h, w, k = arch
    cls = {"mlp": Mlp, "plain_cnn": PlainCnn}[kind]
    return cls(int(depth), int(width), act, int(c), int(h), int(w), int(k)), (int(c), int(h), int(w))


def main(argv):
    if argv[1] == "make":
        torch.manual_seed(int(argv[3]))
        net, _ = build(argv[4:12])
        with torch.no_grad():
            for layer in net.layers:
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.normal_(layer.bias, 0.0, 0.1)
        torch.save(net.state_dict(), argv[2])
    elif argv[1] == "run":
        net, (c, h, w) = build(argv[6:14])
        net.load_state_dict(torch.load(argv[2]))
        net.eval()
        n = int(argv[4])
        x = torch.from_numpy(np.fromfile(argv[3], dtype="<f4").reshape(n, c, h, w))
        with torch.no_grad():
            net(x).numpy().astype("<f4").tofile(argv[5])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
