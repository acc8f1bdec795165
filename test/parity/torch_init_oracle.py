#!/usr/bin/python3
"""PyTorch oracle for the parity suite of Microsoft.ML.WeightInit.

Runs every case below with PyTorch (CPU, float32) and writes, into the output directory given as the only argument,
one little-endian float32 file per produced tensor and a ``manifest.json`` describing every case: its kind, scheme,
parameters (PyTorch's keyword names), shape, seed, and either the produced tensors (file, shape, SHA-256) or the error
PyTorch raised (type and message).

Kinds of case:
  init     torch.manual_seed(seed); t = torch.empty(shape); torch.nn.init.<scheme>_(t, **params)
  module   torch.manual_seed(seed); the default reset of nn.Conv2d / nn.Linear (weight, then bias)
  net      torch.manual_seed(seed); the seed article's Net(); then, layer by layer, weight then bias, the plan's
           initializer for every parameter whose initializer is not pytorch_default
  listing  torch.manual_seed(seed); the seed article's session: conv1 = nn.Conv2d(1, 20, 5, 1),
           xavier_uniform_(conv1.weight), then the "Mean initialization" listing, one tensor per step
  gain     torch.nn.init.calculate_gain(name, param)
  fans     torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))

Run with Debian's interpreter: /usr/bin/python3 test/parity/torch_init_oracle.py OUT_DIR
"""
import hashlib
import json
import math
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import init

NET_SHAPES = [[20, 1, 5, 5], [20], [50, 20, 5, 5], [50], [500, 800], [500], [10, 500], [10]]
WEIGHT_SHAPES = [[20, 1, 5, 5], [50, 20, 5, 5], [500, 800], [10, 500]]
TWO_D = [[500, 800], [10, 500], [7, 3], [3, 7]]  # the net's linear weights, tall, wide
EMPTY = [0, 5]


