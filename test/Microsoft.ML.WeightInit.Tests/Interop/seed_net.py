"""The seed article's MNIST Net in real PyTorch, driven by PyTorchStateDictTests.

  seed_net.py run  STATE.pt INPUTS.f32 N OUT.f32   load STATE.pt into Net, run it on N normalized 1x28x28 images
                                                   (raw float32), write the N x 10 log-probabilities (raw float32)
  seed_net.py make STATE.pt SEED PARAMS.f32        torch.manual_seed(SEED); Net(); save its state_dict to STATE.pt
                                                   and every parameter, flattened in state_dict order, to PARAMS.f32
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, 1)
        self.conv2 = nn.Conv2d(20, 50, 5, 1)
        self.fc1 = nn.Linear(4*4*50, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 2, 2)
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2, 2)
        x = x.view(-1, 4*4*50)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def main(argv):
    if argv[1] == "run":
        net = Net()
        net.load_state_dict(torch.load(argv[2]))
        net.eval()
        n = int(argv[4])
        x = torch.from_numpy(np.fromfile(argv[3], dtype="<f4").reshape(n, 1, 28, 28))
        with torch.no_grad():
            net(x).numpy().astype("<f4").tofile(argv[5])
    elif argv[1] == "make":
        torch.manual_seed(int(argv[3]))
        net = Net()
        torch.save(net.state_dict(), argv[2])
        np.concatenate([p.detach().numpy().ravel() for p in net.state_dict().values()]).astype("<f4").tofile(argv[4])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
