"""resnet(blocks, width) of NetworkArchitecture in real PyTorch, driven by ResNetTests.

The layout is the one documented in NetworkArchitecture's remarks: stem (3x3, C -> width, padding 1) -> ReLU ->
`blocks` basic blocks in three stages (width, 2*width, 4*width; the first stages longer by at most one); a block that
starts stage 2 or 3 max-pools its input 2x2 and projects its shortcut with a 1x1 convolution -> global average
pooling -> fc. Images are 1 x 28 x 28, 10 classes.

  resnet_net.py make BLOCKS WIDTH SEED PARAMS.f32
      torch.manual_seed(SEED); build the net (PyTorch's default reset at construction); write every parameter,
      flattened in state_dict order, to PARAMS.f32 (raw float32)
  resnet_net.py run BLOCKS WIDTH PARAMS.f32 N IMAGES.f32 LABELS.i64 OUT.f32
      load PARAMS.f32 (state_dict order) into the net, run it on N normalized images, NLL loss (mean) backward;
      write the N x 10 log-probabilities, then every parameter's gradient in state_dict order (raw float32)
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, downsample):
        super().__init__()
        self.downsample = downsample
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, padding=1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, padding=1)
        self.shortcut = nn.Conv2d(cin, cout, 1) if downsample else None

    def forward(self, x):
        if self.downsample:
            x = F.max_pool2d(x, 2, 2)
        h = self.conv2(F.relu(self.conv1(x)))
        s = x if self.shortcut is None else self.shortcut(x)
        return F.relu(h + s)


class ResNet(nn.Module):
    def __init__(self, blocks, width, channels=1, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(channels, width, 3, 1, padding=1)
        stages = min(3, blocks)
        layers = []
        cin = width
        for s in range(stages):
            length = blocks // stages + (1 if s < blocks % stages else 0)
            cout = width << s
            for j in range(length):
                layers.append(Block(cin, cout, j == 0 and s > 0))
                cin = cout
        self.blocks = nn.ModuleList(layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.relu(self.stem(x))
        for block in self.blocks:
            x = block(x)
        return F.log_softmax(self.fc(x.mean(dim=(2, 3))), dim=1)


def main(argv):
    blocks, width = int(argv[2]), int(argv[3])
    if argv[1] == "make":
        torch.manual_seed(int(argv[4]))
        net = ResNet(blocks, width)
        np.concatenate([p.detach().numpy().ravel() for p in net.state_dict().values()]).astype("<f4").tofile(argv[5])
    elif argv[1] == "run":
        net = ResNet(blocks, width)
        flat = torch.from_numpy(np.fromfile(argv[4], dtype="<f4"))
        offset = 0
        with torch.no_grad():
            for p in net.state_dict().values():
                p.copy_(flat[offset:offset + p.numel()].view_as(p))
                offset += p.numel()
        if offset != flat.numel():
            raise SystemExit(f"{argv[4]} holds {flat.numel()} values; the net has {offset}")
        n = int(argv[5])
        x = torch.from_numpy(np.fromfile(argv[6], dtype="<f4").reshape(n, 1, 28, 28))
        y = torch.from_numpy(np.fromfile(argv[7], dtype="<i8"))
        out = net(x)
        F.nll_loss(out, y).backward()
        parts = [out.detach().numpy().ravel()] + [p.grad.numpy().ravel() for p in net.parameters()]
        np.concatenate(parts).astype("<f4").tofile(argv[8])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