class Net(nn.Module):
    """The seed article's network (examples/mnist/main.py)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, 1)
        self.conv2 = nn.Conv2d(20, 50, 5, 1)
        self.fc1 = nn.Linear(4 * 4 * 50, 500)
        self.fc2 = nn.Linear(500, 10)


def cases():
    """Every case: (kind, scheme, params, shape, seed)."""
    out = []

    def add(scheme, params, shapes, seed=1):
        for shape in shapes:
            out.append(("init", scheme, params, shape, seed))

    add("zeros", {}, NET_SHAPES)
    add("ones", {}, NET_SHAPES)
    add("constant", {"val": 0.25}, NET_SHAPES)
    add("constant", {"val": -3.5}, [[7, 3]])
    add("uniform", {}, NET_SHAPES)
    add("uniform", {"a": -0.5, "b": 2.0}, [[500, 800], [10]], seed=7)
    add("uniform", {"a": 1.0, "b": 0.0}, [[10]])                                  # rejected: a > b
    add("normal", {}, NET_SHAPES)
    add("normal", {"mean": 0.5, "std": 0.1}, [[500, 800], [10]], seed=7)
    add("normal", {"mean": 0.0, "std": -1.0}, [[10]])                             # rejected: std < 0
    add("trunc_normal", {}, NET_SHAPES)
    add("trunc_normal", {"mean": 0.5, "std": 0.2, "a": 0.0, "b": 1.0}, [[500, 800], [7, 3]], seed=7)
    add("trunc_normal", {"mean": 0.0, "std": 0.02, "a": -0.04, "b": 0.04}, [[10, 500]], seed=3)
    add("xavier_uniform", {}, WEIGHT_SHAPES + [[7, 3], [3, 7], EMPTY, [20], [0, 0]])
    add("xavier_uniform", {"gain": math.sqrt(2.0)}, [[20, 1, 5, 5], [500, 800]], seed=5)
    add("xavier_normal", {}, WEIGHT_SHAPES + [[7, 3], [3, 7], EMPTY, [20], [0, 0]])
    add("xavier_normal", {"gain": 5.0 / 3}, [[50, 20, 5, 5], [500, 800]], seed=5)
    add("kaiming_uniform", {}, WEIGHT_SHAPES + [[7, 3], EMPTY, [20]])
    add("kaiming_uniform", {"a": 0.0, "mode": "fan_out", "nonlinearity": "relu"}, WEIGHT_SHAPES, seed=11)
    add("kaiming_uniform", {"a": math.sqrt(5.0), "mode": "fan_in", "nonlinearity": "leaky_relu"}, WEIGHT_SHAPES, seed=2)
    add("kaiming_uniform", {"a": 0.0, "mode": "fan_avg", "nonlinearity": "relu"}, [[7, 3]])       # rejected: mode
    add("kaiming_uniform", {"a": 0.0, "mode": "fan_in", "nonlinearity": "swish"}, [[7, 3]])       # rejected: name
    add("kaiming_normal", {}, WEIGHT_SHAPES + [[7, 3], EMPTY, [20]])
    add("kaiming_normal", {"a": 0.0, "mode": "fan_out", "nonlinearity": "relu"}, WEIGHT_SHAPES, seed=11)
    add("kaiming_normal", {"a": 0.2, "mode": "fan_in", "nonlinearity": "leaky_relu"}, [[500, 800]], seed=4)
    add("kaiming_normal", {"a": 0.0, "mode": "fan_in", "nonlinearity": "tanh"}, [[10, 500]], seed=4)
    add("orthogonal", {}, WEIGHT_SHAPES + [[7, 3], [3, 7], [4, 3, 2], [6, 2, 2, 2, 2], EMPTY, [20]])
    add("orthogonal", {"gain": math.sqrt(2.0)}, [[500, 800], [20, 1, 5, 5]], seed=9)
    add("sparse", {"sparsity": 0.1}, TWO_D + [[20, 1, 5, 5], [20]])
    add("sparse", {"sparsity": 0.9, "std": 0.5}, [[500, 800], [7, 3]], seed=13)
    add("sparse", {"sparsity": 0.0}, [[7, 3]])
    add("sparse", {"sparsity": 1.0}, [[7, 3]])
    add("eye", {}, TWO_D + [EMPTY, [20], [20, 1, 5, 5]])
    add("dirac", {}, [[20, 1, 5, 5], [50, 20, 5, 5], [4, 6, 3], [6, 4, 3, 2], [3, 2, 3, 3, 3], [10, 500], [20]])
    add("dirac", {"groups": 2}, [[4, 6, 3], [6, 4, 3, 2], [8, 3, 2, 2, 2]])
    add("dirac", {"groups": 3}, [[20, 1, 5, 5]])                                  # rejected: 20 % 3

    for seed in (1, 42):
        out.append(("module", "conv2d", {"in_channels": 1, "out_channels": 20, "kernel_size": 5}, [20, 1, 5, 5], seed))
        out.append(("module", "conv2d", {"in_channels": 20, "out_channels": 50, "kernel_size": 5}, [50, 20, 5, 5], seed))
        out.append(("module", "linear", {"in_features": 800, "out_features": 500}, [500, 800], seed))
        out.append(("module", "linear", {"in_features": 500, "out_features": 10}, [10, 500], seed))

    plans = [
        {},
        {"weight": ["xavier_uniform", {"gain": 1.0}], "bias": ["zeros", {}]},
        {"weight": ["kaiming_normal", {"a": 0.0, "mode": "fan_out", "nonlinearity": "relu"}]},
        {"weight": ["orthogonal", {"gain": 1.0}], "bias": ["zeros", {}],
         "conv2.weight": ["kaiming_uniform", {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"}],
         "fc2.bias": ["constant", {"val": 0.1}]},
        {"bias": ["normal", {"mean": 0.0, "std": 0.01}], "conv1.weight": ["trunc_normal", {"std": 0.1}]},
    ]
    for i, plan in enumerate(plans):
        out.append(("net", "plan%d" % i, plan, [], 1))
    out.append(("net", "plan1_seed3", plans[1], [], 3))

    for seed in (1, 2024):
        out.append(("listing", "mean_initialization", {}, [20, 1, 5, 5], seed))

    for name in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "sigmoid", "tanh", "relu", "leaky_relu", "selu", "swish", "Relu"]:
        out.append(("gain", name, {}, [], 0))
    for param in (0.0, 0.2, 1.0, -0.5, 3):
        out.append(("gain", "leaky_relu", {"param": param}, [], 0))
    for shape in NET_SHAPES + [[7, 3], [3, 7, 2], [4, 3, 2, 2, 2], EMPTY, [0, 0], []]:
        out.append(("fans", "fans", {}, shape, 0))
    return out


def run_init(scheme, params, shape, seed):
    torch.manual_seed(seed)
    t = torch.empty(shape, dtype=torch.float32)
    getattr(init, scheme + "_")(t, **params)
    return [("tensor", t)]


def run_module(scheme, params, seed):
    torch.manual_seed(seed)
    m = nn.Conv2d(params["in_channels"], params["out_channels"], params["kernel_size"], 1) if scheme == "conv2d" \
        else nn.Linear(params["in_features"], params["out_features"])
    return [("weight", m.weight), ("bias", m.bias)]


def run_net(plan, seed):
    torch.manual_seed(seed)
    net = Net()
    layers = [("conv1", net.conv1), ("conv2", net.conv2), ("fc1", net.fc1), ("fc2", net.fc2)]
    for name, layer in layers:
        for role in ("weight", "bias"):
            scheme = plan.get(name + "." + role) or plan.get(role)
            if scheme is not None and scheme[0] != "pytorch_default":
                getattr(init, scheme[0] + "_")(getattr(layer, role), **scheme[1])
    return [(name + "." + role, getattr(layer, role)) for name, layer in layers for role in ("weight", "bias")]


def run_listing(seed):
    torch.manual_seed(seed)
    conv1 = nn.Conv2d(1, 20, 5, 1)
    init.xavier_uniform_(conv1.weight)
    steps = [("zeros", init.zeros_), ("ones", init.ones_), ("uniform", init.uniform_), ("normal", init.normal_),
             ("xavier_uniform", init.xavier_uniform_), ("xavier_normal", init.xavier_normal_),
             ("kaiming_uniform", init.kaiming_uniform_), ("kaiming_normal", init.kaiming_normal_),
             ("orthogonal", init.orthogonal_)]
    produced = []
    for name, fn in steps:
        fn(conv1.weight)
        produced.append((name, conv1.weight.detach().clone()))
    return produced


def main():
    if len(sys.argv) != 2:
        print("usage: torch_init_oracle.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    manifest = {"torch_version": torch.__version__, "cases": []}
    for index, (kind, scheme, params, shape, seed) in enumerate(cases()):
        case = {"id": "c%03d" % index, "kind": kind, "scheme": scheme, "params": params, "shape": shape, "seed": seed}
        try:
            if kind == "init":
                produced = run_init(scheme, params, shape, seed)
            elif kind == "module":
                produced = run_module(scheme, params, seed)
            elif kind == "net":
                produced = run_net(params, seed)
            elif kind == "listing":
                produced = run_listing(seed)
            elif kind == "gain":
                case["value"] = float(init.calculate_gain(scheme, params.get("param")))
                produced = []
            else:
                case["value"] = list(init._calculate_fan_in_and_fan_out(torch.empty(shape)))
                produced = []
        except Exception as e:  # recorded: the C# side must reject the same case
            case["error"] = {"type": type(e).__name__, "message": str(e)}
            manifest["cases"].append(case)
            continue
        tensors = []
        for n, (name, t) in enumerate(produced):
            data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
            file = "%s_%d.bin" % (case["id"], n)
            with open(os.path.join(out_dir, file), "wb") as f:
                f.write(data)
            tensors.append({"name": name, "shape": list(t.shape), "file": file,
                            "sha256": hashlib.sha256(data).hexdigest(), "mean": t.double().mean().item() if t.numel() else 0.0})
        case["tensors"] = tensors
        manifest["cases"].append(case)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
