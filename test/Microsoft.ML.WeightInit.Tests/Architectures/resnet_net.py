"""resnet(blocks, width) of NetworkArchitecture in real PyTorch, driven by ResNetTests.

The layout is the one documented in NetworkArchitecture's remarks: stem (3x3, C -> width, padding 1) -> ReLU ->
`blocks` basic blocks in three stages (width, 2*width, 4*width; the first stages longer by at most one); a block that
starts stage 2 or 3 max-pools its input 2x2 and projects its shortcut with a 1x1 convolution -> global average
pooling -> fc. With BATCH_NORM 1 every convolution is followed by nn.BatchNorm2d (stem_bn, bn1, bn2, shortcut_bn;
before the ReLU or the addition). Images are 1 x 28 x 28, 10 classes.

  resnet_net.py make BLOCKS WIDTH BATCH_NORM SEED PARAMS.f32
      torch.manual_seed(SEED); build the net (PyTorch's default reset at construction); write every parameter,
      flattened in named_parameters order, to PARAMS.f32 (raw float32)
  resnet_net.py run BLOCKS WIDTH BATCH_NORM DTYPE PARAMS.f32 N IMAGES.f32 LABELS.i64 OUT
      load PARAMS.f32 (named_parameters order) into the net, in DTYPE (f32: float32, f64: float64, the values widened),
      run it in train mode on N normalized images, NLL loss (mean) backward; write the N x 10 log-probabilities, then
      every parameter's gradient (named_parameters order), then (BATCH_NORM 1) every normalization's running_mean and
      running_var after that forward and the N x 10 log-probabilities of the same images in eval mode (raw, in DTYPE)
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, downsample, bn):
        super().__init__()
        self.downsample = downsample
        norm = (lambda: nn.BatchNorm2d(cout)) if bn else (lambda: nn.Identity())
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, padding=1)
        self.bn1 = norm()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, padding=1)
        self.bn2 = norm()
        self.shortcut = nn.Conv2d(cin, cout, 1) if downsample else None
        self.shortcut_bn = norm() if downsample else None

    def forward(self, x):
        if self.downsample:
            x = F.max_pool2d(x, 2, 2)
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = x if self.shortcut is None else self.shortcut_bn(self.shortcut(x))
        return F.relu(h + s)


class ResNet(nn.Module):
    def __init__(self, blocks, width, bn, channels=1, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(channels, width, 3, 1, padding=1)
        self.stem_bn = nn.BatchNorm2d(width) if bn else nn.Identity()
        stages = min(3, blocks)
        layers = []
        cin = width
        for s in range(stages):
            length = blocks // stages + (1 if s < blocks % stages else 0)
            cout = width << s
            for j in range(length):
                layers.append(Block(cin, cout, j == 0 and s > 0, bn))
                cin = cout
        self.blocks = nn.ModuleList(layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        for block in self.blocks:
            x = block(x)
        return F.log_softmax(self.fc(x.mean(dim=(2, 3))), dim=1)


def main(argv):
    blocks, width, bn = int(argv[2]), int(argv[3]), argv[4] == "1"
    if argv[1] == "make":
        torch.manual_seed(int(argv[5]))
        net = ResNet(blocks, width, bn)
        np.concatenate([p.detach().numpy().ravel() for p in net.parameters()]).astype("<f4").tofile(argv[6])
    elif argv[1] == "run":
        f64 = argv[5] == "f64"
        argv = argv[:5] + argv[6:]
        net = ResNet(blocks, width, bn)
        if f64:
            net = net.double()
        flat = torch.from_numpy(np.fromfile(argv[5], dtype="<f4"))
        offset = 0
        with torch.no_grad():
            for p in net.parameters():
                p.copy_(flat[offset:offset + p.numel()].view_as(p).to(p.dtype))
                offset += p.numel()
        if offset != flat.numel():
            raise SystemExit(f"{argv[5]} holds {flat.numel()} values; the net has {offset}")
        n = int(argv[6])
        x = torch.from_numpy(np.fromfile(argv[7], dtype="<f4").reshape(n, 1, 28, 28))
        if f64:
            x = x.double()
        y = torch.from_numpy(np.fromfile(argv[8], dtype="<i8"))
        net.train()
        out = net(x)
        F.nll_loss(out, y).backward()
        parts = [out.detach().numpy().ravel()] + [p.grad.numpy().ravel() for p in net.parameters()]
        if bn:
            for m in net.modules():
                if isinstance(m, nn.BatchNorm2d):
                    parts += [m.running_mean.numpy().ravel(), m.running_var.numpy().ravel()]
            net.eval()
            with torch.no_grad():
                parts.append(net(x).numpy().ravel())
        np.concatenate(parts).astype("<f8" if f64 else "<f4").tofile(argv[9])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
